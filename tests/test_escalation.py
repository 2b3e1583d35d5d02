"""Escalation to the plan's leads: actions overdue more than 14 days, risks 14 days past
review; once each, one message per lead."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.jobs import JobRunner
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.jobs.snooze import SnoozeRequest, snooze_item
from governance.models import Action
from tests.conftest import Clock
from tests.jobs_world import LEAD, TEAM, World, at, block_ids, message_text, sent_messages
from tests.slack_faults import FaultyStandin
from tests.slack_harness import assert_valid_blocks

ANN = "U0ANN"
SECOND_LEAD = "U0LEAD2"
CHAIR = "U0CHAIR"


def escalations_at(
    runner: JobRunner, standin: FaultyStandin, when: str, clock: Clock
) -> list[dict[str, Any]]:
    """The escalation messages a nudges pass at `when` sent to the leads."""
    before = len(standin.calls_to("chat.postMessage"))
    clock.set(at(when))
    runner.run("nudges")
    new = [c.params for c in standin.calls_to("chat.postMessage")[before:]]
    return [m for m in new if m["channel"] in (LEAD, SECOND_LEAD, CHAIR)]


def test_an_action_overdue_more_than_14_days_goes_once_to_each_lead_not_the_chair(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-01T10:00"))
    plan = world.plan()
    world.role(plan, SECOND_LEAD, "lead")
    world.role(plan, CHAIR, "chair")
    world.action(plan, ANN, title="Launch the bank staff app", due=date(2026, 11, 6))

    # Due Friday 6 November: 14 days overdue on Friday 20th, more than 14 from Saturday.
    assert escalations_at(runner, standin, "2026-11-20T09:00", clock) == []
    sent = escalations_at(runner, standin, "2026-11-23T09:00", clock)
    assert sorted(m["channel"] for m in sent) == [LEAD, SECOND_LEAD]
    text = message_text(sent[0])
    assert "*A-1* Launch the bank staff app" in text
    assert "owner <@U0ANN>" in text
    assert "*overdue by 17 days* (due Fri 6 Nov 2026)" in text
    assert_valid_blocks(sent[0])

    for later in ("2026-11-24T09:00", "2026-11-30T09:00", "2026-12-14T09:00"):
        assert escalations_at(runner, standin, later, clock) == []


def test_each_lead_gets_one_message_listing_every_newly_late_action_most_late_first(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-10-01T10:00"))
    plan = world.plan()
    world.action(plan, ANN, title="A bit late", due=date(2026, 11, 6))
    world.action(plan, ANN, title="Very late", due=date(2026, 10, 2))
    world.action(plan, None, title="Nobody's", due=date(2026, 10, 20))
    world.action(plan, ANN, title="Finished", due=date(2026, 10, 2), status="done")
    [message] = escalations_at(runner, standin, "2026-11-23T09:00", clock)
    sections = [
        b for b in block_ids(message) if b.startswith("escalation-A-") and "buttons" not in b
    ]
    assert sections == ["escalation-A-2", "escalation-A-3", "escalation-A-1"]
    assert "owner _nobody_" in message_text(message)
    assert "3 actions in Wessex Vale ICS workforce plan are overdue" in message["text"]


def test_an_action_whose_due_date_moves_is_escalated_again_when_late_anew(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    clock.set(at("2026-11-01T10:00"))
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 6))
    assert len(escalations_at(runner, standin, "2026-11-23T09:00", clock)) == 1
    with uow.transaction() as session:
        session.scalars(select(Action)).one().due_date = date(2026, 11, 27)
    assert escalations_at(runner, standin, "2026-12-11T09:00", clock) == []  # 14 days late
    assert len(escalations_at(runner, standin, "2026-12-14T09:00", clock)) == 1


def test_an_owners_snooze_does_not_hide_an_action_from_the_leads(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    clock.set(at("2026-11-20T10:00"))
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 6))
    snooze_item(uow, Actor(TEAM, ANN, "D0ANN"), validate(SnoozeRequest, plan_id=plan, ref="A-1"))
    clock.set(at("2026-11-23T09:00"))
    report = runner.run("nudges")
    assert report.sent == [LEAD]
    assert sent_messages(standin, ANN) == []


def test_leads_are_escalated_to_on_their_own_working_days(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-01T10:00"))
    plan = world.plan()
    world.preferences(plan, LEAD, days="wed")
    world.action(plan, ANN, due=date(2026, 11, 6))
    assert escalations_at(runner, standin, "2026-11-23T09:00", clock) == []
    assert escalations_at(runner, standin, "2026-11-24T09:00", clock) == []
    assert len(escalations_at(runner, standin, "2026-11-25T09:00", clock)) == 1


def test_a_risk_14_days_past_review_goes_once_to_the_leads(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-01T10:00"))
    plan = world.plan()
    world.risk(
        plan,
        ANN,
        title="Agency spend overshoots",
        review=date(2026, 11, 10),
        likelihood=4,
        impact=5,
    )
    world.risk(plan, ANN, title="Closed one", review=date(2026, 10, 1), status="closed")

    clock.set(at("2026-11-23T09:00"))  # 13 days past review
    assert runner.run("risk-review").sent == []
    clock.set(at("2026-11-24T09:00"))  # 14 days
    assert runner.run("risk-review").sent == [LEAD]
    [message] = sent_messages(standin, LEAD)
    text = message_text(message)
    assert "*R-1* Agency spend overshoots" in text
    assert "score 20" in text and "*review was due Tue 10 Nov 2026* (14 days ago)" in text
    assert "Closed one" not in text
    assert [
        e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == [
        "risk_update",
        "risk_challenge",
    ]
    assert_valid_blocks(message)
    clock.set(at("2026-11-25T09:00"))
    assert runner.run("risk-review").sent == []


def test_a_risk_past_review_is_in_its_owners_nudge_from_the_next_day(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-01T10:00"))
    plan = world.plan()
    world.risk(plan, ANN, review=date(2026, 11, 23))
    clock.set(at("2026-11-23T09:00"))
    assert runner.run("nudges").sent == []
    clock.set(at("2026-11-24T09:00"))
    assert runner.run("nudges").sent == [ANN]
