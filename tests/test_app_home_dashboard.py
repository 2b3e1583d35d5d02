"""The App Home dashboard: a person's own actions, risks due review and challenges to answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.actions.inputs import ActionAdd, ActionUpdate
from governance.actions.status import ActionStatus
from governance.actions.use_cases import add_action, update_action
from governance.actor import Actor
from governance.challenges.inputs import ChallengeAsk
from governance.challenges.use_cases import challenge_action
from governance.dashboard import my_dashboard
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Plan
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from tests.conftest import Clock

ME = "UOWNER"
DEVON = Actor(team_id="T1", user_id=ME, channel_id="CDEVON")
CORNWALL = Actor(team_id="T1", user_id=ME, channel_id="CCORNWALL")
COLLEAGUE = Actor(team_id="T1", user_id="UCOLLEAGUE", channel_id="CDEVON")
ELSEWHERE = Actor(team_id="T2", user_id=ME, channel_id="CDEVON")


@pytest.fixture
def plans(uow: UnitOfWork, clock: Clock) -> dict[str, int]:
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    return {
        name: setup_plan(uow, actor, validate(PlanSetup, name=name)).id
        for name, actor in [("Devon", DEVON), ("Cornwall", CORNWALL), ("Elsewhere", ELSEWHERE)]
    }


def add(uow: UnitOfWork, actor: Actor, title: str, **fields: object) -> str:
    return add_action(uow, actor, validate(ActionAdd, title=title, **fields)).action.ref


def add_risk(uow: UnitOfWork, plan_id: int, title: str, review: date, **fields: object) -> None:
    with uow.transaction() as session:
        plan = session.get_one(Plan, plan_id)
        number = plan.next_risk_number
        plan.next_risk_number += 1
        fields.setdefault("owner_id", ME)
        session.add(
            Risk(
                plan_id=plan_id,
                number=number,
                title=title,
                likelihood=4,
                impact=4,
                review_date=review,
                created_by=ME,
                updated_by=ME,
                **fields,
            )
        )


def test_my_open_actions_across_the_workspaces_plans_by_due_date(
    uow: UnitOfWork, plans: dict[str, int]
) -> None:
    add(uow, DEVON, "undated")
    add(uow, CORNWALL, "cornwall soon", due="2026-11-30")
    add(uow, DEVON, "devon later", due="2027-01-15")
    add(uow, DEVON, "devon overdue", due="2026-11-01")
    done = add(uow, DEVON, "done", due="2026-11-02")
    update_action(uow, DEVON, validate(ActionUpdate, ref=done, status="done"))
    add(uow, COLLEAGUE, "someone else's", due="2026-11-03")
    add(uow, ELSEWHERE, "another workspace", due="2026-11-04")
    amber = add(uow, COLLEAGUE, "amber", due="2026-12-01", owner_id=ME)
    update_action(uow, DEVON, validate(ActionUpdate, ref=amber, status="amber"))
    dashboard = my_dashboard(uow, "T1", ME)
    assert [(a.plan_name, a.action.title) for a in dashboard.actions] == [
        ("Devon", "devon overdue"),
        ("Cornwall", "cornwall soon"),
        ("Devon", "amber"),
        ("Devon", "devon later"),
        ("Devon", "undated"),
    ]
    assert dashboard.actions[0].action.overdue
    assert dashboard.actions[2].action.status is ActionStatus.AT_RISK


def test_my_open_risks_due_review_within_a_week(uow: UnitOfWork, plans: dict[str, int]) -> None:
    add_risk(uow, plans["Devon"], "past review", date(2026, 11, 1))
    add_risk(uow, plans["Cornwall"], "in seven days", date(2026, 11, 30))
    add_risk(uow, plans["Devon"], "in eight days", date(2026, 12, 1))
    add_risk(uow, plans["Devon"], "closed", date(2026, 11, 2), status="closed")
    add_risk(uow, plans["Devon"], "not mine", date(2026, 11, 3), owner_id="UCOLLEAGUE")
    add_risk(uow, plans["Elsewhere"], "another workspace", date(2026, 11, 4))
    risks = my_dashboard(uow, "T1", ME).risks
    assert [(r.plan_name, r.risk.title) for r in risks] == [
        ("Devon", "past review"),
        ("Cornwall", "in seven days"),
    ]
    assert risks[0].risk.review_overdue


def test_the_review_week_is_counted_from_today_in_the_plans_timezone(
    uow: UnitOfWork, plans: dict[str, int], clock: Clock
) -> None:
    add_risk(uow, plans["Devon"], "review", date(2026, 11, 1))
    # 23:30 UTC on 24 October 2026 is already 25 October in London (BST).
    clock.set(datetime(2026, 10, 24, 22, 30, tzinfo=UTC))
    assert my_dashboard(uow, "T1", ME).risks == ()
    clock.set(datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    assert [r.risk.title for r in my_dashboard(uow, "T1", ME).risks] == ["review"]


def test_challenges_waiting_for_my_answer(uow: UnitOfWork, plans: dict[str, int]) -> None:
    add(uow, DEVON, "mine")
    challenge_action(uow, COLLEAGUE, validate(ChallengeAsk, ref="A-1", question="Really green?"))
    (waiting,) = my_dashboard(uow, "T1", ME).challenges
    assert (waiting.subject_ref, waiting.question, waiting.asked_by) == (
        "A-1",
        "Really green?",
        "UCOLLEAGUE",
    )


def test_someone_with_nothing_to_do_gets_an_empty_dashboard(
    uow: UnitOfWork, plans: dict[str, int]
) -> None:
    assert my_dashboard(uow, "T1", "UNEW").is_empty
    assert my_dashboard(uow, "T9", "UNEW").is_empty
