"""`/plan` overview: a plan's settings, your role, and counts of what it holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import NotFound
from governance.feedback.models import Feedback
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner
from governance.plans.use_cases import plan_overview, setup_plan
from governance.risks.models import Risk
from governance.wins.models import Win
from tests.conftest import Clock
from tests.queries import queries_run

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, LEAD, validate(PlanSetup, name="Devon")).id


def _action(plan_id: int, number: int, status: str, due: date | None = None) -> Action:
    return Action(
        plan_id=plan_id,
        number=number,
        title=f"Action {number}",
        status=status,
        due_date=due,
        created_by="ULEAD",
        updated_by="ULEAD",
    )


def _risk(plan_id: int, number: int, likelihood: int, impact: int, status: str = "open") -> Risk:
    return Risk(
        plan_id=plan_id,
        number=number,
        title=f"Risk {number}",
        likelihood=likelihood,
        impact=impact,
        status=status,
        created_by="ULEAD",
        updated_by="ULEAD",
    )


def test_a_new_plan_shows_its_defaults_and_nothing_counted(uow: UnitOfWork, plan_id: int) -> None:
    overview = plan_overview(uow, MEMBER)
    assert overview.plan.name == "Devon"
    assert overview.plan.your_role == "member"
    assert overview.plan.digest_setting == "mon@09:00"
    assert overview.plan.anonymity_threshold == 11
    assert overview.actions_total == 0
    assert set(overview.actions_by_status.values()) == {0}
    assert overview.open_risks == overview.extreme_risks == 0
    assert (overview.feedback_count, overview.wins_count, overview.partners_count) == (0, 0, 0)


def test_the_overview_counts_actions_risks_feedback_wins_and_partners(
    uow: UnitOfWork, plan_id: int
) -> None:
    with uow.transaction() as session:
        session.add_all(
            [
                _action(plan_id, 1, "on-track"),
                _action(plan_id, 2, "on-track"),
                _action(plan_id, 3, "off-track", due=date(2026, 11, 1)),
                _action(plan_id, 4, "done", due=date(2026, 11, 1)),
                _risk(plan_id, 1, 5, 4),  # 20 extreme
                _risk(plan_id, 2, 3, 5),  # 15 extreme
                _risk(plan_id, 3, 2, 2),  # 4 moderate
                _risk(plan_id, 4, 5, 5, status="closed"),
                Feedback(plan_id=plan_id, number=1, source="staff", text="More rota notice"),
                Win(plan_id=plan_id, number=1, text="Rotation launched", created_by="ULEAD"),
                Partner(plan_id=plan_id, name="Devon County Council", sector="council"),
            ]
        )
    overview = plan_overview(uow, LEAD)
    assert overview.plan.your_role == "lead"
    assert overview.actions_by_status["on-track"] == 2
    assert overview.actions_by_status["off-track"] == 1
    assert overview.actions_total == 4
    assert overview.overdue_actions == 1, "a done action is never overdue"
    assert overview.open_risks_by_grade == {"low": 0, "moderate": 1, "high": 0, "extreme": 2}
    assert overview.extreme_risks == 2
    assert (overview.feedback_count, overview.wins_count, overview.partners_count) == (1, 1, 1)


def test_overdue_is_judged_by_the_date_in_the_plan_timezone(uow: UnitOfWork, clock: Clock) -> None:
    setup_plan(uow, LEAD, validate(PlanSetup, name="Far east", timezone="Pacific/Auckland"))
    plan_id = plan_overview(uow, LEAD).plan.id
    with uow.transaction() as session:
        session.add(_action(plan_id, 1, "on-track", due=date(2026, 11, 23)))
    # 23 Nov 12:00 UTC is already 24 Nov in Auckland: the action due on the 23rd is late.
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    assert plan_overview(uow, LEAD).overdue_actions == 1
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert plan_overview(uow, LEAD).overdue_actions == 0


def test_the_overview_costs_the_same_queries_however_much_the_plan_holds(
    uow: UnitOfWork, plan_id: int
) -> None:
    def count_queries() -> int:
        return queries_run(uow.engine, lambda: plan_overview(uow, LEAD))

    small = count_queries()
    with uow.transaction() as session:
        session.add_all(_action(plan_id, n, "at-risk") for n in range(1, 30))
        session.add_all(_risk(plan_id, n, 1 + n % 5, 1 + n % 4) for n in range(1, 30))
    assert count_queries() == small


def test_a_channel_without_a_plan_gets_no_overview(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="isn't linked to a plan"):
        plan_overview(uow, LEAD)


def test_a_plan_id_from_another_workspace_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound):
        plan_overview(uow, Actor("T2", "UX", "DX"), plan_id)
