"""What an erased person is called afterwards: "former member 7", the same everywhere."""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

PSEUDONYM_PREFIX = "former member "


def pseudonym(number: int) -> str:
    return f"{PSEUDONYM_PREFIX}{number}"


def is_pseudonym(user_id: object) -> bool:
    """True for the name an erased person's id was replaced with."""
    return isinstance(user_id, str) and user_id.startswith(PSEUDONYM_PREFIX)


def not_pseudonym(column: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
    """SQL for "this user column names someone who can still be reached"."""
    return column.not_like(f"{PSEUDONYM_PREFIX}%")
