"""Use cases for plans: each takes the unit of work, the actor and a validated input."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Date, Integer, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.rules import is_overdue_clause
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import Invalid
from governance.feedback.models import Feedback
from governance.hints import Command, Hint
from governance.local_time import local_today
from governance.plans.inputs import PartnerAdd, PlanBoard, PlanSetup, RoleChange
from governance.plans.membership import plan_for, role_of, workspace_channel_plan, workspace_for
from governance.plans.models import Partner, Plan, PlanChannel, Role, Workspace
from governance.plans.partner_lookup import _folded as folded_name
from governance.plans.permissions import MANAGERS, require_role
from governance.plans.roles import PlanRole
from governance.plans.views import (
    PartnerListView,
    PartnerView,
    PlanChoiceView,
    PlanOverviewView,
    PlanView,
    RoleChangeView,
    RoleHoldersView,
    RolesView,
)
from governance.risks.models import Risk
from governance.risks.rules import RiskGrade, RiskStatus, grade
from governance.wins.models import Win

# `/plan` is the command typed most after `/action`: its statements are built once, and its
# counts are read in one.
_PLAN: BindParameter[int] = bindparam("plan_id", type_=Integer)
_CHANNEL_IDS = (
    select(PlanChannel.channel_id).where(PlanChannel.plan_id == _PLAN).order_by(PlanChannel.id)
)
_ACTIONS_BY_STATUS = (
    select(Action.status, func.count()).where(Action.plan_id == _PLAN).group_by(Action.status)
)
_RISK_SCORE = Risk.likelihood * Risk.impact
_OPEN_RISKS_BY_SCORE = (
    select(_RISK_SCORE, func.count())
    .where(Risk.plan_id == _PLAN, Risk.status == RiskStatus.OPEN.value)
    .group_by(_RISK_SCORE)
)


def _counted(model: type[Action | Feedback | Win | Partner], *where: Any) -> Any:
    return select(func.count()).select_from(model).where(model.plan_id == _PLAN, *where)


_COUNTS = select(
    _counted(Action, is_overdue_clause(bindparam("today", type_=Date))).scalar_subquery(),
    _counted(Feedback).scalar_subquery(),
    _counted(Win).scalar_subquery(),
    _counted(Partner).scalar_subquery(),
)


def plan_view(session: Session, plan: Plan, user_id: str) -> PlanView:
    channel_ids = session.scalars(_CHANNEL_IDS, {"plan_id": plan.id})
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
        feedback_retention_months=plan.feedback_retention_months,
        your_role=role_of(session, plan, user_id),
        report_schedule=plan.report_schedule,
        issue_escalation_days=plan.issue_escalation_days,
    )


def setup_plan(uow: UnitOfWork, actor: Actor, data: PlanSetup) -> PlanView:
    """Create a plan linked to the actor's channel; whoever sets it up is its lead."""
    with uow.transaction() as session:
        workspace = workspace_for(session, actor.team_id)
        # The actor's own workspace: a partner's member may set up their own plan in a
        # shared channel, which their workspace then finds first (see channel_plan).
        linked = workspace_channel_plan(session, actor)
        if linked is not None:
            raise Invalid(
                f"This channel is already linked to the plan “{linked.name}”.",
                hint=Hint(
                    "Type {} to see it, or set up the new plan in another channel.",
                    Command("plan"),
                ),
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
        session.add(Role(plan_id=plan.id, user_id=actor.user_id, role=PlanRole.LEAD.value))
        session.flush()
        record(
            session,
            plan,
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


def plan_overview(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> PlanOverviewView:
    """The plan at a glance: settings, your role and counts."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        today = local_today(uow.now(), plan.timezone)
        by_status = dict.fromkeys((s.value for s in ActionStatus), 0)
        by_status.update(session.execute(_ACTIONS_BY_STATUS, {"plan_id": plan.id}).all())
        by_grade = dict.fromkeys((g.value for g in RiskGrade), 0)
        for score, count in session.execute(_OPEN_RISKS_BY_SCORE, {"plan_id": plan.id}):
            by_grade[grade(score).value] += count
        overdue, feedback, wins, partners = session.execute(
            _COUNTS, {"plan_id": plan.id, "today": today}
        ).one()
        return PlanOverviewView(
            plan=plan_view(session, plan, actor.user_id),
            actions_by_status=by_status,
            overdue_actions=overdue or 0,
            open_risks_by_grade=by_grade,
            feedback_count=feedback or 0,
            wins_count=wins or 0,
            partners_count=partners or 0,
        )


def _partner_views(session: Session, plan: Plan) -> tuple[PartnerView, ...]:
    partners = session.scalars(
        select(Partner).where(Partner.plan_id == plan.id).order_by(func.lower(Partner.name))
    )
    return tuple(PartnerView(id=p.id, name=p.name, sector=p.sector) for p in partners)


def list_partners(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> PartnerListView:
    """The plan's partner organisations, by name."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return PartnerListView(plan_name=plan.name, partners=_partner_views(session, plan))


def add_partner(uow: UnitOfWork, actor: Actor, data: PartnerAdd) -> PartnerListView:
    """Leads and chairs add a partner organisation; a name already in the plan is refused."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, doing="add partners")
        # Folded as find_partner folds, so every partner stays tellable apart by name.
        wanted = folded_name(data.name)
        for existing in session.scalars(select(Partner).where(Partner.plan_id == plan.id)):
            if folded_name(existing.name) == wanted:
                raise Invalid(
                    f"“{existing.name}” is already a partner in this plan.",
                    hint=Hint("Type {} to see them all.", Command("plan", "partners")),
                )
        partner = Partner(plan_id=plan.id, name=data.name, sector=data.sector)
        session.add(partner)
        try:
            session.flush()
        except IntegrityError:
            # Someone added the same name at the same moment.
            raise Invalid(f"“{data.name}” is already a partner in this plan.") from None
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=uow.now(),
            entity="partner",
            ref=str(partner.id),
            verb="add",
            name=partner.name,
            sector=partner.sector,
        )
        added = PartnerView(id=partner.id, name=partner.name, sector=partner.sector)
        return PartnerListView(
            plan_name=plan.name, partners=_partner_views(session, plan), added=added
        )


def set_role(uow: UnitOfWork, actor: Actor, data: RoleChange) -> RoleChangeView:
    """Leads and chairs give roles; a plan always keeps at least one lead."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        # Lock the plan row first, so two leads demoting each other at once cannot leave
        # none: the second sees the first's change, and that it is no longer a lead.
        session.execute(select(Plan.id).where(Plan.id == plan.id).with_for_update())
        require_role(session, plan, actor.user_id, MANAGERS, doing="change roles")
        row = session.scalar(
            select(Role).where(Role.plan_id == plan.id, Role.user_id == data.user_id)
        )
        old = PlanRole(row.role) if row is not None else PlanRole.MEMBER
        if old is PlanRole.LEAD and data.role is not PlanRole.LEAD:
            leads = session.scalar(
                select(func.count())
                .select_from(Role)
                .where(Role.plan_id == plan.id, Role.role == PlanRole.LEAD.value)
            )
            if leads == 1:
                raise Invalid(
                    "A plan needs at least one lead, and this is its only one.",
                    hint=Hint(
                        "Make someone else lead first with {}.", Command("plan", "role @them lead")
                    ),
                )
        if old == data.role:
            return RoleChangeView(plan.name, data.user_id, old, data.role, actor.user_id)
        if data.role is PlanRole.MEMBER:
            session.delete(row)
        elif row is None:
            session.add(Role(plan_id=plan.id, user_id=data.user_id, role=data.role.value))
        else:
            row.role = data.role.value
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=uow.now(),
            entity="role",
            ref=data.user_id,
            verb="set",
            old=old.value,
            new=data.role.value,
        )
        return RoleChangeView(plan.name, data.user_id, old, data.role, actor.user_id)


ROLES_SHOWN = (PlanRole.LEAD, PlanRole.CHAIR, PlanRole.DATA_LEAD)


def list_roles(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> RolesView:
    """Who holds each role in the plan; anyone may see it."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        rows = session.execute(
            select(Role.role, Role.user_id).where(Role.plan_id == plan.id).order_by(Role.id)
        ).all()
        return RolesView(
            plan_name=plan.name,
            roles=tuple(
                RoleHoldersView(
                    role=role.value,
                    user_ids=tuple(user for held, user in rows if held == role.value),
                )
                for role in ROLES_SHOWN
            ),
        )


def set_board_channel(uow: UnitOfWork, actor: Actor, data: PlanBoard) -> PlanView:
    """Leads and chairs choose the channel the weekly digest goes to."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, doing="choose the board channel")
        old = plan.board_channel_id
        if old != data.channel_id:
            plan.board_channel_id = data.channel_id
            record(
                session,
                plan,
                actor_id=actor.user_id,
                at=uow.now(),
                entity="plan",
                ref=str(plan.id),
                verb="board",
                old=old,
                new=data.channel_id,
            )
        session.flush()
        return plan_view(session, plan, actor.user_id)


def plans_of(uow: UnitOfWork, actor: Actor) -> tuple[PlanChoiceView, ...]:
    """The plans of the actor's workspace they take part in: those where they hold a role or
    own an action, by name. Being in a plan's channel is Slack's to know, not govbot's."""
    with uow.transaction() as session:
        roles = select(Role.plan_id).where(Role.user_id == actor.user_id)
        owned = select(Action.plan_id).where(Action.owner_id == actor.user_id)
        plans = session.execute(
            select(Plan.id, Plan.name)
            .join(Workspace, Workspace.id == Plan.workspace_id)
            .where(Workspace.team_id == actor.team_id)
            .where(Plan.id.in_(roles) | Plan.id.in_(owned))
            .order_by(Plan.name, Plan.id)
        )
        return tuple(PlanChoiceView(plan_id=row.id, name=row.name) for row in plans)
