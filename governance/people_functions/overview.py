"""The 10 people functions of a plan: its actions under each, their RAG, and the gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actions.rules import credited_progress_clause, is_closed, percent_complete
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.people_functions.models import PeopleFunction
from governance.plans.membership import plan_for


@dataclass(frozen=True)
class FunctionProgressView:
    number: int
    key: str
    name: str
    by_status: dict[str, int]  # every ActionStatus value, zeros kept
    credited: int  # what its actions not cancelled count for in progress, summed

    @property
    def active(self) -> int:
        """Actions still being worked on: neither done nor cancelled."""
        return sum(n for s, n in self.by_status.items() if not is_closed(s))

    @property
    def done(self) -> int:
        return self.by_status[ActionStatus.DONE.value]

    @property
    def percent_complete(self) -> int | None:
        """How far along the function's work is (actions' rules: percent_complete)."""
        return percent_complete(self.credited, self.active + self.done)

    @property
    def is_gap(self) -> bool:
        """No active work: the board should see this function is not being served."""
        return self.active == 0


@dataclass(frozen=True)
class FunctionsOverviewView:
    plan_name: str
    functions: tuple[FunctionProgressView, ...]  # in function number order, all 10
    unassigned_active: int  # active actions with no people function yet

    @property
    def gaps(self) -> tuple[FunctionProgressView, ...]:
        return tuple(f for f in self.functions if f.is_gap)


@dataclass(frozen=True)
class FunctionTally:
    """One people function's actions by status, and what those not cancelled count for."""

    by_status: dict[ActionStatus, int]
    credited: int


def tally_by_function(session: Session, plan_id: int) -> dict[int | None, FunctionTally]:
    """Each people function's tally (by function id; None for actions with none), one query.

    `/plan functions` and the digest both read it, so they give the same figures.
    """
    found: dict[int | None, FunctionTally] = defaultdict(lambda: FunctionTally({}, 0))
    for function_id, status, count, credit in session.execute(
        select(
            Action.function_id, Action.status, func.count(), func.sum(credited_progress_clause())
        )
        .where(Action.plan_id == plan_id)
        .group_by(Action.function_id, Action.status)
    ):
        tally = found[function_id]
        credited = 0 if status == ActionStatus.CANCELLED.value else int(credit or 0)
        found[function_id] = FunctionTally(
            {**tally.by_status, ActionStatus(status): count}, tally.credited + credited
        )
    return dict(found)


def functions_overview(
    uow: UnitOfWork, actor: Actor, plan_id: int | None = None
) -> FunctionsOverviewView:
    """Every people function with its actions by status; two queries however many actions."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        tallies = tally_by_function(session, plan.id)
        empty = FunctionTally({}, 0)

        def by_status(tally: FunctionTally) -> dict[str, int]:
            return {s.value: tally.by_status.get(s, 0) for s in ActionStatus}

        functions = tuple(
            FunctionProgressView(
                number=function.number,
                key=function.key,
                name=function.name,
                by_status=by_status(tallies.get(function.id, empty)),
                credited=tallies.get(function.id, empty).credited,
            )
            for function in session.scalars(select(PeopleFunction).order_by(PeopleFunction.number))
        )
        unassigned = tallies.get(None, empty)
        return FunctionsOverviewView(
            plan_name=plan.name,
            functions=functions,
            unassigned_active=sum(n for s, n in unassigned.by_status.items() if not is_closed(s)),
        )
