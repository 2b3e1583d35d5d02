"""`/plan functions`: the 10 people functions, the work under each, and the gaps."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.people_functions.overview import functions_overview
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.queries import queries_run

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
OTHER_PLAN = Actor(team_id="T1", user_id="ULEAD", channel_id="COTHER")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, LEAD, validate(PlanSetup, name="Devon")).id


def _add(uow: UnitOfWork, plan_id: int, *actions: tuple[int | None, str]) -> None:
    with uow.transaction() as session:
        taken = select(func.count()).select_from(Action).where(Action.plan_id == plan_id)
        start = (session.scalar(taken) or 0) + 1
        session.add_all(
            Action(
                plan_id=plan_id,
                number=start + i,
                title=f"Action {start + i}",
                function_id=function_id,
                status=status,
                created_by="ULEAD",
                updated_by="ULEAD",
            )
            for i, (function_id, status) in enumerate(actions)
        )


def test_all_ten_functions_are_listed_in_order_with_their_official_names(
    uow: UnitOfWork, plan_id: int
) -> None:
    overview = functions_overview(uow, LEAD)
    assert [(f.number, f.key, f.name) for f in overview.functions] == [
        (entry.number, entry.key, entry.name) for entry in PEOPLE_FUNCTIONS
    ]


def test_a_new_plan_has_every_function_as_a_gap(uow: UnitOfWork, plan_id: int) -> None:
    overview = functions_overview(uow, LEAD)
    assert len(overview.gaps) == 10
    assert all(f.percent_complete is None for f in overview.functions)


def test_each_function_counts_active_actions_by_rag_and_percent_complete(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(
        uow,
        plan_id,
        (1, "on-track"),
        (1, "at-risk"),
        (1, "off-track"),
        (1, "done"),
        (1, "cancelled"),
        (2, "not-started"),
    )
    wellbeing, supply, *_ = functions_overview(uow, LEAD).functions
    assert wellbeing.active == 3
    assert (wellbeing.by_status["on-track"], wellbeing.by_status["at-risk"]) == (1, 1)
    assert wellbeing.by_status["off-track"] == 1
    assert wellbeing.percent_complete == 25, "1 done of 4 not cancelled"
    assert not wellbeing.is_gap
    assert (supply.active, supply.percent_complete, supply.is_gap) == (1, 0, False)


def test_a_function_whose_work_is_all_done_or_cancelled_is_a_gap(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow, plan_id, (3, "done"), (3, "cancelled"), (4, "on-track"))
    overview = functions_overview(uow, LEAD)
    inclusion = overview.functions[2]
    assert (inclusion.active, inclusion.percent_complete, inclusion.is_gap) == (0, 100, True)
    assert [f.key for f in overview.gaps] == [
        e.key for e in PEOPLE_FUNCTIONS if e.key != "leadership"
    ]


def test_actions_without_a_function_are_counted_apart(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, plan_id, (None, "on-track"), (None, "done"))
    overview = functions_overview(uow, LEAD)
    assert overview.unassigned_active == 1
    assert len(overview.gaps) == 10


def test_another_plans_actions_do_not_count(uow: UnitOfWork, plan_id: int) -> None:
    other_id = setup_plan(uow, OTHER_PLAN, validate(PlanSetup, name="Cornwall")).id
    _add(uow, other_id, (1, "on-track"))
    assert functions_overview(uow, LEAD).functions[0].is_gap
    assert not functions_overview(uow, OTHER_PLAN).functions[0].is_gap


def test_the_overview_runs_the_same_queries_however_many_actions(
    uow: UnitOfWork, plan_id: int
) -> None:
    def count_queries() -> int:
        return queries_run(uow.engine, lambda: functions_overview(uow, LEAD))

    empty = count_queries()
    _add(uow, plan_id, *[(1 + n % 10, "on-track") for n in range(40)])
    assert count_queries() == empty
