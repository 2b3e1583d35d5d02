"""When an action that others wait on holds them up: it is red, overdue or cancelled.

Each reason has its Python check and its SQL clause side by side, like the action's own rules.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement

from governance.actions.rules import ActionEntity, is_overdue, is_overdue_clause
from governance.actions.status import ActionStatus

# More than this many actions waited on by one is a plan to split, and would not fit a card.
MOST_WAITED_ON = 20


class BlockReason(StrEnum):
    RED = "red"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"

    @property
    def words(self) -> str:
        return _WORDS[self]


_WORDS = {
    BlockReason.RED: "is red (off track)",
    BlockReason.OVERDUE: "is overdue",
    BlockReason.CANCELLED: "was cancelled",
}


def blocking_reasons(
    status: ActionStatus | str, due_date: date | None, today: date
) -> tuple[BlockReason, ...]:
    """Why an action holds up those waiting on it, on `today` (the plan's date)."""
    reasons = []
    if ActionStatus(status) is ActionStatus.OFF_TRACK:
        reasons.append(BlockReason.RED)
    if is_overdue(due_date, status, today):
        reasons.append(BlockReason.OVERDUE)
    if ActionStatus(status) is ActionStatus.CANCELLED:
        reasons.append(BlockReason.CANCELLED)
    return tuple(reasons)


def blocking_clauses(blocker: ActionEntity, today: date) -> dict[BlockReason, ColumnElement[bool]]:
    """SQL: each reason the action `blocker` (an alias of the table) holds others up."""
    return {
        BlockReason.RED: blocker.status == ActionStatus.OFF_TRACK.value,
        BlockReason.OVERDUE: is_overdue_clause(today, blocker),
        BlockReason.CANCELLED: blocker.status == ActionStatus.CANCELLED.value,
    }
