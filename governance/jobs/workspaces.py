"""Which workspace each plan's scheduled messages go out from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from governance.database import UnitOfWork
from governance.plans.models import Plan, Workspace


@dataclass(frozen=True)
class PlanWorkspace:
    """A plan's workspace: govbot's id for it and Slack's (the team that set the plan up)."""

    plan_id: int
    workspace_id: int
    team_id: str


def plan_workspaces(uow: UnitOfWork) -> list[PlanWorkspace]:
    """Every plan with its workspace, in plan order."""
    with uow.transaction() as session:
        rows = session.execute(
            select(Plan.id, Workspace.id, Workspace.team_id)
            .join(Workspace, Workspace.id == Plan.workspace_id)
            .order_by(Plan.id)
        )
        return [PlanWorkspace(plan_id, workspace_id, team) for plan_id, workspace_id, team in rows]
