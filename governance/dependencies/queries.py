"""Reading dependencies: an action's links both ways, each with its state, in one statement;
the plan's blocked actions; what each action waits on, for the export."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

from sqlalchemy import Integer, Select, bindparam, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from governance.actions.models import Action
from governance.actions.rules import is_open_clause, is_overdue
from governance.actions.status import ActionStatus
from governance.dependencies.models import ActionDependency
from governance.dependencies.rules import MOST_WAITED_ON, blocking_clauses, blocking_reasons
from governance.dependencies.views import ActionLinksView, BlockedActionView, LinkedActionView
from governance.parsing.references import format_ref

# What waits on an action: the first this many are shown, the rest counted.
WAITED_ON_SHOWN = 10
WAITS_ON, WAITED_ON_BY = 0, 1


def linked_view(action: Action, today: date) -> LinkedActionView:
    return LinkedActionView(
        ref=action.ref,
        title=action.title,
        status=ActionStatus(action.status),
        due_date=action.due_date,
        overdue=is_overdue(action.due_date, action.status, today),
        owner_id=action.owner_id,
        reasons=blocking_reasons(action.status, action.due_date, today),
    )


def waits_on(session: Session, action_id: int, today: date) -> tuple[LinkedActionView, ...]:
    """The actions `action_id` waits on, by number."""
    rows = session.scalars(
        select(Action)
        .join(ActionDependency, ActionDependency.depends_on_id == Action.id)
        .where(ActionDependency.action_id == action_id)
        .order_by(Action.number)
    )
    return tuple(linked_view(a, today) for a in rows)


def action_links(session: Session, action: Action, today: date) -> ActionLinksView:
    """What `action` waits on (at most MOST_WAITED_ON) and the first few waiting on it, each
    with its status, due date and owner, and how many wait on it: one statement."""
    rows = session.execute(_links_query(), {"action_id": action.id}).all()
    waiting = [(a, total) for a, side, total in rows if side == WAITED_ON_BY]
    return ActionLinksView(
        waits_on=tuple(linked_view(a, today) for a, side, _ in rows if side == WAITS_ON),
        waited_on_by=tuple(linked_view(a, today) for a, _ in waiting[:WAITED_ON_SHOWN]),
        waited_on_by_total=waiting[0][1] if waiting else 0,
    )


@cache
def _links_query() -> Select[Action, int, int]:
    """The statement `action_links` runs, built once: building its subqueries costs more
    than running it."""
    edge = ActionDependency
    action_id = bindparam("action_id", type_=Integer)
    sides = union_all(
        select(edge.depends_on_id.label("id"), literal(WAITS_ON).label("side")).where(
            edge.action_id == action_id
        ),
        select(edge.action_id.label("id"), literal(WAITED_ON_BY).label("side")).where(
            edge.depends_on_id == action_id
        ),
    ).subquery()
    ranked = (
        select(
            Action,
            sides.c.side,
            func.row_number()
            .over(partition_by=sides.c.side, order_by=Action.number)
            .label("place"),
            func.count().over(partition_by=sides.c.side).label("total"),
        )
        .join(sides, sides.c.id == Action.id)
        .subquery()
    )
    linked = aliased(Action, ranked)
    return (
        select(linked, ranked.c.side, ranked.c.total)
        .where(ranked.c.place <= max(MOST_WAITED_ON, WAITED_ON_SHOWN))
        .order_by(ranked.c.side, ranked.c.place)
    )


def blocked_actions(
    session: Session, plan_id: int, today: date, limit: int
) -> tuple[tuple[BlockedActionView, ...], int]:
    """The plan's open actions waiting on red, overdue or cancelled ones, by number: the
    first `limit`, and how many in all. One statement, its rows bounded by the plan's edges."""
    waiting = aliased(Action)
    blocker = aliased(Action)
    rows = session.execute(
        select(waiting, blocker)
        .join(ActionDependency, ActionDependency.action_id == waiting.id)
        .join(blocker, blocker.id == ActionDependency.depends_on_id)
        .where(
            ActionDependency.plan_id == plan_id,
            is_open_clause(waiting),
            or_(*blocking_clauses(blocker, today).values()),
        )
        .order_by(waiting.number, blocker.number)
    ).all()
    grouped: dict[int, list[Action]] = defaultdict(list)
    actions: dict[int, Action] = {}
    for action, blocking in rows:
        actions[action.id] = action
        grouped[action.id].append(blocking)
    items = tuple(
        BlockedActionView(
            plan_id=plan_id,
            ref=action.ref,
            title=action.title,
            owner_id=action.owner_id,
            blockers=tuple(linked_view(b, today) for b in grouped[action.id]),
        )
        for action in list(actions.values())[:limit]
    )
    return items, len(actions)


def waits_on_by_action(session: Session, plan_id: int) -> dict[int, list[str]]:
    """The references each of the plan's actions waits on, by action id, in one statement."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(ActionDependency.action_id, Action.number)
        .join(Action, Action.id == ActionDependency.depends_on_id)
        .where(ActionDependency.plan_id == plan_id)
        .order_by(ActionDependency.action_id, Action.number)
    )
    for action_id, number in rows:
        found[action_id].append(format_ref("A", number))
    return found
