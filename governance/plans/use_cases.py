"""Use cases for plans: each takes the unit of work, the actor and a validated input."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import Invalid
from governance.plans.inputs import PlanSetup
from governance.plans.membership import role_of, workspace_for
from governance.plans.models import Plan, PlanChannel, Role
from governance.plans.views import PlanView


def plan_view(session: Session, plan: Plan, user_id: str) -> PlanView:
    channel_ids = session.scalars(
        select(PlanChannel.channel_id)
        .where(PlanChannel.plan_id == plan.id)
        .order_by(PlanChannel.id)
    )
    return PlanView(
        id=plan.id,
        name=plan.name,
        timezone=plan.timezone,
        board_channel_id=plan.board_channel_id,
        channel_ids=tuple(channel_ids),
        digest_weekday=plan.digest_weekday,
        digest_time=plan.digest_time,
        nudge_time=plan.nudge_time,
        quiet_weekends=plan.quiet_weekends,
        anonymity_threshold=plan.anonymity_threshold,
        your_role=role_of(session, plan, user_id),
    )


def setup_plan(uow: UnitOfWork, actor: Actor, data: PlanSetup) -> PlanView:
    """Create a plan linked to the actor's channel; whoever sets it up is its lead."""
    with uow.transaction() as session:
        workspace = workspace_for(session, actor.team_id)
        linked = session.scalar(
            select(Plan)
            .join(PlanChannel, PlanChannel.plan_id == Plan.id)
            .where(
                PlanChannel.workspace_id == workspace.id,
                PlanChannel.channel_id == actor.channel_id,
            )
        )
        if linked is not None:
            raise Invalid(
                f"This channel is already linked to the plan “{linked.name}”.",
                hint="Type `/plan` to see it, or set up the new plan in another channel.",
            )
        now = uow.now()
        plan = Plan(
            workspace_id=workspace.id,
            name=data.name,
            timezone=data.timezone,
            created_by=actor.user_id,
            created_at=now,
        )
        session.add(plan)
        session.flush()
        session.add(
            PlanChannel(workspace_id=workspace.id, plan_id=plan.id, channel_id=actor.channel_id)
        )
        session.add(Role(plan_id=plan.id, user_id=actor.user_id, role="lead"))
        session.flush()
        record(
            session,
            workspace_id=workspace.id,
            plan_id=plan.id,
            actor_id=actor.user_id,
            at=now,
            entity="plan",
            ref=str(plan.id),
            verb="setup",
            name=plan.name,
            timezone=plan.timezone,
            channel_id=actor.channel_id,
        )
        return plan_view(session, plan, actor.user_id)
