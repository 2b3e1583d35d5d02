"""The rules of a risk, each written once: the NHS 5x5 matrix (likelihood x impact), the
scores it can give and their grade bands, where a target may sit, open or closed, and the
review policy (extreme risks are reviewed at least monthly, others every three months by
default)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from governance.parsing.dates import parse_date

LIKELIHOOD_WORDS = ("rare", "unlikely", "possible", "likely", "almost certain")
IMPACT_WORDS = ("negligible", "minor", "moderate", "major", "catastrophic")
EXTREME_FROM = 15
EXTREME_REVIEW_MONTHS = 1
OTHER_REVIEW_MONTHS = 3
# Every product of likelihood 1-5 and impact 1-5: 7, 11, 13, 14 and the rest never occur.
POSSIBLE_SCORES = tuple(
    sorted({likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6)})
)


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class RiskGrade(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    EXTREME = "extreme"


def score(likelihood: int, impact: int) -> int:
    """Likelihood 1-5 times impact 1-5."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= value <= 5:
            raise ValueError(f"{name} must be 1 to 5, not {value}")
    return likelihood * impact


def grade(risk_score: int) -> RiskGrade:
    """1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme (the products that can occur)."""
    if not 1 <= risk_score <= 25:
        raise ValueError(f"a risk score is 1 to 25, not {risk_score}")
    if risk_score <= 3:
        return RiskGrade.LOW
    if risk_score <= 6:
        return RiskGrade.MODERATE
    if risk_score <= 12:
        return RiskGrade.HIGH
    return RiskGrade.EXTREME


def is_possible_score(risk_score: int) -> bool:
    """A score the 5x5 matrix can give, so one a target can be."""
    return risk_score in POSSIBLE_SCORES


def is_below_target(risk_score: int, target: int | None) -> bool:
    """The score has gone below the target set for it: the target no longer says where
    mitigation should bring the risk."""
    return target is not None and risk_score < target


def is_extreme(risk_score: int) -> bool:
    return risk_score >= EXTREME_FROM


def default_review_date(risk_score: int, today: date) -> date:
    """A month ahead for an extreme risk, three months for any other."""
    return months_ahead(
        today, EXTREME_REVIEW_MONTHS if is_extreme(risk_score) else OTHER_REVIEW_MONTHS
    )


def latest_review_date(today: date) -> date:
    """The furthest an extreme risk's review date may be: a month ahead."""
    return months_ahead(today, EXTREME_REVIEW_MONTHS)


def is_review_overdue(review_date: date | None, status: RiskStatus | str, today: date) -> bool:
    """An open risk whose review date is before `today` (a date on the plan's clock)."""
    return RiskStatus(status) is RiskStatus.OPEN and review_date is not None and review_date < today


def is_review_due(review_date: date | None, today: date) -> bool:
    """The review date has come (or was never set), so moving it on is the review it asks for."""
    return review_date is None or review_date <= today


def months_ahead(today: date, months: int) -> date:
    # The same calendar-month arithmetic people get when they type `+1m`.
    return parse_date(f"+{months}m", today)
