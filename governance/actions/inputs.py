"""Validated inputs for action use cases: the user's text, checked for shape and size."""

from __future__ import annotations

from pydantic import Field, field_validator

from governance.actions.models import DESCRIPTION_MAX, SOURCE_LINK_MAX, TITLE_MAX
from governance.inputs import Input, UserId
from governance.parsing.references import format_ref, parse_ref

LONG_TEXT_MAX = DESCRIPTION_MAX
# A Slack permalink (https://team.slack.com/archives/C123/p1234...): one https address that
# mrkdwn can carry in a link.
SOURCE_LINK_PATTERN = r"^https://[^\s<>|]+$"


class ActionAdd(Input):
    plan_id: int | None = None
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=LONG_TEXT_MAX)
    owner_id: UserId | None = None
    function: str | None = None
    due: str | None = None
    partner: str | None = None
    # The permalink of the message it is added from, as Slack gave it.
    source_link: str | None = Field(None, max_length=SOURCE_LINK_MAX, pattern=SOURCE_LINK_PATTERN)


class ActionList(Input):
    """Filters for `action list`; every filter given must hold (they combine)."""

    plan_id: int | None = None
    mine: bool = False
    overdue: bool = False
    red: bool = False
    include_closed: bool = False
    function: str | None = None
    owner_id: UserId | None = None
    partner: str | None = None


class ActionRef(Input):
    plan_id: int | None = None
    ref: str

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        return format_ref("A", parse_ref(value, "A"))

    @property
    def number(self) -> int:
        return parse_ref(self.ref, "A")


class ActionUpdate(ActionRef):
    """`action update`: any of status, progress, due, owner and a note."""

    status: str | None = None
    progress: int | None = None
    due: str | None = None
    owner_id: UserId | None = None
    note: str = Field("", max_length=LONG_TEXT_MAX)
    # The version a modal showed; None applies the change to the latest state.
    expected_version: int | None = None

    @field_validator("progress", mode="before")
    @classmethod
    def _progress(cls, value: object) -> object:
        text = str(value).strip().removesuffix("%") if value is not None else None
        if text is None or text == "":
            return None
        if not text.isdigit() or not 0 <= int(text) <= 100:
            raise ValueError(f"is a percentage from 0 to 100, not {value}")
        return int(text)


class ActionDone(ActionRef):
    note: str = Field("", max_length=LONG_TEXT_MAX)


class ActionDepends(ActionRef):
    """`action depends`: the references the action waits on from now on (none clears them)."""

    on: tuple[str, ...] = ()
