"""Issue escalation: an issue open longer than the plan's limit (`issues:` in the plan's
settings, 14 days unless a lead changes it) goes to the plan's leads, once.

Like an overdue action's escalation, each lead gets one direct message at their nudge time
listing the issues newly past the line. Each issue is claimed per lead under the week it was
opened, which never changes, so it goes to each lead once however long it stays open, even
if the limit is changed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select

from governance.database import UnitOfWork
from governance.issues.models import Issue
from governance.issues.rules import days_open, is_escalated, is_open_clause
from governance.jobs.escalation import lead_alerts
from governance.jobs.nudges import plans_in_scope
from governance.jobs.schedule import iso_week
from governance.jobs.views import LateItemView, LeadAlertView
from governance.local_time import local_today
from governance.plans.models import ISSUE_ESCALATION_DAYS_RANGE, Plan

KIND = "issue-escalation"


def due_issue_escalations(
    uow: UnitOfWork, plan_ids: Iterable[int] | None = None
) -> list[LeadAlertView]:
    """Each lead's list of issues open too long, due at the unit of work's "now"."""
    now = uow.now()
    with uow.transaction() as session:
        plans = plans_in_scope(session, plan_ids)
        if not plans:
            return []
        # No plan's limit is under a day; escalated_issue narrows to each plan's own limit.
        line = now - timedelta(days=ISSUE_ESCALATION_DAYS_RANGE[0])
        late = session.scalars(
            select(Issue)
            .where(Issue.plan_id.in_(list(plans)), is_open_clause(), Issue.created_at < line)
            .order_by(Issue.plan_id, Issue.created_at, Issue.number)
        )
        return lead_alerts(
            session, now, KIND, plans, late, lambda issue, day: escalated_issue(issue, plans, day)
        )


def escalated_issue(issue: Issue, plans: dict[int, Plan], today: date) -> LateItemView | None:
    """The issue as the leads see it, when on `today` it has been open longer than its plan's
    limit."""
    plan = plans[issue.plan_id]
    opened_on = local_today(issue.created_at, plan.timezone)
    if not is_escalated(opened_on, issue.status, plan.issue_escalation_days, today):
        return None
    return LateItemView(
        plan_id=issue.plan_id,
        ref=issue.ref,
        title=issue.title,
        owner_id=issue.owner_id,
        late_since=opened_on,
        days_late=days_open(opened_on, today),
        week=iso_week(opened_on),
        severity=issue.severity,
    )
