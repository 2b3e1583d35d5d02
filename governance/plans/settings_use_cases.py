"""Plan settings (timezone, digest, nudges, quiet days, anonymity, retention, the board
paper's schedule) and people's own preferences."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import Invalid
from governance.jobs.people import pattern_for
from governance.local_time import local_today
from governance.parsing.dates import parse_date
from governance.plans.inputs import NONE_WORDS, MemberSettingsChange, PlanSettingsChange
from governance.plans.membership import plan_for
from governance.plans.models import WEEKDAYS, MemberPreference, Plan
from governance.plans.permissions import MANAGERS, require_role
from governance.plans.roles import PlanRole
from governance.plans.use_cases import plan_view
from governance.plans.views import MemberPreferenceView, SettingsView


def _preference(session: Session, plan: Plan, user_id: str) -> MemberPreference | None:
    return session.scalar(
        select(MemberPreference).where(
            MemberPreference.workspace_id == plan.workspace_id,
            MemberPreference.user_id == user_id,
        )
    )


def _preference_view(
    plan: Plan, row: MemberPreference | None, user_id: str
) -> MemberPreferenceView:
    """The person's preferences, with the days they are nudged on by the nudges' own rule."""
    pattern = pattern_for(plan, row)
    return MemberPreferenceView(
        user_id=user_id,
        working_days=tuple(
            day for number, day in enumerate(WEEKDAYS) if number in pattern.working_days
        ),
        own_days=row is not None and bool(row.working_days),
        away_until=None if row is None else row.away_until,
        timezone=None if row is None else row.timezone,
    )


def member_preferences(
    uow: UnitOfWork, actor: Actor, plan_id: int | None = None
) -> MemberPreferenceView:
    """The actor's own working days, away date and timezone (defaults when never set)."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return _preference_view(plan, _preference(session, plan, actor.user_id), actor.user_id)


def show_settings(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> SettingsView:
    """The plan's settings and the actor's own preferences."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return SettingsView(
            plan=plan_view(session, plan, actor.user_id),
            me=_preference_view(plan, _preference(session, plan, actor.user_id), actor.user_id),
        )


def _plan_settings(plan: Plan) -> dict[str, Any]:
    """Current values in the form `plan settings` takes, for the audit's old/new."""
    return {
        "digest": f"{WEEKDAYS[plan.digest_weekday]}@{plan.digest_time:%H:%M}",
        "nudges": f"{plan.nudge_time:%H:%M}",
        "quiet": "weekends" if plan.quiet_weekends else "none",
        "anonymity": plan.anonymity_threshold,
        "tz": plan.timezone,
        "retention": f"{plan.feedback_retention_months}m",
        "report": plan.report_schedule or "none",
        "issues": f"{plan.issue_escalation_days}d",
    }


def update_settings(uow: UnitOfWork, actor: Actor, data: PlanSettingsChange) -> SettingsView:
    """Leads and chairs change the timezone, digest time, nudge time, quiet days and anonymity
    threshold; only leads change how long feedback text is kept (retention) and how long an
    issue may stay open before it goes to them (issues). Schedules are read fresh on each
    pass, so they follow from the next run.

    Every change is audited with its old and new value; the anonymity threshold protects
    anonymous feedback givers, so who lowered it must be on record.
    """
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, doing="change the plan's settings")
        if data.retention is not None:
            require_role(
                session,
                plan,
                actor.user_id,
                (PlanRole.LEAD,),
                doing="change how long feedback is kept",
            )
        if data.issues is not None:
            require_role(
                session,
                plan,
                actor.user_id,
                (PlanRole.LEAD,),
                doing="change how long an issue may stay open before it is escalated",
            )
        before = _plan_settings(plan)
        if data.tz is not None:
            plan.timezone = data.tz
        if data.digest is not None:
            plan.digest_weekday, plan.digest_time = data.digest
        if data.nudges is not None:
            plan.nudge_time = data.nudges
        if data.quiet is not None:
            plan.quiet_weekends = data.quiet
        if data.anonymity is not None:
            plan.anonymity_threshold = data.anonymity
        if data.retention is not None:
            plan.feedback_retention_months = data.retention
        if data.report is not None:
            plan.report_schedule = None if data.report == "none" else data.report
        if data.issues is not None:
            plan.issue_escalation_days = data.issues
        after = _plan_settings(plan)
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if changes:
            record(
                session,
                plan,
                actor_id=actor.user_id,
                at=uow.now(),
                entity="plan",
                ref=str(plan.id),
                verb="settings",
                changes=changes,
            )
            session.flush()
        return SettingsView(
            plan=plan_view(session, plan, actor.user_id),
            me=_preference_view(plan, _preference(session, plan, actor.user_id), actor.user_id),
            changed=tuple(changes),
        )


def update_member_preferences(
    uow: UnitOfWork, actor: Actor, data: MemberSettingsChange
) -> SettingsView:
    """Each person sets only their own working days, away-until date and timezone.

    `away` is read in the person's timezone (the new one, the stored one, else the plan's);
    a date already past is refused, `none` clears it.
    """
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        row = _preference(session, plan, actor.user_id)
        if row is None:
            row = MemberPreference(workspace_id=plan.workspace_id, user_id=actor.user_id)
            session.add(row)
        before = _preference_view(plan, row, actor.user_id)
        if data.tz is not None:
            row.timezone = None if data.tz == "none" else data.tz
        if data.days is not None:
            row.working_days = ",".join(data.days)
        if data.away is not None:
            row.away_until = _away_until(data.away, row.timezone or plan.timezone, uow)
        after = _preference_view(plan, row, actor.user_id)
        changed = tuple(
            name
            for name, old, new in (
                ("days", before.chosen_days, after.chosen_days),
                ("away", before.away_until, after.away_until),
                ("tz", before.timezone, after.timezone),
            )
            if old != new
        )
        if changed:
            record(
                session,
                plan,
                actor_id=actor.user_id,
                at=uow.now(),
                entity="member",
                ref=actor.user_id,
                verb="preferences",
                changes=_preference_changes(before, after, changed),
            )
        session.flush()
        return SettingsView(plan=plan_view(session, plan, actor.user_id), me=after, changed=changed)


def _away_until(text: str, timezone: str, uow: UnitOfWork) -> date | None:
    if text.lower() in NONE_WORDS:
        return None
    today = local_today(uow.now(), timezone)
    away = parse_date(text, today)
    if away < today:
        raise Invalid(
            f"{away.day} {away:%b %Y} is already past.",
            hint="Give the last day you are away, e.g. `away:2026-12-24`, or `away:none`.",
        )
    return away


def _preference_changes(
    before: MemberPreferenceView, after: MemberPreferenceView, changed: tuple[str, ...]
) -> dict[str, list[Any]]:
    shown = {
        "days": lambda v: ",".join(v.working_days),
        "away": lambda v: v.away_until.isoformat() if v.away_until else None,
        "tz": lambda v: v.timezone,
    }
    return {name: [shown[name](before), shown[name](after)] for name in changed}
