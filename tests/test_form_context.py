"""A form acts on the plan it was opened for and answers in the channel it was opened from,
and the server, not the submission, is what knows them: govbot seals a form's context when
it opens the form, and refuses a submission whose context is not one it sealed, for that
person, in that workspace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.interactions import STALE_TEXT
from governance.actions.models import Action
from governance.plans.models import Plan
from governance.wins.models import Win
from tests.slack_harness import CHANNEL, BotServer, HttpResult

PLAN_B_CHANNEL = "C0PLANB"
BEA = "U0BEA"
CARL = "U0CARL"


@pytest.fixture
def bot(bot_server: BotServer) -> BotServer:
    """Alice leads plan A in the harness channel; Bea leads plan B in its own channel."""
    bot_server.slash_reply("/plan", 'setup "Devon workforce plan"')
    bot_server.slash_reply(
        "/plan", 'setup "Cornwall workforce plan"', user_id=BEA, channel_id=PLAN_B_CHANNEL
    )
    return bot_server


def plan_ids(bot: BotServer) -> tuple[int, int]:
    with bot.uow.transaction() as session:
        devon, cornwall = session.scalars(select(Plan.id).order_by(Plan.id))
        return devon, cornwall


def refused_as_stale(result: HttpResult, block: str) -> None:
    assert result.status == 200, result
    answer = result.json()
    assert answer["response_action"] == "errors" and list(answer["errors"]) == [block], answer
    assert STALE_TEXT in answer["errors"][block]


def rewritten(private_metadata: str, **changes: Any) -> str:
    """The metadata a form was opened with, seal and all, with some of its context changed."""
    return json.dumps({**json.loads(private_metadata), **changes})


def posted_channels(bot: BotServer) -> list[str]:
    return [call.params["channel"] for call in bot.standin.calls_to("chat.postMessage")]


def test_a_win_form_forged_to_post_into_another_plans_channel_is_refused(bot: BotServer) -> None:
    devon, _ = plan_ids(bot)
    form = bot.open_form("/win")
    values = {"win_text": "Rotation scheme agreed"}
    for forged in (
        json.dumps({"plan_id": devon, "channel_id": PLAN_B_CHANNEL}),
        rewritten(form["private_metadata"], channel_id=PLAN_B_CHANNEL),
    ):
        refused_as_stale(bot.submit("win_add", values, private_metadata=forged), "win_text")
    with bot.uow.transaction() as session:
        assert session.scalars(select(Win)).all() == []
    bot.stop()
    assert PLAN_B_CHANNEL not in posted_channels(bot)


def test_an_action_form_forged_to_name_a_plan_whose_channel_the_member_is_not_in_is_refused(
    bot: BotServer,
) -> None:
    _, cornwall = plan_ids(bot)
    form = bot.open_form("/action", user_id=CARL)
    values = {"title": "Smuggled into Cornwall"}
    for forged in (
        json.dumps({"plan_id": cornwall}),
        json.dumps({"plan_id": cornwall, "channel_id": CHANNEL}),
        rewritten(form["private_metadata"], plan_id=cornwall),
    ):
        result = bot.submit("action_add", values, private_metadata=forged, user_id=CARL)
        refused_as_stale(result, "title")
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action)).all() == []


def test_a_form_opened_for_one_person_is_refused_from_another(bot: BotServer) -> None:
    form = bot.open_form("/action")
    values = {"title": "Staff passport"}
    opened_for_alice = form["private_metadata"]
    result = bot.submit("action_add", values, private_metadata=opened_for_alice, user_id=CARL)
    refused_as_stale(result, "title")
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action)).all() == []


def test_a_form_without_the_context_it_was_opened_with_is_refused(bot: BotServer) -> None:
    refused_as_stale(bot.submit("win_add", {"win_text": "Who knows where"}), "win_text")


def test_the_form_as_opened_acts_on_its_plan_and_posts_in_its_channel(bot: BotServer) -> None:
    devon, _ = plan_ids(bot)
    form = bot.open_form("/win")
    values = {"win_text": "Rotation scheme agreed"}
    result = bot.submit("win_add", values, private_metadata=form["private_metadata"])
    assert (result.status, result.body) == (200, b"")
    with bot.uow.transaction() as session:
        assert session.scalars(select(Win.plan_id)).all() == [devon]
    bot.stop()
    assert posted_channels(bot) == [CHANNEL]


def test_a_button_forged_in_one_plans_channel_to_name_another_plan_is_refused(
    bot: BotServer,
) -> None:
    _, cornwall = plan_ids(bot)
    bot.slash_reply("/action", 'add "Cornish rota"', user_id=BEA, channel_id=PLAN_B_CHANNEL)
    for action_id in ("action_challenge", "action_done"):
        sent = bot.click(action_id, f"{cornwall}:A-1", user_id=CARL, channel_id=CHANNEL)
        assert sent.status == 200
        reply = json.dumps(bot.reply_to(sent), ensure_ascii=False)
        assert "belongs to Cornwall workforce plan, not to this channel's plan" in reply
    assert bot.standin.calls_to("views.open") == []
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action.status)).all() == ["not-started"]


def test_the_same_button_in_a_direct_message_still_reaches_its_plan(bot: BotServer) -> None:
    _, cornwall = plan_ids(bot)
    bot.slash_reply("/action", 'add "Cornish rota"', user_id=BEA, channel_id=PLAN_B_CHANNEL)
    sent = bot.click("action_done", f"{cornwall}:A-1", user_id=BEA, channel_id="D0BEA")
    assert "A-1" in json.dumps(bot.reply_to(sent))
    with bot.uow.transaction() as session:
        assert session.scalars(select(Action.status)).all() == ["done"]
