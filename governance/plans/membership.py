"""Finding the plan a channel belongs to, and the actor's role in it."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from governance.actor import Actor
from governance.errors import NotFound
from governance.hints import Command, Hint
from governance.plans.models import Plan, PlanChannel, Role, Workspace
from governance.plans.roles import PlanRole

NO_PLAN_HINT = Hint("Set one up here with {}.", Command("plan", 'setup "Name of the plan"'))

# Every command looks up its plan and the actor's role: these statements are built once, so
# a command pays only for running them (building one costs more than running it on SQLite).
_WORKSPACE_CHANNEL_PLAN = (
    select(Plan)
    .join(PlanChannel, PlanChannel.plan_id == Plan.id)
    .join(Workspace, Workspace.id == PlanChannel.workspace_id)
    .where(
        Workspace.team_id == bindparam("team_id"), PlanChannel.channel_id == bindparam("channel_id")
    )
)
_SHARED_CHANNEL_PLANS = (
    select(Plan)
    .join(PlanChannel, PlanChannel.plan_id == Plan.id)
    .where(PlanChannel.channel_id == bindparam("channel_id"))
    .limit(2)
)
_WORKSPACE_PLAN = (
    select(Plan)
    .join(Workspace, Workspace.id == Plan.workspace_id)
    .where(Plan.id == bindparam("plan_id"), Workspace.team_id == bindparam("team_id"))
)
_ROLE = select(Role.role).where(
    Role.plan_id == bindparam("plan_id"), Role.user_id == bindparam("user_id")
)


def workspace_for(session: Session, team_id: str) -> Workspace:
    """The workspace row for a team, created the first time the team is seen."""
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
        session.flush()
    return workspace


def workspace_channel_plan(session: Session, actor: Actor) -> Plan | None:
    """The plan the actor's own workspace linked to the actor's channel, if any."""
    return session.scalar(
        _WORKSPACE_CHANNEL_PLAN, {"team_id": actor.team_id, "channel_id": actor.channel_id}
    )


def channel_plan(session: Session, actor: Actor) -> Plan | None:
    """The plan linked to the actor's channel, if any.

    A channel is keyed by (workspace, channel id), and the actor's own workspace comes
    first. A Slack Connect channel keeps one id in every organisation sharing it, so when
    the actor's workspace links no plan there, the one plan another workspace linked to
    that channel id is the channel's plan, for members of every organisation in it. Two
    other workspaces linking the same id (ids Slack reused, never one shared channel) give
    none: nothing is guessed across plans.
    """
    own = workspace_channel_plan(session, actor)
    if own is not None:
        return own
    shared = session.scalars(_SHARED_CHANNEL_PLANS, {"channel_id": actor.channel_id}).all()
    return shared[0] if len(shared) == 1 else None


def channel_host_team(session: Session, channel_id: str) -> str | None:
    """The team of the one workspace that links a plan to `channel_id` (the host of a Slack
    Connect channel), or None when none or several do."""
    teams = session.scalars(
        select(Workspace.team_id)
        .join(PlanChannel, PlanChannel.workspace_id == Workspace.id)
        .where(PlanChannel.channel_id == channel_id)
        .limit(2)
    ).all()
    return teams[0] if len(teams) == 1 else None


def plan_for_channel(session: Session, actor: Actor) -> Plan:
    """The plan linked to the actor's channel (see `channel_plan`)."""
    plan = channel_plan(session, actor)
    if plan is None:
        raise NotFound("This channel isn't linked to a plan yet.", hint=NO_PLAN_HINT)
    return plan


def role_of(session: Session, plan: Plan, user_id: str) -> PlanRole:
    """The user's role in this plan. Anyone in a linked channel without one is a member."""
    role = session.scalar(_ROLE, {"plan_id": plan.id, "user_id": user_id})
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

    A plan named by id must belong to the actor's workspace, or be the plan of the channel
    the actor is in (a Slack Connect channel shared with the plan's workspace), so a crafted
    button value can never reach another workspace's plan; and from a channel linked to a
    plan it must be that plan, so nothing of one plan is changed from, or answered into,
    another's channel.
    """
    if plan_id is None:
        return plan_for_channel(session, actor)
    here = channel_plan(session, actor)
    plan = session.scalar(_WORKSPACE_PLAN, {"plan_id": plan_id, "team_id": actor.team_id})
    if plan is None and here is not None and here.id == plan_id:
        plan = here
    if plan is None:
        raise NotFound("That plan doesn't exist in this workspace.")
    if here is not None and here.id != plan.id:
        raise NotFound(f"That belongs to {plan.name}, not to this channel's plan.")
    return plan
