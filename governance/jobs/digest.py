"""The weekly digest for the people board: celebrate success first, then progress by people
function, what needs attention, and what staff and service users said.

A digest covers the time from the plan's previous digest (from the plan's setup, for the
first) up to the moment it is composed, so nothing is celebrated twice or missed: not
between two digests, nor before the first. It is
composed in a fixed number of aggregate queries however large the plan; long lists keep
their first few items and a count of the rest, which `plan export` gives in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from governance.actions.models import Action
from governance.actions.rules import (
    is_open_clause,
    is_overdue,
    is_overdue_clause,
    percent_complete,
)
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.challenges.models import Challenge
from governance.database import UnitOfWork
from governance.decisions.use_cases import digest_decisions
from governance.dependencies.queries import blocked_actions
from governance.dependencies.views import BlockedActionView
from governance.errors import Invalid
from governance.feedback.use_cases import feedback_summary
from governance.hints import Command, Hint
from governance.inputs import Input
from governance.issues.use_cases import open_issues
from governance.issues.views import IssueView
from governance.jobs.delivery import finished_keys
from governance.jobs.models import JobClaim
from governance.jobs.nudges import plans_in_scope
from governance.jobs.schedule import digest_week
from governance.jobs.views import (
    DigestActionView,
    DigestChallengeView,
    DigestFunctionView,
    DigestRiskView,
    DigestView,
    DigestWinView,
    ListedView,
)
from governance.local_time import local_time, local_today
from governance.measures.spc import Variation
from governance.measures.use_cases import plan_measures
from governance.measures.views import MeasureView
from governance.parsing.references import format_ref
from governance.people_functions.models import PeopleFunction
from governance.people_functions.overview import FunctionTally, tally_by_function
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.permissions import FEEDBACK_READERS, MANAGERS, require_role
from governance.risks.models import Risk
from governance.risks.rules import EXTREME_FROM, RiskStatus, grade
from governance.wins.models import Win, WinPartner

# Items each list shows before summarising the rest (keeps every section within Slack's
# 3,000 characters and the message within its 50 blocks).
LIST_LIMIT = 8
NO_FUNCTION_NAME = "No people function given"
BOARD_HINT = Hint("A lead can choose it with {}.", Command("plan", "board #channel"))


class PlanDigest(Input):
    plan_id: int | None = None


def due_digests(uow: UnitOfWork, plan_ids: Iterable[int] | None = None) -> list[DigestView]:
    """The digest of every plan whose weekly moment has passed and whose week's digest has
    not been posted yet, as at the unit of work's "now"."""
    now = uow.now()
    with uow.transaction() as session:
        due: dict[str, Plan] = {}
        for plan in plans_in_scope(session, plan_ids).values():
            if not plan.board_channel_id:
                continue
            week = digest_week(now, plan.digest_weekday, plan.digest_time, plan.timezone)
            if week is not None:
                due[scheduled_key(plan.id, week)] = plan
        posted = finished_keys(session, "digest", due)
        return [
            compose_digest(session, plan, now, key=key, week=key.rsplit("/", 1)[1])
            for key, plan in due.items()
            if key not in posted
        ]


def preview_digest(uow: UnitOfWork, actor: Actor, data: PlanDigest) -> DigestView:
    """The digest as it would be posted now, for the plan's leads, chairs and data leads."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, FEEDBACK_READERS, doing="preview the digest")
        return compose_digest(session, plan, uow.now())


def digest_to_post(uow: UnitOfWork, actor: Actor, data: PlanDigest) -> DigestView:
    """The digest a lead or chair posts now to the board channel.

    It counts as the plan's latest digest, so the next one covers the time since; asking
    twice within a minute posts once.
    """
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, doing="post the digest")
        if not plan.board_channel_id:
            raise Invalid("This plan has no board channel to post the digest to.", hint=BOARD_HINT)
        now = uow.now()
        return compose_digest(session, plan, now, key=f"plan-{plan.id}/now/{now:%Y-%m-%dT%H:%M}")


def scheduled_key(plan_id: int, week: str) -> str:
    return f"plan-{plan_id}/{week}"


def last_digest_at(session: Session, plan: Plan, now: datetime) -> datetime | None:
    """When the plan's previous digest was posted (the moment its claim was made)."""
    return session.scalar(
        select(func.max(JobClaim.claimed_at)).where(
            JobClaim.kind == "digest",
            JobClaim.key.like(f"plan-{plan.id}/%"),
            JobClaim.done_at.is_not(None),
            JobClaim.claimed_at < now,
        )
    )


def compose_digest(
    session: Session,
    plan: Plan,
    now: datetime,
    *,
    key: str | None = None,
    week: str | None = None,
) -> DigestView:
    """The plan's digest at `now`, in a fixed number of queries however large the plan."""
    previous = last_digest_at(session, plan, now)
    since = previous or plan.created_at
    today = local_today(now, plan.timezone)
    # Held for the whole composition, so every `.function` read below (the feedback
    # summary's included) comes from the session's identity map instead of a query.
    people_functions = list(session.scalars(select(PeopleFunction).order_by(PeopleFunction.number)))
    functions = function_progress(session, plan, people_functions)
    attention, overdue_total, red_total = needing_attention(session, plan, today)
    decisions_needed, decided = digest_decisions(session, plan, since, now)
    return DigestView(
        plan_id=plan.id,
        plan_name=plan.name,
        board_channel_id=plan.board_channel_id,
        week=week,
        since=local_time(since, plan.timezone),
        until=local_time(now, plan.timezone),
        first=previous is None,
        wins=wins_between(session, plan, since, now),
        completed=completed_between(session, plan, since, now, today),
        functions=functions,
        attention=attention,
        overdue_total=overdue_total,
        red_total=red_total,
        extreme_risks=_extreme_risks(session, plan),
        open_challenges=open_challenges(session, plan),
        feedback=feedback_summary(session, plan, since),
        key=key,
        measures=_measures(session, plan, today),
        decisions_needed=decisions_needed,
        decided=decided,
        blocked=_blocked(session, plan, today),
        issues=ListedView(*_issues(session, plan, today)),
    )


def _blocked(session: Session, plan: Plan, today: date) -> ListedView[BlockedActionView]:
    """Open actions held up by red, overdue or cancelled actions they wait on."""
    items, total = blocked_actions(session, plan.id, today, LIST_LIMIT)
    return ListedView(items, total)


def _issues(session: Session, plan: Plan, today: date) -> tuple[tuple[IssueView, ...], int]:
    """Open issues, most severe first, and how many are open."""
    shown, total = open_issues(session, plan, today, LIST_LIMIT)
    return tuple(shown), total


def _measures(session: Session, plan: Plan, today: date) -> tuple[MeasureView, ...]:
    """Active measures, those showing special cause concern first, then by number."""
    measures = plan_measures(session, plan, today)
    return tuple(sorted(measures, key=lambda m: m.variation is not Variation.CONCERN))


def _count(session: Session, query: Any) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def wins_between(
    session: Session, plan: Plan, since: datetime, until: datetime
) -> ListedView[DigestWinView]:
    """Wins recorded from `since` until `until`, the first few and how many."""
    query = select(Win).where(
        Win.plan_id == plan.id, Win.created_at >= since, Win.created_at < until
    )
    rows = session.scalars(
        query.options(
            selectinload(Win.people),
            selectinload(Win.partners).selectinload(WinPartner.partner),
        )
        .order_by(Win.created_at, Win.number)
        .limit(LIST_LIMIT)
    )
    items = tuple(
        DigestWinView(
            ref=win.ref,
            text=win.text,
            function_name=win.function.name if win.function else None,
            people=tuple(person.user_id for person in win.people),
            partners=tuple(link.partner.name for link in win.partners),
        )
        for win in rows
    )
    return ListedView(items, _count(session, query))


def _digest_action(action: Action, plan: Plan, today: date) -> DigestActionView:
    return DigestActionView(
        ref=action.ref,
        title=action.title,
        owner_id=action.owner_id,
        status=ActionStatus(action.status),
        due_date=action.due_date,
        overdue=is_overdue(action.due_date, action.status, today),
        completed_at=local_time(action.completed_at, plan.timezone),
    )


def completed_between(
    session: Session, plan: Plan, since: datetime, until: datetime, today: date
) -> ListedView[DigestActionView]:
    """Actions completed from `since` until `until`, the first few and how many."""
    query = select(Action).where(
        Action.plan_id == plan.id,
        Action.status == ActionStatus.DONE.value,
        Action.completed_at >= since,
        Action.completed_at < until,
    )
    rows = session.scalars(query.order_by(Action.completed_at, Action.number).limit(LIST_LIMIT))
    return ListedView(tuple(_digest_action(a, plan, today) for a in rows), _count(session, query))


def function_progress(
    session: Session, plan: Plan, people_functions: list[PeopleFunction]
) -> tuple[DigestFunctionView, ...]:
    """Every people function with its actions by status, and actions with none, if any."""
    tallies = tally_by_function(session, plan.id)
    # Whole rows, so every `.function` read later in this session (feedback's included)
    # comes from the identity map instead of a query of its own.
    functions = session.scalars(select(PeopleFunction).order_by(PeopleFunction.number))
    rows = [_progress(f.number, f.key, f.name, tallies.get(f.id)) for f in functions]
    if None in tallies:
        rows.append(_progress(None, None, NO_FUNCTION_NAME, tallies[None]))
    return tuple(rows)


def _progress(
    number: int | None, key: str | None, name: str, tally: FunctionTally | None
) -> DigestFunctionView:
    counts = tally.by_status if tally else {}
    counted = sum(n for status, n in counts.items() if status is not ActionStatus.CANCELLED)
    return DigestFunctionView(
        number=number,
        key=key,
        name=name,
        counts=dict(counts),
        percent_complete=percent_complete(tally.credited if tally else 0, counted),
    )


def needing_attention(
    session: Session, plan: Plan, today: date
) -> tuple[ListedView[DigestActionView], int, int]:
    """Open actions that are overdue or red, most overdue first; and how many of each."""
    overdue = is_overdue_clause(today)
    red = Action.status == ActionStatus.OFF_TRACK.value
    where = (Action.plan_id == plan.id, is_open_clause(), or_(overdue, red))
    rows = session.scalars(
        select(Action)
        .where(*where)
        .order_by(Action.due_date.is_(None), Action.due_date, Action.number)
        .limit(LIST_LIMIT)
    )
    items = tuple(_digest_action(a, plan, today) for a in rows)
    total, overdue_total, red_total = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
            func.coalesce(func.sum(case((red, 1), else_=0)), 0),
        ).where(*where)
    ).one()
    return ListedView(items, total), int(overdue_total), int(red_total)


def _extreme_risks(session: Session, plan: Plan) -> ListedView[DigestRiskView]:
    score = Risk.likelihood * Risk.impact
    query = select(Risk).where(
        Risk.plan_id == plan.id, Risk.status == RiskStatus.OPEN.value, score >= EXTREME_FROM
    )
    rows = session.scalars(query.order_by(score.desc(), Risk.number).limit(LIST_LIMIT))
    items = tuple(
        DigestRiskView(
            ref=risk.ref,
            title=risk.title,
            owner_id=risk.owner_id,
            score=risk.score,
            grade=grade(risk.score),
        )
        for risk in rows
    )
    return ListedView(items, _count(session, query))


def open_challenges(session: Session, plan: Plan) -> ListedView[DigestChallengeView]:
    """Challenges not answered yet, oldest first."""
    action = aliased(Action)
    risk = aliased(Risk)
    where = (Challenge.plan_id == plan.id, Challenge.answered_at.is_(None))
    rows = session.execute(
        select(Challenge, action.number, action.title, risk.number, risk.title)
        .outerjoin(action, action.id == Challenge.action_id)
        .outerjoin(risk, risk.id == Challenge.risk_id)
        .where(*where)
        .order_by(Challenge.asked_at, Challenge.id)
        .limit(LIST_LIMIT)
    )
    items = tuple(
        DigestChallengeView(
            subject_ref=(
                format_ref("A", action_number)
                if action_number is not None
                else format_ref("R", risk_number)
            ),
            subject_title=action_title if action_number is not None else risk_title,
            asked_by=challenge.asked_by,
            question=challenge.question,
            asked_at=local_time(challenge.asked_at, plan.timezone),
        )
        for challenge, action_number, action_title, risk_number, risk_title in rows
    )
    total = session.scalar(select(func.count()).select_from(Challenge).where(*where)) or 0
    return ListedView(items, total)
