"""Checks and challenges: anyone in the plan questions an action's or risk's status; the
owner (or a lead or chair) answers, and the open ones show in the digest and App Home."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.use_cases import find_action
from governance.actor import Actor
from governance.audit.record import record
from governance.challenges.inputs import ChallengeAnswer, ChallengeAsk, ChallengeSubject
from governance.challenges.models import Challenge
from governance.challenges.views import ChallengeOutcomeView, ChallengeView, challenge_view
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.hints import Command, Hint
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.parsing.references import parse_ref
from governance.plans.membership import plan_for, users_with_role
from governance.plans.models import Plan, PlanChannel, Workspace
from governance.plans.permissions import require_owner_or_manager
from governance.plans.roles import PlanRole
from governance.risks.models import Risk

Kind = Literal["action", "risk"]
_PREFIX: dict[Kind, str] = {"action": "A", "risk": "R"}


@dataclass(frozen=True)
class _Subject:
    """The action or risk a challenge is about."""

    kind: Kind
    id: int
    ref: str
    title: str
    owner_id: str | None


def challenge_action(uow: UnitOfWork, actor: Actor, data: ChallengeAsk) -> ChallengeOutcomeView:
    """Question an action's status; its owner (or, with no owner, the plan's leads) is told."""
    return _ask(uow, actor, data, "action")


def challenge_risk(uow: UnitOfWork, actor: Actor, data: ChallengeAsk) -> ChallengeOutcomeView:
    """Question a risk's score or status; its owner (or the plan's leads) is told."""
    return _ask(uow, actor, data, "risk")


def challenge_to_answer(uow: UnitOfWork, actor: Actor, data: ChallengeSubject) -> ChallengeView:
    """The oldest open challenge on `A-<n>` or `R-<n>`, for an answer form; refused unless
    the actor may answer it (its owner, or the plan's leads and chairs)."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        subject, challenge = _next_to_answer(session, plan, actor, data.ref)
        return challenge_view(challenge, plan, subject.ref, subject.title, subject.owner_id)


def answer_challenge(uow: UnitOfWork, actor: Actor, data: ChallengeAnswer) -> ChallengeOutcomeView:
    """Answer the oldest open challenge on `A-<n>` or `R-<n>`; whoever asked is told.

    Only the owner, or the plan's leads and chairs, may answer. A bare number means an action.
    """
    refuse_patient_identifiers(data.answer)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        subject, challenge = _next_to_answer(session, plan, actor, data.ref, data.kind)
        now = uow.now()
        challenge.answer = data.answer
        challenge.answered_by = actor.user_id
        challenge.answered_at = now
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity=subject.kind,
            ref=subject.ref,
            verb="answer-challenge",
            challenge_id=challenge.id,
        )
        view = challenge_view(challenge, plan, subject.ref, subject.title, subject.owner_id)
        notify = () if challenge.asked_by == actor.user_id else (challenge.asked_by,)
        return ChallengeOutcomeView(
            challenge=view, notify=notify, channel_id=_team_channel(session, plan, actor)
        )


def challenges_awaiting(session: Session, team_id: str, user_id: str) -> tuple[ChallengeView, ...]:
    """Open challenges on the actions and risks `user_id` owns, across the workspace's plans."""
    query = (
        _with_subjects()
        .join(Workspace, Workspace.id == Plan.workspace_id)
        .where(
            Workspace.team_id == team_id,
            Challenge.answered_at.is_(None),
            or_(Action.owner_id == user_id, Risk.owner_id == user_id),
        )
    )
    return _views(session, query)


def _next_to_answer(
    session: Session, plan: Plan, actor: Actor, ref: str, bare: Kind = "action"
) -> tuple[_Subject, Challenge]:
    """The subject `ref` names (`A-3`, `R-2`; a bare number is a `bare`) and its oldest open
    challenge, if the actor may answer it."""
    typed = ref.strip().upper()
    kind: Kind = "risk" if typed.startswith("R") else "action" if typed.startswith("A") else bare
    subject = _find_subject(session, plan, kind, ref)
    require_owner_or_manager(
        session, plan, actor.user_id, subject.owner_id, doing=f"answer challenges on {subject.ref}"
    )
    challenge = session.scalar(
        _open_on(subject).order_by(Challenge.asked_at, Challenge.id).limit(1)
    )
    if challenge is None:
        raise Invalid(f"{subject.ref} has no open challenge to answer.")
    return subject, challenge


def _ask(uow: UnitOfWork, actor: Actor, data: ChallengeAsk, kind: Kind) -> ChallengeOutcomeView:
    refuse_patient_identifiers(data.question)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        subject = _find_subject(session, plan, kind, data.ref)
        now = uow.now()
        challenge = Challenge(
            plan_id=plan.id,
            action_id=subject.id if kind == "action" else None,
            risk_id=subject.id if kind == "risk" else None,
            asked_by=actor.user_id,
            question=data.question,
            asked_at=now,
        )
        session.add(challenge)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity=kind,
            ref=subject.ref,
            verb="challenge",
            challenge_id=challenge.id,
        )
        if subject.owner_id:
            answerers = [subject.owner_id]
        else:
            answerers = users_with_role(session, plan, PlanRole.LEAD)
        view = challenge_view(challenge, plan, subject.ref, subject.title, subject.owner_id)
        return ChallengeOutcomeView(
            challenge=view,
            notify=tuple(u for u in answerers if u != actor.user_id),
            channel_id=_team_channel(session, plan, actor),
        )


def _team_channel(session: Session, plan: Plan, actor: Actor) -> str | None:
    """Where the team sees a challenge: the channel it came from when that is the plan's, else
    the first channel the plan was linked to (a form from App Home or a DM has none)."""
    channels = list(
        session.scalars(
            select(PlanChannel.channel_id)
            .where(PlanChannel.plan_id == plan.id)
            .order_by(PlanChannel.id)
        )
    )
    if actor.channel_id in channels:
        return actor.channel_id
    return channels[0] if channels else None


def _find_subject(session: Session, plan: Plan, kind: Kind, ref: str) -> _Subject:
    number = parse_ref(ref, _PREFIX[kind])
    if kind == "action":
        action = find_action(session, plan, number)
        return _Subject("action", action.id, action.ref, action.title, action.owner_id)
    risk = session.scalar(select(Risk).where(Risk.plan_id == plan.id, Risk.number == number))
    if risk is None:
        raise NotFound(
            f"There is no R-{number} in the plan “{plan.name}”.",
            hint=Hint("Type {} to see the plan's risks.", Command("risk", "list")),
        )
    return _Subject("risk", risk.id, risk.ref, risk.title, risk.owner_id)


def _open_on(subject: _Subject) -> Select[Challenge]:
    column = Challenge.action_id if subject.kind == "action" else Challenge.risk_id
    return select(Challenge).where(column == subject.id, Challenge.answered_at.is_(None))


def _with_subjects() -> Select[Challenge, Action, Risk, Plan]:
    return (
        select(Challenge, Action, Risk, Plan)
        .join(Plan, Plan.id == Challenge.plan_id)
        .outerjoin(Action, Action.id == Challenge.action_id)
        .outerjoin(Risk, Risk.id == Challenge.risk_id)
        .order_by(Challenge.asked_at, Challenge.id)
    )


def _views(session: Session, query: Select) -> tuple[ChallengeView, ...]:  # type: ignore[type-arg]
    views = []
    for challenge, action, risk, plan in session.execute(query):
        subject = action if action is not None else risk
        views.append(challenge_view(challenge, plan, subject.ref, subject.title, subject.owner_id))
    return tuple(views)
