"""Validated inputs for the decision use cases.

What a decision rests on or affects stays as the references and names people typed until the
use case resolves them in the plan.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from governance.decisions.models import FORUM_MAX, TITLE_MAX
from governance.decisions.rules import Outcome
from governance.inputs import Input
from governance.parsing.references import parse_ref

LONG_TEXT_MAX = 3000
LINKS_MAX = 20


def _decision_number(value: object) -> object:
    return parse_ref(value, "D") if isinstance(value, str) else value


DecisionNumber = Annotated[
    int,
    BeforeValidator(_decision_number),
    Field(ge=1, description="a decision's reference, like D-3"),
]
Links = Annotated[
    tuple[Annotated[str, Field(min_length=1, max_length=TITLE_MAX)], ...],
    Field(max_length=LINKS_MAX),
]
DecisionListing = Literal["proposed", "agreed", "all"]
DECISION_LISTINGS: tuple[DecisionListing, ...] = ("proposed", "agreed", "all")


class DecisionPropose(Input):
    """`decision propose "Title" ["what is proposed"] [because:"..."] [informed-by:M-2,R-1]
    [affects:A-3,"Org"] [supersedes:D-2]`: any member proposes."""

    plan_id: int | None = None
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    proposal: str = Field("", max_length=LONG_TEXT_MAX)
    reasons: str = Field("", max_length=LONG_TEXT_MAX)
    informed_by: Links = ()
    affects: Links = ()
    supersedes: DecisionNumber | None = None


class DecisionDecide(Input):
    """`decision agree|reject|defer D-3 ["note"] [forum:"People Board 12 Jan"] [until:...]`:
    a chair or lead records the outcome; a deferral says until when."""

    plan_id: int | None = None
    number: DecisionNumber
    outcome: Outcome
    note: str = Field("", max_length=LONG_TEXT_MAX)
    forum: str = Field("", max_length=FORUM_MAX)
    until: str | None = None


class DecisionList(Input):
    """`decision list [proposed|agreed|all]`: awaiting the board (proposed or deferred) by
    default, agreed ones, or every decision."""

    plan_id: int | None = None
    shown: DecisionListing = "proposed"


class DecisionShow(Input):
    plan_id: int | None = None
    number: DecisionNumber
