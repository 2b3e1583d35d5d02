"""Plain data the risk use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.parsing.references import format_ref
from governance.risks.rules import (
    IMPACT_WORDS,
    LIKELIHOOD_WORDS,
    RiskGrade,
    RiskStatus,
    is_below_target,
    is_extreme,
)
from governance.risks.rules import grade as grade_of


@dataclass(frozen=True)
class ShareView:
    partner: str
    sector: str
    percent: int
    is_lead: bool


@dataclass(frozen=True)
class OpenChallengeView:
    asked_by: str
    question: str
    asked_at: datetime


@dataclass(frozen=True)
class RiskView:
    plan_id: int
    number: int
    title: str
    owner_id: str | None
    function_key: str | None
    function_name: str | None
    likelihood: int
    impact: int
    target_score: int | None
    mitigation: str
    review_date: date | None
    review_overdue: bool
    # When the next review falls if the risk is reviewed today (the review policy).
    next_review_date: date
    status: str
    close_note: str
    closed_at: datetime | None
    shares: tuple[ShareView, ...]
    open_challenges: tuple[OpenChallengeView, ...]
    version: int
    # The issue the risk became when it happened (`risk materialise`).
    issue_ref: str | None = None

    @property
    def ref(self) -> str:
        return format_ref("R", self.number)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def grade(self) -> RiskGrade:
        return grade_of(self.score)

    @property
    def grade_label(self) -> str:
        return self.grade.value.capitalize()

    @property
    def is_extreme(self) -> bool:
        return is_extreme(self.score)

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    @property
    def position(self) -> str:
        """Where the risk sits on the 5x5 matrix, e.g. `L4 × I5 = 20 Extreme`."""
        return f"L{self.likelihood} × I{self.impact} = {self.score} {self.grade_label}"

    @property
    def likelihood_word(self) -> str:
        return LIKELIHOOD_WORDS[self.likelihood - 1]

    @property
    def impact_word(self) -> str:
        return IMPACT_WORDS[self.impact - 1]

    @property
    def target_grade(self) -> RiskGrade | None:
        return None if self.target_score is None else grade_of(self.target_score)

    @property
    def below_target(self) -> bool:
        return is_below_target(self.score, self.target_score)

    @property
    def lead_partner(self) -> str | None:
        return next((s.partner for s in self.shares if s.is_lead), None)


@dataclass(frozen=True)
class RiskListView:
    plan_id: int
    plan_name: str
    shown: str  # "open", "extreme", "closed" or "all"
    function_name: str | None
    risks: tuple[RiskView, ...]


@dataclass(frozen=True)
class RiskChangeView:
    """One field an update changed, as the words a person reads."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class RiskUpdatedView:
    """A risk after an update; `reviewed` when the update was its owner reviewing it: a
    review date that had come moved on, and nothing else changed."""

    risk: RiskView
    changes: tuple[RiskChangeView, ...]
    reviewed: bool = False


@dataclass(frozen=True)
class RiskFormView:
    """What the add-risk form needs: the plan it adds to and the partners that can share."""

    plan_id: int
    plan_name: str
    partners: tuple[str, ...]
