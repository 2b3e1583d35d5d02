"""Finding the plan a channel belongs to, and the actor's role in it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.actor import Actor
from governance.errors import NotFound
from governance.hints import Command, Hint
from governance.plans.models import Plan, PlanChannel, Role, Workspace
from governance.plans.roles import PlanRole

NO_PLAN_HINT = Hint("Set one up here with {}.", Command("plan", 'setup "Name of the plan"'))


def workspace_for(session: Session, team_id: str) -> Workspace:
    """The workspace row for a team, created the first time the team is seen."""
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
        session.flush()
    return workspace


def plan_for_channel(session: Session, actor: Actor) -> Plan:
    """The plan linked to the actor's channel in the actor's workspace."""
    plan = session.scalar(
        select(Plan)
        .join(PlanChannel, PlanChannel.plan_id == Plan.id)
        .join(Workspace, Workspace.id == PlanChannel.workspace_id)
        .where(Workspace.team_id == actor.team_id, PlanChannel.channel_id == actor.channel_id)
    )
    if plan is None:
        raise NotFound("This channel isn't linked to a plan yet.", hint=NO_PLAN_HINT)
    return plan


def role_of(session: Session, plan: Plan, user_id: str) -> PlanRole:
    """The user's role in this plan. Anyone in a linked channel without one is a member."""
    role = session.scalar(select(Role.role).where(Role.plan_id == plan.id, Role.user_id == user_id))
    return PlanRole(role) if role else PlanRole.MEMBER


def users_with_role(session: Session, plan: Plan, *roles: PlanRole) -> list[str]:
    """User ids holding any of `roles` in the plan, in a stable order."""
    return list(
        session.scalars(
            select(Role.user_id)
            .where(Role.plan_id == plan.id, Role.role.in_([PlanRole(role).value for role in roles]))
            .order_by(Role.id)
        )
    )


def plan_for(session: Session, actor: Actor, plan_id: int | None = None) -> Plan:
    """The plan a request is about: named by id (buttons, DMs) or by the actor's channel.

    A plan named by id must belong to the actor's workspace, so a crafted button value can
    never reach another workspace's plan; and from a channel linked to a plan it must be
    that plan, so nothing of one plan is changed from, or answered into, another's channel.
    """
    if plan_id is None:
        return plan_for_channel(session, actor)
    plan = session.scalar(
        select(Plan)
        .join(Workspace, Workspace.id == Plan.workspace_id)
        .where(Plan.id == plan_id, Workspace.team_id == actor.team_id)
    )
    if plan is None:
        raise NotFound("That plan doesn't exist in this workspace.")
    here = session.scalar(
        select(PlanChannel.plan_id)
        .join(Workspace, Workspace.id == PlanChannel.workspace_id)
        .where(Workspace.team_id == actor.team_id, PlanChannel.channel_id == actor.channel_id)
    )
    if here is not None and here != plan.id:
        raise NotFound(f"That belongs to {plan.name}, not to this channel's plan.")
    return plan
