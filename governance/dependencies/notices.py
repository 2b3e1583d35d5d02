"""Telling the owners of waiting actions, once, that an action they wait on holds them up.

A notice is kept per (waiting action, blocker, reason: red, overdue or cancelled). Each nudge
pass first brings the notices in line with the plan as it stands, in a few statements
however large the graph: a reason that now holds gets a notice, one that no longer holds
loses it (so a blocker that recovers and slips again is told again). Notices not yet told
ride in the waiting owner's next nudge, and are marked told in the same transaction that
records the nudge as sent, so a second pass, a retry or another replica never tells twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from governance.actions.models import Action
from governance.actions.rules import is_open_clause
from governance.dependencies.models import ActionDependency, DependencyNotice
from governance.dependencies.queries import linked_view
from governance.dependencies.rules import BlockReason, blocking_clauses, blocking_reasons
from governance.dependencies.views import BlockedActionView, LinkedActionView
from governance.people.pseudonyms import not_pseudonym

# Rows per INSERT, well within SQLite's limit on a statement's parameters.
_INSERT_CHUNK = 500

NoticeKey = tuple[int, int, int, str]  # plan, waiting action, blocker, reason


def refresh_notices(session: Session, todays: Mapping[int, date], now: datetime) -> None:
    """Raise a notice for each reason an action waited on holds up an open one today (each
    plan's own date in `todays`), and drop the notices whose reason no longer holds."""
    holding = _holding(session, todays)
    kept = session.execute(
        select(
            DependencyNotice.id,
            DependencyNotice.plan_id,
            DependencyNotice.action_id,
            DependencyNotice.blocker_id,
            DependencyNotice.reason,
        ).where(DependencyNotice.plan_id.in_(list(todays)))
    ).all()
    gone = [
        row.id
        for row in kept
        if (row.plan_id, row.action_id, row.blocker_id, row.reason) not in holding
    ]
    if gone:
        session.execute(delete(DependencyNotice).where(DependencyNotice.id.in_(gone)))
    known = {(row.plan_id, row.action_id, row.blocker_id, row.reason) for row in kept}
    new = [
        {
            "plan_id": plan_id,
            "action_id": action_id,
            "blocker_id": blocker_id,
            "reason": reason,
            "raised_at": now,
        }
        for plan_id, action_id, blocker_id, reason in sorted(holding - known)
    ]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for start in range(0, len(new), _INSERT_CHUNK):
        # Another pass may raise the same notice at the same moment: it stands.
        session.execute(
            insert(DependencyNotice)
            .values(new[start : start + _INSERT_CHUNK])
            .on_conflict_do_nothing()
        )


def _holding(session: Session, todays: Mapping[int, date]) -> set[NoticeKey]:
    """Every (plan, waiting action, blocker, reason) that holds now: one statement per
    distinct plan date (plans in one timezone share it), its rows the blocked edges only."""
    plans_on: dict[date, list[int]] = defaultdict(list)
    for plan_id, today in todays.items():
        plans_on[today].append(plan_id)
    waiting = aliased(Action)
    blocker = aliased(Action)
    holding: set[NoticeKey] = set()
    for today, plan_ids in plans_on.items():
        rows = session.execute(
            select(
                ActionDependency.plan_id,
                ActionDependency.action_id,
                blocker.id,
                blocker.status,
                blocker.due_date,
            )
            .join(waiting, waiting.id == ActionDependency.action_id)
            .join(blocker, blocker.id == ActionDependency.depends_on_id)
            .where(
                ActionDependency.plan_id.in_(plan_ids),
                is_open_clause(waiting),
                or_(*blocking_clauses(blocker, today).values()),
            )
        )
        for plan_id, action_id, blocker_id, status, due in rows:
            holding.update(
                (plan_id, action_id, blocker_id, reason.value)
                for reason in blocking_reasons(status, due, today)
            )
    return holding


def untold_notices(
    session: Session, todays: Mapping[int, date]
) -> dict[tuple[int, str], list[BlockedActionView]]:
    """The notices not yet told, as blocked actions by (plan, owner of the waiting action)."""
    waiting = aliased(Action)
    blocker = aliased(Action)
    rows = session.execute(
        select(DependencyNotice.id, DependencyNotice.reason, waiting, blocker)
        .join(waiting, waiting.id == DependencyNotice.action_id)
        .join(blocker, blocker.id == DependencyNotice.blocker_id)
        .where(
            DependencyNotice.plan_id.in_(list(todays)),
            DependencyNotice.told_at.is_(None),
            waiting.owner_id.is_not(None),
            not_pseudonym(waiting.owner_id),
        )
        .order_by(waiting.plan_id, waiting.number, blocker.number, DependencyNotice.reason)
    ).all()
    found: dict[int, tuple[Action, dict[int, tuple[Action, list[BlockReason]]], list[int]]] = {}
    for notice_id, reason, action, blocking in rows:
        _, blockers, ids = found.setdefault(action.id, (action, {}, []))
        blockers.setdefault(blocking.id, (blocking, []))[1].append(BlockReason(reason))
        ids.append(notice_id)
    by_owner: dict[tuple[int, str], list[BlockedActionView]] = defaultdict(list)
    for action, blockers, ids in found.values():
        today = todays[action.plan_id]
        by_owner[(action.plan_id, action.owner_id or "")].append(
            BlockedActionView(
                plan_id=action.plan_id,
                ref=action.ref,
                title=action.title,
                owner_id=action.owner_id,
                blockers=tuple(
                    _told_view(blocking, reasons, today) for blocking, reasons in blockers.values()
                ),
                notice_ids=tuple(ids),
            )
        )
    return by_owner


def _told_view(blocker: Action, reasons: list[BlockReason], today: date) -> LinkedActionView:
    """The blocker as the notice tells it: only the reasons not told yet."""
    return replace(linked_view(blocker, today), reasons=tuple(reasons))


def mark_told(session: Session, blocked: tuple[BlockedActionView, ...], now: datetime) -> None:
    """The notices these blocked actions carried have been told."""
    ids = [notice_id for item in blocked for notice_id in item.notice_ids]
    if ids:
        session.execute(
            update(DependencyNotice)
            .where(DependencyNotice.id.in_(ids))
            .values(told_at=now)
            .execution_options(synchronize_session=False)
        )
