"""`/action depends`: an action waits on others of its plan, driven over signed HTTP as Slack
sends it; a loop at any depth is refused with the loop spelled out, and a blocker turning
red reaches the waiting owner in their next nudge, once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.jobs import JobRunner
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.exports import export_rows
from governance.models import Action, ActionDependency, AuditEntry
from tests.conftest import Clock
from tests.jobs_world import LEAD, TEAM, World, at, block_ids, message_text, sent_messages
from tests.slack_harness import BotServer, assert_valid_blocks

ANN = "U0ANN"
BOB = "U0BOB"
MONDAY_10 = at("2026-11-23T10:00")


@pytest.fixture
def plan(world: World, clock: Clock) -> int:
    """A plan led by LEAD in the harness channel: A-1 to A-4 owned by Ann, Bob, Ann, Bob."""
    clock.set(MONDAY_10)
    plan = world.plan()
    for owner, title in ((ANN, "Open the academy"), (BOB, "Agree the passport")):
        world.action(plan, owner, title=title, due=date(2027, 3, 31))
    world.action(plan, ANN, title="Recruit 40 nurses", due=date(2027, 3, 31))
    world.action(plan, BOB, title="Staff the wards", due=date(2027, 3, 31))
    return plan


def action(bot: BotServer, text: str, user_id: str = LEAD) -> dict[str, Any]:
    reply = bot.slash_reply("/action", text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def words(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def edges(uow: UnitOfWork) -> set[tuple[int, int]]:
    with uow.transaction() as session:
        return {(d.action_id, d.depends_on_id) for d in session.scalars(select(ActionDependency))}


def test_an_action_waits_on_others_and_show_lists_both_ways_with_their_states(
    plan: int, bot_server: BotServer
) -> None:
    reply = action(bot_server, "depends A-3 on:A-1,A-2", user_id=ANN)

    assert reply["response_type"] == "in_channel"
    assert "A-3 Recruit 40 nurses now waits on A-1, A-2" in reply["text"]
    shown = words(action(bot_server, "show A-3"))
    assert "*Waits on (2)*" in shown
    assert "*A-1* Open the academy" in shown and "*A-2* Agree the passport" in shown
    assert "due Wed 31 Mar 2027" in shown and "<@U0BOB>" in shown
    waited = words(action(bot_server, "show A-1"))
    assert "*Waited on by (1)*" in waited and "*A-3* Recruit 40 nurses" in waited


def test_a_loop_at_any_depth_is_refused_with_the_loop_spelled_out_and_nothing_changed(
    plan: int, bot_server: BotServer, uow: UnitOfWork
) -> None:
    action(bot_server, "depends A-2 on:A-1")
    action(bot_server, "depends A-3 on:A-2")
    before = edges(uow)

    short = action(bot_server, "depends A-1 on:A-2")
    deep = action(bot_server, "depends A-1 on:A-4,A-3")

    assert (
        "A-1 can't wait on A-2: that would make a loop. A-2 waits on A-1, which waits on A-2."
        in (short["text"] + words(short))
    )
    assert (
        "A-1 can't wait on A-3: that would make a loop. "
        "A-3 waits on A-2, which waits on A-1, which waits on A-3."
    ) in words(deep)
    assert "/action depends A-5 on:A-3,A-4" in words(deep)
    assert edges(uow) == before


def test_show_lists_the_first_ten_waiting_and_counts_the_rest(
    plan: int, world: World, bot_server: BotServer, uow: UnitOfWork
) -> None:
    waiting = [world.action(plan, BOB, title=f"Step {n}") for n in range(12)]
    with uow.transaction() as session:
        ids = dict(session.execute(select(Action.number, Action.id)).all())
        session.add_all(
            ActionDependency(
                action_id=ids[int(ref[2:])],
                depends_on_id=ids[1],
                plan_id=plan,
                created_at=MONDAY_10,
            )
            for ref in waiting
        )

    shown = action(bot_server, "show A-1")

    [block] = [b for b in shown["blocks"] if b.get("block_id") == "action_waited_on_by"]
    lines = block["text"]["text"].splitlines()
    assert lines[0] == "*Waited on by (12)*"
    assert [line.split("*")[1] for line in lines[1:-1]] == waiting[:10]
    assert lines[-1] == "…and 2 more"


REFUSALS = [
    ("depends A-3 on:R-2", "R-2 is a risk; this needs an action, like A-3."),
    (
        "depends A-3 on:A-1,A-99",
        "There is no A-99 in the plan “Wessex Vale ICS workforce plan”: "
        "its actions are A-1 to A-4.",
    ),
    ("depends A-3 on:A-3", "A-3 can't wait on itself."),
    ("depends A-3 on:A-1,A-1", "A-1 is named twice"),
    ("depends A-99 on:A-1", "There is no A-99 in the plan"),
    ("depends A-3", "Say what A-3 waits on with `on:A-3,A-4`, or `none` to clear it."),
    ("depends A-3 none on:A-1", "not both"),
    ("depends A-3 on:A-1 soon", "`soon` isn't something `depends` takes."),
    ("depends A-3 upon:A-1", "`upon:` isn't an option here. Did you mean `on:`?"),
    ("depends A-3 on:", "`on:` needs the actions it waits on"),
]


def test_bad_dependencies_are_refused_privately_saying_what_exists_and_change_nothing(
    plan: int, bot_server: BotServer, uow: UnitOfWork
) -> None:
    for text, refusal in REFUSALS:
        reply = action(bot_server, text)

        assert reply["response_type"] == "ephemeral", text
        assert refusal in words(reply), text
    assert edges(uow) == set()


def test_an_action_of_another_plan_cannot_be_waited_on(
    plan: int, world: World, bot_server: BotServer, uow: UnitOfWork
) -> None:
    other = world.plan("Other ICS plan", channel="C0OTHER")
    for _ in range(6):
        world.action(other, ANN)

    reply = action(bot_server, "depends A-3 on:A-6")

    assert "There is no A-6 in the plan “Wessex Vale ICS workforce plan”" in words(reply)
    assert edges(uow) == set()


def test_only_the_owner_or_a_lead_or_chair_changes_what_an_action_waits_on(
    plan: int, bot_server: BotServer, uow: UnitOfWork
) -> None:
    refused = action(bot_server, "depends A-1 on:A-2", user_id=BOB)

    assert "Only its owner or the plan's leads and chairs can change what A-1 waits on." in (
        words(refused)
    )
    assert edges(uow) == set()


def test_none_clears_what_an_action_waits_on_and_every_change_is_audited_and_in_its_history(
    plan: int, bot_server: BotServer, uow: UnitOfWork
) -> None:
    action(bot_server, "depends A-3 on:A-1,A-2", user_id=ANN)
    cleared = action(bot_server, "depends A-3 none", user_id=ANN)

    assert "A-3 Recruit 40 nurses waits on nothing now" in cleared["text"]
    assert "Before, it waited on A-1, A-2." in words(cleared)
    assert edges(uow) == set()
    with uow.transaction() as session:
        audit = [
            (e.actor_id, e.verb, e.detail)
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.ref == "A-3").order_by(AuditEntry.id)
            )
        ]
    assert audit == [
        (ANN, "update", {"waits_on": [[], ["A-1", "A-2"]]}),
        (ANN, "update", {"waits_on": [["A-1", "A-2"], []]}),
    ]
    history = words(action(bot_server, "show A-3"))
    assert "waits on none → A-1, A-2" in history and "waits on A-1, A-2 → none" in history
    again = action(bot_server, "depends A-3 none", user_id=ANN)
    assert "A-3 already waits on nothing, so nothing changed." in words(again)


def nudged(runner: JobRunner, clock: Clock, when: str) -> list[str]:
    """Who a nudge pass at `when` (plan time) sent to."""
    clock.set(at(when))
    return runner.run("nudges").sent


def test_a_blocker_turning_red_reaches_the_waiting_owner_in_their_next_nudge_once(
    plan: int, bot_server: BotServer, runner: JobRunner, clock: Clock
) -> None:
    action(bot_server, "depends A-3 on:A-2", user_id=ANN)
    action(bot_server, 'update A-2 status:red "Visa sponsorship refused"', user_id=BOB)

    assert nudged(runner, clock, "2026-11-24T09:00") == [ANN]
    assert nudged(runner, clock, "2026-11-24T09:30") == []
    assert nudged(runner, clock, "2026-11-25T09:00") == []

    [nudge] = sent_messages(bot_server.standin, ANN)
    assert_valid_blocks(nudge)
    assert block_ids(nudge) == ["nudge-intro", "nudge-waiting", "nudge-footer"]
    told = message_text(nudge)
    assert "1 item in Wessex Vale ICS workforce plan needs you today" in told
    assert "*A-3* Recruit 40 nurses waits on:" in told
    assert "*A-2* Agree the passport — :red_circle: Red (off track)" in told
    assert "<@U0BOB> · *it is red (off track)*" in told
    assert "`/action show A-3` shows what it waits on" in told


def test_a_blocker_that_recovers_and_slips_again_is_told_again_and_overdue_counts_too(
    plan: int, world: World, bot_server: BotServer, runner: JobRunner, clock: Clock
) -> None:
    late = world.action(plan, BOB, title="Sign the contract", due=date(2026, 11, 23))
    action(bot_server, f"depends A-3 on:A-2,{late}", user_id=ANN)
    action(bot_server, "update A-2 status:red", user_id=BOB)
    assert nudged(runner, clock, "2026-11-24T09:00") == [ANN, BOB]  # Bob: A-5 is overdue
    first = message_text(sent_messages(bot_server.standin, ANN)[0])
    assert "*it is red (off track)*" in first and "*A-5* Sign the contract" in first
    assert "*it is overdue*" in first

    action(bot_server, "update A-2 status:green", user_id=BOB)
    assert ANN not in nudged(runner, clock, "2026-11-25T09:00")
    action(bot_server, "update A-2 status:cancelled", user_id=BOB)
    assert ANN in nudged(runner, clock, "2026-11-26T09:00")

    again = message_text(sent_messages(bot_server.standin, ANN)[-1])
    assert "*A-2* Agree the passport" in again and "*it was cancelled*" in again
    assert "Sign the contract" not in again  # told about already


def test_the_digest_lists_actions_held_up_by_red_overdue_or_cancelled_ones(
    plan: int, world: World, bot_server: BotServer
) -> None:
    late = world.action(plan, BOB, title="Sign the contract", due=date(2026, 11, 20))
    action(bot_server, f"depends A-3 on:A-1,{late}")
    action(bot_server, "depends A-4 on:A-1")
    action(bot_server, "update A-1 status:red", user_id=ANN)
    action(bot_server, "depends A-2 on:A-4")  # A-4 is fine: A-2 is not held up

    digest = bot_server.slash_reply("/plan", "digest", user_id=LEAD)

    assert_valid_blocks(digest)
    [held] = [b["text"]["text"] for b in digest["blocks"] if b.get("block_id") == "digest-blocked"]
    assert held.splitlines() == [
        ":no_entry: *Held up: 2 actions waiting on red, overdue or cancelled ones*",
        "• *A-3* Recruit 40 nurses — <@U0ANN> · waits on *A-1*, which is red (off track); "
        "*A-5*, which is overdue",
        "• *A-4* Staff the wards — <@U0BOB> · waits on *A-1*, which is red (off track)",
    ]


def test_the_actions_export_says_what_each_action_waits_on(
    plan: int, bot_server: BotServer, uow: UnitOfWork
) -> None:
    action(bot_server, "depends A-4 on:A-2,A-1")

    table = export_rows(uow, Actor(TEAM, LEAD, "C0PLAN"), "actions")

    waits = {row[0]: row[table.header.index("Waits on")] for row in table.rows}
    assert waits == {"A-1": "", "A-2": "", "A-3": "", "A-4": "A-1, A-2"}
