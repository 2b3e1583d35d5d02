"""Risk reviews: a risk 14 days or more past its review date goes to the plan's leads, once.

(Its owner hears about it from the day after the review date, in their nudge.) Like an
escalation, each lead gets it once for the week it crossed the line, and again only if a
new review date passes in turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select

from governance.database import UnitOfWork
from governance.jobs.escalation import lead_alerts
from governance.jobs.nudges import plans_in_scope
from governance.jobs.schedule import crossing_week
from governance.jobs.views import LateItemView, LeadAlertView
from governance.risks.models import Risk
from governance.risks.rules import RiskStatus

REVIEW_OVERDUE_DAYS = 14


def due_risk_reviews(uow: UnitOfWork, plan_ids: Iterable[int] | None = None) -> list[LeadAlertView]:
    """Each lead's list of risks long past review, due at the unit of work's "now"."""
    now = uow.now()
    with uow.transaction() as session:
        plans = plans_in_scope(session, plan_ids)
        if not plans:
            return []
        # Any local date is at most a day ahead of UTC; overdue_review narrows per lead.
        line = now.date() + timedelta(days=1 - REVIEW_OVERDUE_DAYS)
        late = session.scalars(
            select(Risk)
            .where(
                Risk.plan_id.in_(list(plans)),
                Risk.status == RiskStatus.OPEN.value,
                Risk.review_date <= line,
            )
            .order_by(Risk.plan_id, Risk.review_date, Risk.number)
        )
        return lead_alerts(session, now, "risk-review", plans, late, overdue_review)


def overdue_review(risk: Risk, today: date) -> LateItemView | None:
    """The risk as the leads see it, when `today` is 14 days or more past its review date."""
    if risk.review_date is None or (today - risk.review_date).days < REVIEW_OVERDUE_DAYS:
        return None
    return LateItemView(
        plan_id=risk.plan_id,
        ref=risk.ref,
        title=risk.title,
        owner_id=risk.owner_id,
        late_since=risk.review_date,
        days_late=(today - risk.review_date).days,
        week=crossing_week(risk.review_date, REVIEW_OVERDUE_DAYS - 1),
        score=risk.score,
    )
