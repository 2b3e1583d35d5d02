"""Validated inputs for the risk use cases.

Likelihood and impact take the matrix's numbers or its words (`likely`, `major`); dates,
people functions and partners stay as the user's text until the use case resolves them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from governance.inputs import Input, UserId
from governance.parsing.references import parse_ref
from governance.risks.rules import IMPACT_WORDS, LIKELIHOOD_WORDS

TITLE_MAX = 200
LONG_TEXT_MAX = 3000


def scale(words: tuple[str, ...]) -> Callable[[object], object]:
    """Read 1 to 5, or one of the five `words` for them (`likely`, `major`)."""
    typed = ", ".join(w.replace(" ", "-") for w in words)

    def read(value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower()
            if text.isdigit():
                return int(text)
            folded = " ".join(text.replace("-", " ").replace("_", " ").split())
            if folded in words:
                return words.index(folded) + 1
            raise ValueError(f"must be 1 to 5 or one of: {typed} (not “{value}”)")
        if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 5:
            raise ValueError(f"must be 1 to 5 or one of: {typed} (not {value})")
        return value

    return read


def _risk_number(value: object) -> object:
    return parse_ref(value, "R") if isinstance(value, str) else value


Likelihood = Annotated[
    int,
    BeforeValidator(scale(LIKELIHOOD_WORDS)),
    Field(ge=1, le=5, description="1 to 5 (rare to almost certain)"),
]
Impact = Annotated[
    int,
    BeforeValidator(scale(IMPACT_WORDS)),
    Field(ge=1, le=5, description="1 to 5 (negligible to catastrophic)"),
]
RiskNumber = Annotated[
    int, BeforeValidator(_risk_number), Field(ge=1, description="a risk's reference, like R-2")
]
TargetScore = Annotated[
    int, Field(ge=1, le=25, description="a score from 1 to 25 (likelihood × impact)")
]
Share = tuple[tuple[str, int], ...]
RiskListing = Literal["open", "extreme", "closed", "all"]
RISK_LISTINGS: tuple[RiskListing, ...] = ("open", "extreme", "closed", "all")


class RiskAdd(Input):
    """`risk add "Title" likelihood:4 impact:5 [owner:@u] [share:...] [review:...]`."""

    plan_id: int | None = None
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    likelihood: Likelihood
    impact: Impact
    owner_id: UserId | None = None
    function: str | None = None
    target: TargetScore | None = None
    mitigation: str = Field("", max_length=LONG_TEXT_MAX)
    review: str | None = None
    share: Share | None = None
    lead: str | None = None


class RiskList(Input):
    """`risk list [open|extreme|closed|all] [function:x]`: open risks, only extreme ones, closed
    ones or every risk; one function's with `function`."""

    plan_id: int | None = None
    shown: RiskListing = "open"
    function: str | None = None


class RiskShow(Input):
    plan_id: int | None = None
    number: RiskNumber


class RiskUpdate(Input):
    """Only the fields given change; `expected_version` is the version a modal showed."""

    plan_id: int | None = None
    number: RiskNumber
    likelihood: Likelihood | None = None
    impact: Impact | None = None
    mitigation: str | None = Field(None, max_length=LONG_TEXT_MAX)
    review: str | None = None
    share: Share | None = None
    lead: str | None = None
    owner_id: UserId | None = None
    target: TargetScore | None = None
    expected_version: int | None = None


class RiskClose(Input):
    plan_id: int | None = None
    number: RiskNumber
    note: str = Field("", max_length=LONG_TEXT_MAX)
