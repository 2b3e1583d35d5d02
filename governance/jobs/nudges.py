"""Owners' nudges: one direct message a working day listing what needs their attention.

An owner hears about their open actions that are overdue, due within 7 days or without an
update for 14 days, their open risks past review, unless they snoozed the item, their
measures whose value for the period due is missing after the plan's grace period, their
open issues (most severe first) until they are resolved, and, once, that an action one of
theirs waits on has turned red, become overdue or been cancelled
(governance/dependencies/notices.py). The
nudge comes at the plan's nudge time on the owner's own clock, on their working days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.rules import is_open_clause, is_overdue
from governance.actions.status import ActionStatus
from governance.database import UnitOfWork
from governance.dependencies.notices import mark_told, refresh_notices, untold_notices
from governance.dependencies.views import BlockedActionView
from governance.issues.models import Issue
from governance.issues.rules import days_open, severity_word
from governance.issues.rules import is_open_clause as is_open_issue_clause
from governance.jobs.people import pattern_for, preferences
from governance.jobs.schedule import nudge_day
from governance.jobs.views import (
    NudgeActionView,
    NudgeIssueView,
    NudgeMeasureView,
    NudgeRiskView,
    NudgeView,
)
from governance.local_time import local_today
from governance.measures.models import Measure
from governance.measures.rules import is_value_late, period_end, period_key, period_name
from governance.measures.use_cases import measure_title, measures_due
from governance.people.pseudonyms import not_pseudonym
from governance.plans.models import Plan
from governance.risks.models import Risk
from governance.risks.rules import RiskStatus

DUE_SOON_DAYS = 7
STALE_AFTER = timedelta(days=14)
# Each item takes two blocks (text and buttons) of the 50 a message may hold.
ITEM_LIMIT = 20
RISK_LIMIT = 5
# Missing values share one block, so they take nothing from the 20 items above.
MEASURE_LIMIT = 10
# Actions held up by what they wait on share one block too.
BLOCKED_LIMIT = 10
# Open issues share one block too.
ISSUE_LIMIT = 10


def due_nudges(uow: UnitOfWork, plan_ids: Iterable[int] | None = None) -> list[NudgeView]:
    """Every nudge due at the unit of work's "now", in a fixed number of queries."""
    now = uow.now()
    with uow.transaction() as session:
        plans = plans_in_scope(session, plan_ids)
        if not plans:
            return []
        actions: dict[tuple[int, str], list[Action]] = defaultdict(list)
        for action in _candidate_actions(session, plans, now):
            actions[(action.plan_id, action.owner_id or "")].append(action)
        risks: dict[tuple[int, str], list[Risk]] = defaultdict(list)
        for risk in _candidate_risks(session, plans, now):
            risks[(risk.plan_id, risk.owner_id or "")].append(risk)
        measures: dict[tuple[int, str], list[tuple[Measure, date]]] = defaultdict(list)
        todays = {plan.id: local_today(now, plan.timezone) for plan in plans.values()}
        for plan, measure, period in measures_due(session, list(plans.values()), todays):
            if measure.owner_id:
                measures[(plan.id, measure.owner_id)].append((measure, period))
        refresh_notices(session, todays, now)
        blocked = untold_notices(session, todays)
        issues: dict[tuple[int, str], list[Issue]] = defaultdict(list)
        for issue in _candidate_issues(session, plans):
            issues[(issue.plan_id, issue.owner_id or "")].append(issue)
        owners = sorted(set(actions) | set(risks) | set(measures) | set(issues) | set(blocked))
        known = preferences(session, ((plans[p].workspace_id, owner) for p, owner in owners))
        nudges = []
        for plan_id, owner in owners:
            plan = plans[plan_id]
            pattern = pattern_for(plan, known.get((plan.workspace_id, owner)))
            day = nudge_day(now, plan.nudge_time, pattern)
            if day is None:
                continue
            key = (plan_id, owner)
            nudge = _nudge(
                plan, owner, day, now, actions[key], risks[key], measures[key], blocked.get(key, [])
            )
            nudge = with_issues(nudge, plan, owner, day, issues[key])
            if nudge is not None:
                nudges.append(nudge)
        return nudges


def nudge_sent(session: Session, nudge: NudgeView, now: datetime) -> None:
    """What a sent nudge settles: the dependency notices it carried have been told."""
    mark_told(session, nudge.blocked, now)


def plans_in_scope(session: Session, plan_ids: Iterable[int] | None) -> dict[int, Plan]:
    query = select(Plan).order_by(Plan.id)
    if plan_ids is not None:
        query = query.where(Plan.id.in_(list(plan_ids)))
    return {plan.id: plan for plan in session.scalars(query)}


def _owned_in(
    model: type[Action] | type[Risk] | type[Issue], plans: dict[int, Plan]
) -> tuple[ColumnElement[bool], ...]:
    """Rows of these plans that a named person, not a pseudonym, owns: who can be nudged."""
    return (
        model.plan_id.in_(list(plans)),
        model.owner_id.is_not(None),
        not_pseudonym(model.owner_id),
    )


def _candidate_actions(session: Session, plans: dict[int, Plan], now: datetime) -> list[Action]:
    # Wide enough for any owner's local date (at most a day ahead of UTC); _nudge narrows.
    horizon = now.date() + timedelta(days=DUE_SOON_DAYS + 1)
    return list(
        session.scalars(
            select(Action)
            .where(
                *_owned_in(Action, plans),
                is_open_clause(),
                or_(Action.due_date <= horizon, Action.updated_at < now - STALE_AFTER),
            )
            .order_by(Action.plan_id, Action.number)
        )
    )


def _candidate_risks(session: Session, plans: dict[int, Plan], now: datetime) -> list[Risk]:
    return list(
        session.scalars(
            select(Risk)
            .where(
                *_owned_in(Risk, plans),
                Risk.status == RiskStatus.OPEN.value,
                Risk.review_date <= now.date(),
            )
            .order_by(Risk.plan_id, Risk.number)
        )
    )


def _candidate_issues(session: Session, plans: dict[int, Plan]) -> list[Issue]:
    return list(
        session.scalars(
            select(Issue)
            .where(
                *_owned_in(Issue, plans),
                is_open_issue_clause(),
            )
            .order_by(Issue.plan_id, Issue.severity.desc(), Issue.created_at, Issue.number)
        )
    )


def nudge_issue(plan: Plan, issue: Issue, today: date) -> NudgeIssueView:
    """The open issue as its owner's nudge shows it."""
    return NudgeIssueView(
        plan_id=plan.id,
        ref=issue.ref,
        title=issue.title,
        severity=issue.severity,
        severity_word=severity_word(issue.severity),
        days_open=days_open(local_today(issue.created_at, plan.timezone), today),
    )


def with_issues(
    nudge: NudgeView | None, plan: Plan, owner: str, day: date, issues: list[Issue]
) -> NudgeView | None:
    """The nudge with the owner's open issues (one block, so they take none of the items'
    places); a nudge of its own when there is nothing else to say."""
    if not issues:
        return nudge
    items = tuple(nudge_issue(plan, issue, day) for issue in issues[:ISSUE_LIMIT])
    if nudge is None:
        nudge = NudgeView(
            plan_id=plan.id, plan_name=plan.name, owner_id=owner, day=day, actions=(), risks=()
        )
    return replace(nudge, issues=items)


def is_snoozed(snoozed_until: date | None, today: date) -> bool:
    """Snoozed items stay out of nudges until the day the snooze ends."""
    return snoozed_until is not None and today < snoozed_until


def nudge_action(action: Action, today: date, now: datetime) -> NudgeActionView | None:
    """The action as its owner's nudge shows it, or None when there is nothing to say."""
    if is_snoozed(action.snoozed_until, today):
        return None
    due = action.due_date
    days_overdue = (today - due).days if due and is_overdue(due, action.status, today) else None
    due_in = (due - today).days if due is not None and today <= due else None
    if due_in is not None and due_in > DUE_SOON_DAYS:
        due_in = None
    quiet_for = now - action.updated_at
    days_since_update = quiet_for.days if quiet_for > STALE_AFTER else None
    if days_overdue is None and due_in is None and days_since_update is None:
        return None
    return NudgeActionView(
        plan_id=action.plan_id,
        ref=action.ref,
        title=action.title,
        status=ActionStatus(action.status),
        progress=action.progress,
        due_date=due,
        days_overdue=days_overdue,
        due_in_days=due_in,
        days_since_update=days_since_update,
    )


def nudge_risk(risk: Risk, today: date) -> NudgeRiskView | None:
    if is_snoozed(risk.snoozed_until, today):
        return None
    if risk.review_date is None or risk.review_date >= today:
        return None
    return NudgeRiskView(
        plan_id=risk.plan_id,
        ref=risk.ref,
        title=risk.title,
        score=risk.score,
        grade=risk.grade,
        review_date=risk.review_date,
        days_past_review=(today - risk.review_date).days,
    )


def _urgency(item: NudgeActionView) -> tuple[int, int]:
    if item.days_overdue is not None:
        return (0, -item.days_overdue)
    if item.due_in_days is not None:
        return (1, item.due_in_days)
    return (2, -(item.days_since_update or 0))


def _nudge(
    plan: Plan,
    owner: str,
    day: date,
    now: datetime,
    actions: list[Action],
    risks: list[Risk],
    measures: list[tuple[Measure, date]],
    blocked: list[BlockedActionView],
) -> NudgeView | None:
    action_items = sorted(
        (item for a in actions if (item := nudge_action(a, day, now)) is not None), key=_urgency
    )
    risk_items = sorted(
        (risk for r in risks if (risk := nudge_risk(r, day)) is not None),
        key=lambda item: (-item.days_past_review, item.ref),
    )
    measure_items = tuple(
        due for m, period in measures if (due := nudge_measure(plan, m, period, day)) is not None
    )
    if not action_items and not risk_items and not measure_items and not blocked:
        return None
    # Risks keep a few places however many actions there are, and fill any left over.
    shown_risks = risk_items[: max(RISK_LIMIT, ITEM_LIMIT - len(action_items))]
    shown_actions = action_items[: ITEM_LIMIT - len(shown_risks)]
    return NudgeView(
        plan_id=plan.id,
        plan_name=plan.name,
        owner_id=owner,
        day=day,
        actions=tuple(shown_actions),
        risks=tuple(shown_risks),
        more=len(action_items) + len(risk_items) - len(shown_actions) - len(shown_risks),
        measures=measure_items[:MEASURE_LIMIT],
        # Those beyond the limit keep their notices untold, for the next nudge.
        blocked=tuple(blocked[:BLOCKED_LIMIT]),
    )


def nudge_measure(
    plan: Plan, measure: Measure, period: date, today: date
) -> NudgeMeasureView | None:
    """The missing value as its owner's nudge shows it, once the grace period has passed."""
    if not is_value_late(period, measure.frequency, plan.measure_grace_days, today):
        return None
    late = (today - period_end(period, measure.frequency)).days - plan.measure_grace_days
    return NudgeMeasureView(
        plan_id=plan.id,
        ref=measure.ref,
        title=measure_title(measure),
        period_key=period_key(period, measure.frequency),
        period_name=period_name(period, measure.frequency),
        days_late=late,
    )
