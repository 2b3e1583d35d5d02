"""Retention: feedback text older than the plan's period is erased; the row stays.

Counts by source, function, area and rating (the digest, exports, board papers) go on
including it; only what the person wrote is gone. Each pass is audited with the references
erased and never with their text. A pass erases each text once, however many replicas run.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from governance.audit.record import record
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from governance.local_time import local_today
from governance.plans.models import Plan


@dataclass
class RetentionReport:
    """What one retention pass erased: feedback references per plan."""

    at: datetime
    erased: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        count = sum(len(refs) for refs in self.erased.values())
        return (
            f"retention at {self.at.isoformat()}: feedback text erased from {count} "
            f"item{'s' if count != 1 else ''} in {len(self.erased)} "
            f"plan{'s' if len(self.erased) != 1 else ''}"
        )


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is short)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def retention_cutoff(plan: Plan, now: datetime) -> datetime:
    """Feedback given before this instant (local midnight, N months ago) is past retention."""
    first_kept = months_before(local_today(now, plan.timezone), plan.feedback_retention_months)
    return datetime.combine(first_kept, time(0), ZoneInfo(plan.timezone))


def erase_expired_feedback(
    uow: UnitOfWork, plan_ids: Iterable[int] | None = None
) -> RetentionReport:
    """Erase the text of every plan's feedback older than its retention period, in one
    transaction; the rows, their counts and their answers stay."""
    now = uow.now()
    report = RetentionReport(at=now)
    with uow.transaction() as session:
        query = select(Plan).order_by(Plan.id)
        if plan_ids is not None:
            query = query.where(Plan.id.in_(list(plan_ids)))
        for plan in session.scalars(query):
            cutoff = retention_cutoff(plan, now)
            due = session.execute(
                select(Feedback.id, Feedback.number)
                .where(
                    Feedback.plan_id == plan.id,
                    Feedback.created_at < cutoff,
                    Feedback.text_erased_at.is_(None),
                )
                .order_by(Feedback.number)
                .with_for_update()
            ).all()
            if not due:
                continue
            session.execute(
                update(Feedback)
                .where(Feedback.id.in_([row.id for row in due]))
                .values(text="", text_erased_at=now)
                .execution_options(synchronize_session=False)
            )
            refs = [f"F-{row.number}" for row in due]
            record(
                session,
                plan,
                actor_id=None,
                at=now,
                entity="feedback",
                ref="retention",
                verb="erase-text",
                refs=refs,
                given_before=cutoff.date().isoformat(),
                months=plan.feedback_retention_months,
            )
            report.erased[plan.name] = refs
    return report
