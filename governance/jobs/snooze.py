"""Snoozing an action or risk out of its owner's nudges for a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.rules import is_closed
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.hints import Command, Hint
from governance.inputs import Input
from governance.jobs.people import preferences
from governance.local_time import local_today
from governance.parsing.references import Ref, read_ref
from governance.plans.membership import plan_for
from governance.plans.permissions import require_owner_or_manager
from governance.risks.models import Risk
from governance.risks.rules import RiskStatus

SNOOZE_DAYS = 7


class SnoozeRequest(Input):
    """What a Snooze button carries: the plan and `A-<n>` or `R-<n>`."""

    plan_id: int | None = None
    ref: str

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        if value.strip()[:1].upper() not in ("A", "R"):
            raise ValueError(f"“{value}” is not an action or risk reference, like A-3 or R-2")
        return str(read_ref(value, "A", "R"))


@dataclass(frozen=True)
class SnoozeView:
    plan_id: int
    ref: str
    title: str
    until: date


def snooze_item(uow: UnitOfWork, actor: Actor, data: SnoozeRequest) -> SnoozeView:
    """Keep an item out of nudges for a week (its owner, or the plan's leads and chairs).

    Nudges mention it again from the same weekday next week, on the owner's clock.
    Escalations to the leads are not snoozed.
    """

    def work(session: Session) -> SnoozeView:
        plan = plan_for(session, actor, data.plan_id)
        ref = read_ref(data.ref, "A", "R")
        item = _item(session, plan.id, ref)
        require_owner_or_manager(
            session, plan, actor.user_id, item.owner_id, doing=f"snooze {data.ref}"
        )
        closed = (
            is_closed(item.status) if isinstance(item, Action) else item.status != RiskStatus.OPEN
        )
        if closed:
            raise Invalid(f"{data.ref} is {item.status}, so there is nothing to snooze.")
        person = (plan.workspace_id, actor.user_id)
        preference = preferences(session, [person]).get(person)
        timezone = (preference.timezone if preference else None) or plan.timezone
        now = uow.now()
        until = local_today(now, timezone) + timedelta(days=SNOOZE_DAYS)
        item.snoozed_until = until
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity=ref.kind,
            ref=data.ref,
            verb="snooze",
            until=until.isoformat(),
        )
        return SnoozeView(plan_id=plan.id, ref=data.ref, title=item.title, until=until)

    return uow.run(work)


def _item(session: Session, plan_id: int, ref: Ref) -> Action | Risk:
    item: Action | Risk | None
    if ref.prefix == "A":
        item = session.scalar(
            select(Action).where(Action.plan_id == plan_id, Action.number == ref.number)
        )
    else:
        item = session.scalar(
            select(Risk).where(Risk.plan_id == plan_id, Risk.number == ref.number)
        )
    if item is None:
        raise NotFound(
            f"There is no {ref} in this plan.",
            hint=Hint("{} shows them.", Command(ref.kind, "list")),
        )
    return item
