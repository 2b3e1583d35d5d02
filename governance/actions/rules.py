"""The rules of an action, each written once: when it is closed, when it is overdue, that a
done action is at 100%, and what it counts for in progress. Each rule has a Python check for
an action in hand and an SQL clause for queries side by side, so the two cannot drift apart."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case
from sqlalchemy.orm.util import AliasedClass

from governance.actions.models import Action
from governance.actions.status import ActionStatus

# Done or cancelled: no more work expected, so never nudged, escalated or overdue.
CLOSED = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})
DONE_PROGRESS = 100


def is_closed(status: ActionStatus | str) -> bool:
    return ActionStatus(status) in CLOSED


ActionEntity = type[Action] | AliasedClass[Action]


def is_open_clause(action: ActionEntity = Action) -> ColumnElement[bool]:
    """SQL: the action (or an alias of the table) is neither done nor cancelled."""
    return action.status.not_in([status.value for status in CLOSED])


def is_overdue(due_date: date | None, status: ActionStatus | str, today: date) -> bool:
    """Due before `today` (a date on the plan's clock) and not closed."""
    return due_date is not None and due_date < today and not is_closed(status)


def is_overdue_clause(
    today: date | ColumnElement[date], action: ActionEntity = Action
) -> ColumnElement[bool]:
    """SQL: due before `today` (a date on the plan's clock, or a parameter for one) and not
    closed."""
    return and_(action.due_date.is_not(None), action.due_date < today, is_open_clause(action))


def progress_contradicts_done(status: ActionStatus | str, progress: int) -> bool:
    """Done means delivered, so a done action is at 100% and at no other percentage."""
    return ActionStatus(status) is ActionStatus.DONE and progress != DONE_PROGRESS


def credited_progress(status: ActionStatus | str, progress: int) -> int:
    """What an action counts for in a function's progress: a done action is 100%."""
    return DONE_PROGRESS if ActionStatus(status) is ActionStatus.DONE else progress


def percent_complete(credited_total: int, counted: int) -> int | None:
    """How far along some actions are, the one measure boards see: the average of what each
    action not cancelled counts for in progress (a done one 100%), as a whole percent."""
    return round(credited_total / counted) if counted else None


def credited_progress_clause() -> ColumnElement[int]:
    """SQL: what an action counts for in a function's progress: a done action is 100%."""
    return case((Action.status == ActionStatus.DONE.value, DONE_PROGRESS), else_=Action.progress)
