"""Escalation: actions overdue more than 14 days go to the plan's leads, once.

Each lead gets one direct message listing the actions newly past the line. An action is
claimed per lead for the ISO week it crossed the line in, so it is escalated once however
long it stays overdue, and again only if its due date moves and it falls overdue anew.
An owner's snooze does not hide an action from the leads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.rules import is_overdue_clause
from governance.actions.status import ActionStatus
from governance.database import UnitOfWork
from governance.jobs.nudges import plans_in_scope
from governance.jobs.people import pattern_for, preferences
from governance.jobs.schedule import crossing_week, nudge_day
from governance.jobs.views import LateItemView, LeadAlertView
from governance.plans.models import Plan, Role
from governance.plans.roles import PlanRole

ESCALATE_AFTER_DAYS = 14

R = TypeVar("R")


def due_escalations(uow: UnitOfWork, plan_ids: Iterable[int] | None = None) -> list[LeadAlertView]:
    """Each lead's escalation due at the unit of work's "now", in a fixed number of queries."""
    now = uow.now()
    with uow.transaction() as session:
        plans = plans_in_scope(session, plan_ids)
        if not plans:
            return []
        # Any local date is at most a day ahead of UTC; escalated_action narrows per lead.
        line = now.date() - timedelta(days=ESCALATE_AFTER_DAYS - 1)
        late = session.scalars(
            select(Action)
            .where(
                Action.plan_id.in_(list(plans)),
                is_overdue_clause(line),
            )
            .order_by(Action.plan_id, Action.due_date, Action.number)
        )
        return lead_alerts(session, now, "escalation", plans, late, escalated_action)


def escalated_action(action: Action, today: date) -> LateItemView | None:
    """The action as the leads see it, when it is overdue more than 14 days on `today`."""
    if action.due_date is None or (today - action.due_date).days <= ESCALATE_AFTER_DAYS:
        return None
    return LateItemView(
        plan_id=action.plan_id,
        ref=action.ref,
        title=action.title,
        owner_id=action.owner_id,
        late_since=action.due_date,
        days_late=(today - action.due_date).days,
        week=crossing_week(action.due_date, ESCALATE_AFTER_DAYS),
        status=ActionStatus(action.status),
    )


def lead_alerts(
    session: Session,
    now: datetime,
    kind: str,
    plans: dict[int, Plan],
    rows: Iterable[R],
    to_item: Callable[[R, date], LateItemView | None],
) -> list[LeadAlertView]:
    """One message per plan lead whose nudge time it is, listing the items late on their
    own date; leads follow their working days and timezone like any owner."""
    by_plan: dict[int, list[R]] = defaultdict(list)
    for row in rows:
        by_plan[row.plan_id].append(row)  # type: ignore[attr-defined]
    if not by_plan:
        return []
    leads = session.execute(
        select(Role.plan_id, Role.user_id)
        .where(Role.plan_id.in_(list(by_plan)), Role.role == PlanRole.LEAD.value)
        .order_by(Role.plan_id, Role.id)
    )
    leads_by_plan: dict[int, list[str]] = defaultdict(list)
    for plan_id, user_id in leads:
        leads_by_plan[plan_id].append(user_id)
    known = preferences(
        session,
        ((plans[p].workspace_id, lead) for p, ids in leads_by_plan.items() for lead in ids),
    )
    alerts = []
    for plan_id, lead_ids in leads_by_plan.items():
        plan = plans[plan_id]
        for lead in lead_ids:
            pattern = pattern_for(plan, known.get((plan.workspace_id, lead)))
            day = nudge_day(now, plan.nudge_time, pattern)
            if day is None:
                continue
            items = _most_late([i for row in by_plan[plan_id] if (i := to_item(row, day))])
            if items:
                alerts.append(
                    LeadAlertView(
                        kind=kind,
                        plan_id=plan.id,
                        plan_name=plan.name,
                        lead_id=lead,
                        day=day,
                        items=tuple(items),
                    )
                )
    return alerts


def _most_late(items: Sequence[LateItemView]) -> list[LateItemView]:
    return sorted(items, key=lambda item: (-item.days_late, item.ref))
