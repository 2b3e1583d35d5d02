"""Owners Slack will not send a direct message to (an external member of a Slack Connect
channel, or someone whose DMs are closed to apps): their nudge is shown to them alone in
the plan's channel, and each of the plan's leads is told once that they cannot be reached.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from governance.database import UnitOfWork
from governance.plans.membership import users_with_role
from governance.plans.models import Plan, PlanChannel
from governance.plans.roles import PlanRole


def plan_channels(uow: UnitOfWork, plan_id: int) -> list[str]:
    """The channels linked to a plan, the one it was set up in first."""
    with uow.transaction() as session:
        return list(
            session.scalars(
                select(PlanChannel.channel_id)
                .where(PlanChannel.plan_id == plan_id)
                .order_by(PlanChannel.id)
            )
        )


@dataclass(frozen=True)
class UnreachableOwnerView:
    """For one lead: an owner of the plan's work cannot be reached by direct message, so
    their nudges are shown to them in `channel_id` instead. Sent once per owner and lead."""

    plan_id: int
    plan_name: str
    lead_id: str
    owner_id: str
    channel_id: str

    kind = "unreachable-owner"

    @property
    def recipient(self) -> str:
        return self.lead_id

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return (f"plan-{self.plan_id}/{self.owner_id}/{self.lead_id}",)

    def only(self, keys: tuple[str, ...]) -> UnreachableOwnerView | None:
        return self if set(self.claim_keys) <= set(keys) else None


def unreachable_owner_notices(
    uow: UnitOfWork, plan_id: int, owner_id: str, channel_id: str
) -> list[UnreachableOwnerView]:
    """A notice for each lead of the plan (but the owner) that `owner_id` is nudged in
    `channel_id` because Slack will not DM them."""
    with uow.transaction() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            return []
        leads = users_with_role(session, plan, PlanRole.LEAD)
        return [
            UnreachableOwnerView(plan.id, plan.name, lead, owner_id, channel_id)
            for lead in leads
            if lead != owner_id
        ]
