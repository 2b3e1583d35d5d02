"""Validated inputs for the issue use cases.

Severity takes 1-5 or the consequence scale's words (`major`); partners, people functions
and action references stay as the user's text until the use case finds them in the plan.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from governance.inputs import Input, UserId
from governance.issues.models import DESCRIPTION_MAX, TITLE_MAX
from governance.issues.rules import SEVERITY_WORDS
from governance.parsing.references import parse_ref
from governance.risks.inputs import RiskNumber, scale

LONG_TEXT_MAX = DESCRIPTION_MAX


def _issue_number(value: object) -> object:
    return parse_ref(value, "I") if isinstance(value, str) else value


Severity = Annotated[
    int,
    BeforeValidator(scale(SEVERITY_WORDS)),
    Field(ge=1, le=5, description="1 to 5 (negligible to catastrophic)"),
]
IssueNumber = Annotated[
    int, BeforeValidator(_issue_number), Field(ge=1, description="an issue's reference, like I-2")
]
IssueListing = Literal["open", "resolved", "all"]
ISSUE_LISTINGS: tuple[IssueListing, ...] = ("open", "resolved", "all")


class IssueAdd(Input):
    """`issue add "Title" severity:4 [owner:@u] [partner:"Org"] [action:A-3] ["description"]`."""

    plan_id: int | None = None
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=LONG_TEXT_MAX)
    severity: Severity
    owner_id: UserId | None = None
    function: str | None = None
    partners: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()


class IssueList(Input):
    """`issue list [open|resolved|all]`, most severe first."""

    plan_id: int | None = None
    shown: IssueListing = "open"


class IssueShow(Input):
    plan_id: int | None = None
    number: IssueNumber


class IssueUpdate(Input):
    """`issue update I-2 [severity:3] [owner:@u] [action:A-4] ["note"]`: only what is given
    changes; an action given is linked (added to those already linked)."""

    plan_id: int | None = None
    number: IssueNumber
    severity: Severity | None = None
    owner_id: UserId | None = None
    actions: tuple[str, ...] = ()
    note: str = Field("", max_length=LONG_TEXT_MAX)


class IssueResolve(Input):
    """`issue resolve I-2 "how"`: how it was resolved is what the board reads, so it is
    asked for."""

    plan_id: int | None = None
    number: IssueNumber
    how: str = Field(min_length=1, max_length=LONG_TEXT_MAX)


class RiskMaterialise(Input):
    """`risk materialise R-2 ["what happened"]`: the risk has happened and becomes an issue."""

    plan_id: int | None = None
    number: RiskNumber
    note: str = Field("", max_length=LONG_TEXT_MAX)
