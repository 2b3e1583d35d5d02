"""Validated inputs for wins: a success to celebrate, who made it happen, and with whom."""

from __future__ import annotations

from pydantic import Field, field_validator

from governance.inputs import Input, UserId
from governance.wins.models import TEXT_MAX

PEOPLE_MAX = 20
PARTNERS_MAX = 10


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    """Drop blanks and repeats, keeping the order people were named in."""
    return tuple(dict.fromkeys(v for v in values if v))


class WinRecord(Input):
    """`win "text" [function:x] [@people] [partner:"Org"]` or the win modal."""

    plan_id: int | None = None
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    function: str | None = None
    people: tuple[UserId, ...] = Field((), max_length=PEOPLE_MAX)
    partners: tuple[str, ...] = Field((), max_length=PARTNERS_MAX)

    _people = field_validator("people", "partners")(_distinct)

    @field_validator("function")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class WinList(Input):
    """`win list`."""

    plan_id: int | None = None
