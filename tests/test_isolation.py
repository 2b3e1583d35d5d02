"""One plan's channel never reaches another plan's records; a role in one plan gives nothing
in another. Two workspaces, three plans, the same references in each, driven over signed HTTP.

Workspace T0GOVBOT holds Devon (channel C0DEVON, lead U0DEVON) and Cornwall (channel
C0CORN, lead U0CORN); workspace T0KENT holds Kent in a channel with Devon's channel id
(Slack ids are only unique within a workspace), led by U0KENT.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, select

from governance.actions.models import Action, ActionUpdateEntry
from governance.challenges.models import Challenge
from governance.feedback.models import Feedback
from governance.models import Base
from governance.plans.models import Plan, Role
from governance.risks.models import Risk
from governance.wins.models import Win
from tests.slack_harness import TEAM_ID, BotServer

KENT_TEAM = "T0KENT"


@dataclass(frozen=True)
class Place:
    """Where a plan is typed in: its workspace and channel, and its lead."""

    name: str
    team_id: str
    channel_id: str
    lead: str


DEVON = Place("Devon", TEAM_ID, "C0DEVON", "U0DEVON")
CORNWALL = Place("Cornwall", TEAM_ID, "C0CORN", "U0CORN")
KENT = Place("Kent", KENT_TEAM, "C0DEVON", "U0KENT")
PLACES = (DEVON, CORNWALL, KENT)


def say(bot: BotServer, place: Place, command: str, text: str, user: str | None = None) -> str:
    """Type a command in the place's channel (as its lead unless told); the reply, as text."""
    reply = bot.slash_reply(
        command,
        text,
        user_id=user or place.lead,
        channel_id=place.channel_id,
        team_id=place.team_id,
    )
    return json.dumps(reply, ensure_ascii=False)


@pytest.fixture
def three_plans(bot_server: BotServer) -> Iterator[BotServer]:
    """Each plan gets A-1, R-1, F-1 and W-1, titled with the plan's name."""
    for place in PLACES:
        say(bot_server, place, "/plan", f'setup "{place.name} ICS workforce plan"')
        say(bot_server, place, "/action", f'add "{place.name} staff passport"')
        say(bot_server, place, "/risk", f'add "{place.name} agency spend" likelihood:4 impact:4')
        say(bot_server, place, "/feedback", f'staff "{place.name} rota feedback"')
        say(bot_server, place, "/win", f'"{place.name} retention up"')
    yield bot_server


def snapshot(engine: Engine, plan_name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that belongs to the named plan, by table."""
    with engine.connect() as connection:
        plan_id = connection.execute(
            select(Plan.id).where(Plan.name == f"{plan_name} ICS workforce plan")
        ).scalar_one()
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            if "plan_id" in table.c:
                query = table.select().where(table.c.plan_id == plan_id)
            elif table.name == "action_updates":
                query = table.select().where(
                    table.c.action_id.in_(select(Action.id).where(Action.plan_id == plan_id))
                )
            else:
                continue
            rows[table.name] = [
                tuple(r) for r in connection.execute(query.order_by(*table.primary_key))
            ]
        return rows


def test_references_resolve_in_the_plan_of_the_channel_they_are_typed_in(
    three_plans: BotServer,
) -> None:
    bot = three_plans
    for place in PLACES:
        others = [p.name for p in PLACES if p is not place]
        for command, text in (("/action", "show A-1"), ("/risk", "show R-1")):
            shown = say(bot, place, command, text)
            assert place.name in shown
            assert not any(other in shown for other in others), (place, command, shown)
        listed = say(bot, place, "/feedback", "list") + say(bot, place, "/win", "list")
        assert f"{place.name} rota feedback" in listed and f"{place.name} retention up" in listed
        assert not any(other in listed for other in others)


def test_changes_typed_in_one_plan_never_touch_another(
    three_plans: BotServer, engine: Engine
) -> None:
    bot = three_plans
    devon_before = snapshot(engine, "Devon")
    kent_before = snapshot(engine, "Kent")
    for text in (
        'update A-1 status:red progress:10 "Cornwall only"',
        'challenge A-1 "Why red?"',
        'done A-1 "Cornwall done"',
    ):
        say(bot, CORNWALL, "/action", text)
    say(bot, CORNWALL, "/risk", "update R-1 likelihood:2")
    say(bot, CORNWALL, "/risk", 'close R-1 "Cornwall closed"')
    say(bot, CORNWALL, "/feedback", 'answer F-1 "Cornwall answered" action:A-1')
    say(bot, CORNWALL, "/action", 'add "Cornwall second"')

    assert snapshot(engine, "Devon") == devon_before
    assert snapshot(engine, "Kent") == kent_before
    with engine.connect() as connection:
        cornwall = connection.execute(
            select(Plan.id).where(Plan.name.startswith("Cornwall"))
        ).scalar_one()
        actions = connection.execute(
            select(Action.number, Action.status).where(Action.plan_id == cornwall)
        ).all()
        assert sorted(actions) == [(1, "done"), (2, "not-started")]
        risk = connection.execute(select(Risk.status).where(Risk.plan_id == cornwall)).scalar_one()
        assert risk == "closed"
        answer = connection.execute(
            select(Feedback.answer, Feedback.answer_action_id).where(Feedback.plan_id == cornwall)
        ).one()
        linked = connection.execute(
            select(Action.plan_id).where(Action.id == answer.answer_action_id)
        ).scalar_one()
        assert (answer.answer, linked) == ("Cornwall answered", cornwall)
        challenged = (
            connection.execute(
                select(Action.plan_id).join(Challenge, Challenge.action_id == Action.id)
            )
            .scalars()
            .all()
        )
        assert challenged == [cornwall]
        noted = (
            connection.execute(
                select(Action.plan_id).join(
                    ActionUpdateEntry, ActionUpdateEntry.action_id == Action.id
                )
            )
            .scalars()
            .all()
        )
        assert set(noted) == {cornwall}


def test_a_lead_of_one_plan_is_only_a_member_of_another(
    three_plans: BotServer, engine: Engine
) -> None:
    bot = three_plans
    devon_lead = DEVON.lead
    devon_lead_in_kent = Place("Kent", KENT_TEAM, KENT.channel_id, devon_lead)
    refusals = [
        say(bot, CORNWALL, "/action", "update A-1 status:red", user=devon_lead),
        say(bot, CORNWALL, "/action", "done A-1", user=devon_lead),
        say(bot, CORNWALL, "/risk", "update R-1 impact:1", user=devon_lead),
        say(bot, CORNWALL, "/feedback", "list", user=devon_lead),
        say(bot, CORNWALL, "/feedback", 'answer F-1 "Not mine to answer"', user=devon_lead),
        say(bot, CORNWALL, "/plan", f"role <@{devon_lead}> lead", user=devon_lead),
        say(bot, CORNWALL, "/plan", "board <#C0BOARD|board>", user=devon_lead),
        # The same user id in another workspace is nobody's lead there either.
        say(bot, devon_lead_in_kent, "/action", "update A-1 status:red"),
        say(bot, devon_lead_in_kent, "/feedback", "list"),
    ]
    for reply in refusals:
        assert "Only" in reply, reply
        assert "Cornwall rota feedback" not in reply and "Kent rota feedback" not in reply
    with engine.connect() as connection:
        roles = connection.execute(select(Role.user_id).where(Role.user_id == devon_lead)).all()
        assert len(roles) == 1
        assert connection.execute(select(Action.status)).scalars().all() == ["not-started"] * 3
        assert connection.execute(select(Feedback.answer)).scalars().all() == [None] * 3
        assert connection.execute(select(Plan.board_channel_id)).scalars().all() == [None] * 3


def test_a_button_or_form_naming_another_workspaces_plan_is_refused(
    three_plans: BotServer, engine: Engine
) -> None:
    bot = three_plans
    with engine.connect() as connection:
        devon_id = connection.execute(
            select(Plan.id).where(Plan.name.startswith("Devon"))
        ).scalar_one()
    # Kent's lead, in Kent's workspace, with Devon's plan id in a button's value.
    for action_id in ("action_done", "action_update", "action_challenge", "risk_update"):
        ref = "R-1" if action_id.startswith("risk") else "A-1"
        sent = bot.click(
            action_id,
            f"{devon_id}:{ref}",
            user_id=KENT.lead,
            channel_id=KENT.channel_id,
            team_id=KENT_TEAM,
        )
        assert sent.status == 200
        reply = json.dumps(bot.reply_to(sent), ensure_ascii=False)
        assert "doesn't exist in this workspace" in reply, (action_id, reply)
    submitted = bot.submit(
        "win_add",
        {"win_text": "Smuggled into Devon"},
        # Sealed as if govbot had opened it for Devon's plan: the workspace check still holds.
        private_metadata=bot.sealed(
            {"plan_id": devon_id, "channel_id": KENT.channel_id},
            user_id=KENT.lead,
            team_id=KENT_TEAM,
        ),
        user_id=KENT.lead,
        team_id=KENT_TEAM,
    )
    assert submitted.status == 200
    assert submitted.json() == {
        "response_action": "errors",
        "errors": {"win_text": "That plan doesn't exist in this workspace."},
    }
    with engine.connect() as connection:
        assert connection.execute(select(Action.status)).scalars().all() == ["not-started"] * 3
        assert connection.execute(
            select(Win.text).where(Win.plan_id == devon_id)
        ).scalars().all() == ["Devon retention up"]
    assert not bot.standin.calls_to("views.open")


def test_app_home_shows_only_the_workspace_it_is_opened_in(three_plans: BotServer) -> None:
    bot = three_plans
    for team_id, shown, hidden in ((TEAM_ID, "Devon", "Kent"), (KENT_TEAM, None, "Devon")):
        bot.standin.reset()
        # Devon's lead owns Devon's A-1; in Kent's workspace the same id owns nothing.
        result = bot.event(
            {"type": "app_home_opened", "user": DEVON.lead, "tab": "home"}, team_id=team_id
        )
        assert result.status == 200
        published = json.dumps(
            bot.standin.wait_for_calls("views.publish")[0].params["view"], ensure_ascii=False
        )
        assert hidden not in published and "Cornwall" not in published
        if shown:
            assert f"{shown} staff passport" in published
