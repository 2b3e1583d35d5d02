"""`/action depends`: an action waits on others of its plan, driven over signed HTTP as Slack
sends it; a loop at any depth is refused with the loop spelled out, and a blocker turning
red reaches the waiting owner in their next nudge, once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from governance.database import UnitOfWork
from governance.models import ActionDependency, AuditEntry
from tests.conftest import Clock
from tests.jobs_world import LEAD, World, at
from tests.slack_harness import BotServer, assert_valid_blocks

ANN = "U0ANN"
BOB = "U0BOB"
MONDAY_10 = at("2026-11-23T10:00")
TUESDAY_9 = at("2026-11-24T09:00")
WEDNESDAY_9 = at("2026-11-25T09:00")


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
            for e in session.scalars(select(AuditEntry).where(AuditEntry.verb == "depends"))
        ]
    assert audit == [
        (ANN, "depends", {"waits_on": [[], ["A-1", "A-2"]]}),
        (ANN, "depends", {"waits_on": [["A-1", "A-2"], []]}),
    ]
    history = words(action(bot_server, "show A-3"))
    assert "waits on none → A-1, A-2" in history and "waits on A-1, A-2 → none" in history
    again = action(bot_server, "depends A-3 none", user_id=ANN)
    assert "A-3 already waits on nothing, so nothing changed." in words(again)
