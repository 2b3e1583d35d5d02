"""The 10 people functions of a plan: its actions under each, their RAG, and the gaps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from governance.actions.models import Action
from governance.actions.rules import is_closed
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

    @property
    def active(self) -> int:
        """Actions still being worked on: neither done nor cancelled."""
        return sum(n for s, n in self.by_status.items() if not is_closed(s))

    @property
    def done(self) -> int:
        return self.by_status[ActionStatus.DONE.value]

    @property
    def percent_done(self) -> int | None:
        """Done as a whole percent of the function's actions that were not cancelled."""
        counted = self.active + self.done
        return round(100 * self.done / counted) if counted else None

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


def functions_overview(
    uow: UnitOfWork, actor: Actor, plan_id: int | None = None
) -> FunctionsOverviewView:
    """Every people function with its actions by status; two queries however many actions."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        counts: dict[int | None, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys((s.value for s in ActionStatus), 0)
        )
        for function_id, status, count in session.execute(
            select(Action.function_id, Action.status, func.count())
            .where(Action.plan_id == plan.id)
            .group_by(Action.function_id, Action.status)
        ).all():
            counts[function_id][status] = count
        functions = tuple(
            FunctionProgressView(
                number=function.number,
                key=function.key,
                name=function.name,
                by_status=counts[function.id],
            )
            for function in session.scalars(select(PeopleFunction).order_by(PeopleFunction.number))
        )
        unassigned = sum(n for s, n in counts[None].items() if not is_closed(s))
        return FunctionsOverviewView(
            plan_name=plan.name, functions=functions, unassigned_active=unassigned
        )
