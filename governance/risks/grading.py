"""The NHS 5x5 risk matrix: likelihood x impact, and the grade bands."""

from __future__ import annotations

from enum import StrEnum

LIKELIHOOD_WORDS = ("rare", "unlikely", "possible", "likely", "almost certain")
IMPACT_WORDS = ("negligible", "minor", "moderate", "major", "catastrophic")
EXTREME_FROM = 15


class RiskGrade(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    EXTREME = "extreme"

    @property
    def emoji(self) -> str:
        return {
            RiskGrade.LOW: ":large_green_circle:",
            RiskGrade.MODERATE: ":large_yellow_circle:",
            RiskGrade.HIGH: ":large_orange_circle:",
            RiskGrade.EXTREME: ":red_circle:",
        }[self]


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
