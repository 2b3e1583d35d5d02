"""A person's own dashboard (Slack's App Home): their work across every plan in the workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from governance.actions.models import Action
from governance.actions.rules import is_open_clause
from governance.actions.use_cases import action_view
from governance.actions.views import ActionView
from governance.challenges.use_cases import challenges_awaiting
from governance.challenges.views import ChallengeView
from governance.database import UnitOfWork
from governance.decisions.use_cases import decisions_awaiting
from governance.decisions.views import MyDecisionView
from governance.issues.models import Issue
from governance.issues.rules import is_open_clause as is_open_issue_clause
from governance.issues.use_cases import issue_view, loaded_issues
from governance.issues.views import IssueView
from governance.local_time import local_today
from governance.measures.rules import period_name
from governance.measures.use_cases import measure_title, measures_due
from governance.plans.models import Plan, Role, Workspace
from governance.plans.roles import PlanRole
from governance.risks.models import Risk
from governance.risks.rules import RiskStatus
from governance.risks.use_cases import risk_view
from governance.risks.views import RiskView

# Risks whose review falls within this many days show as due for review.
REVIEW_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class MyActionView:
    plan_name: str
    action: ActionView


@dataclass(frozen=True)
class MyRiskView:
    plan_name: str
    risk: RiskView


@dataclass(frozen=True)
class MyIssueView:
    plan_name: str
    issue: IssueView


@dataclass(frozen=True)
class MyMeasureDueView:
    """A measure of a plan the person is a data lead of, with no value yet for the period due."""

    plan_name: str
    ref: str
    title: str
    period_name: str


@dataclass(frozen=True)
class DashboardView:
    user_id: str
    actions: tuple[MyActionView, ...]
    risks: tuple[MyRiskView, ...]
    challenges: tuple[ChallengeView, ...]
    measures_due: tuple[MyMeasureDueView, ...] = ()
    # Decisions awaiting the board of the plans the person chairs or leads.
    decisions_awaiting: tuple[MyDecisionView, ...] = ()
    issues: tuple[MyIssueView, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.actions
            or self.risks
            or self.challenges
            or self.measures_due
            or self.decisions_awaiting
            or self.issues
        )


def my_dashboard(uow: UnitOfWork, team_id: str, user_id: str) -> DashboardView:
    """The user's open actions by due date, their open risks due review within 7 days, their
    open issues (most severe first), and the challenges waiting for their answer, across all
    the workspace's plans."""
    with uow.transaction() as session:
        now = uow.now()
        todays: dict[int, date] = {}

        def today(plan: Plan) -> date:
            if plan.id not in todays:
                todays[plan.id] = local_today(now, plan.timezone)
            return todays[plan.id]

        action_rows = session.execute(
            select(Action, Plan)
            .join(Plan, Plan.id == Action.plan_id)
            .join(Workspace, Workspace.id == Plan.workspace_id)
            .where(
                Workspace.team_id == team_id,
                Action.owner_id == user_id,
                is_open_clause(),
            )
            .options(
                selectinload(Action.updates),
                selectinload(Action.partner),
                selectinload(Action.function),
            )
            .order_by(Action.due_date.is_(None), Action.due_date, Plan.id, Action.number)
        )
        actions = tuple(
            MyActionView(plan.name, action_view(action, plan, today(plan)))
            for action, plan in action_rows
        )
        risk_rows = session.execute(
            select(Risk, Plan)
            .join(Plan, Plan.id == Risk.plan_id)
            .join(Workspace, Workspace.id == Plan.workspace_id)
            .where(
                Workspace.team_id == team_id,
                Risk.owner_id == user_id,
                Risk.status == RiskStatus.OPEN.value,
                Risk.review_date.is_not(None),
            )
            .order_by(Risk.review_date, Plan.id, Risk.number)
        )
        risks = tuple(
            MyRiskView(plan.name, risk_view(session, plan, risk, today(plan)))
            for risk, plan in risk_rows
            if risk.review_date is not None and risk.review_date <= today(plan) + REVIEW_WINDOW
        )
        issue_rows = session.execute(
            loaded_issues(select(Issue, Plan))
            .join(Plan, Plan.id == Issue.plan_id)
            .join(Workspace, Workspace.id == Plan.workspace_id)
            .where(Workspace.team_id == team_id, Issue.owner_id == user_id, is_open_issue_clause())
            .order_by(Issue.severity.desc(), Issue.created_at, Plan.id, Issue.number)
        )
        issues = tuple(
            MyIssueView(plan.name, issue_view(issue, plan, today(plan)))
            for issue, plan in issue_rows
        )
        data_lead_of = list(
            session.scalars(
                select(Plan)
                .join(Workspace, Workspace.id == Plan.workspace_id)
                .join(Role, Role.plan_id == Plan.id)
                .where(
                    Workspace.team_id == team_id,
                    Role.user_id == user_id,
                    Role.role == PlanRole.DATA_LEAD,
                )
                .order_by(Plan.id)
            )
        )
        due = measures_due(session, data_lead_of, {p.id: today(p) for p in data_lead_of})
        return DashboardView(
            user_id=user_id,
            actions=actions,
            risks=risks,
            challenges=challenges_awaiting(session, team_id, user_id),
            issues=issues,
            measures_due=tuple(
                MyMeasureDueView(
                    plan_name=plan.name,
                    ref=measure.ref,
                    title=measure_title(measure),
                    period_name=period_name(period, measure.frequency),
                )
                for plan, measure, period in due
            ),
            decisions_awaiting=decisions_awaiting(session, team_id, user_id),
        )
