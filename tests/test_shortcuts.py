"""Shortcuts, as Slack sends them over signed HTTP: "Add as action" on any message opens the
add-action form filled from it and links the action to the message; "Give feedback" opens
the feedback form from anywhere, for the person's plan or one of theirs they choose."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.listeners.shortcuts.action_shortcut import CALLBACK_ID as ADD_AS_ACTION
from bot.listeners.shortcuts.feedback_shortcut import CALLBACK_ID as GIVE_FEEDBACK
from governance.actions.models import TITLE_MAX, Action
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from tests.slack_harness import ALICE, CHANNEL, BotServer, assert_valid_blocks

BOB = "U0BOBSHORT"
SECOND_CHANNEL = "C0SECONDPLAN"
# Over the title's 200 characters, with a mention, a link and an escaped ampersand.
LONG_MESSAGE = (
    "Agree with <@U0SAMMSG> that we need a joint bank for the three trusts &amp; the "
    "hospice so that staff can pick up shifts across sites without a second induction, "
    "starting with the nursing and healthcare assistant roles where agency spend is "
    "highest this winter\nSee <https://example.org/bank|the bank options paper> first."
)


def opened_view(bot: BotServer, before: int) -> dict[str, Any]:
    call = bot.standin.wait_for_calls("views.open", before + 1)[before]
    view = call.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view)
    return dict(view)


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def text_of(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


@pytest.fixture
def plan(bot_server: BotServer) -> BotServer:
    reply = bot_server.slash_reply("/plan", 'setup "Shortcut ICS workforce plan"', user_id=ALICE)
    assert "Shortcut ICS workforce plan" in json.dumps(reply)
    return bot_server


def test_add_as_action_fills_the_form_from_the_message_and_links_the_action_to_it(
    plan: BotServer, uow: UnitOfWork
) -> None:
    bot = plan
    sent = bot.shortcut(
        ADD_AS_ACTION, message={"text": LONG_MESSAGE, "user": "U0SAMMSG", "ts": "1764580000.123456"}
    )
    assert (sent.status, sent.result.body) == (200, b""), "acknowledged at once"
    view = opened_view(bot, 0)

    [asked] = bot.standin.calls_to("chat.getPermalink")
    assert (asked.params["channel"], asked.params["message_ts"]) == (CHANNEL, "1764580000.123456")
    link = "https://govbot-standin.slack.com/archives/" + CHANNEL + "/p1764580000123456"
    title = block(view, "title")["element"]["initial_value"]
    description = block(view, "description")["element"]["initial_value"]
    assert len(title) <= TITLE_MAX and title.endswith("the nursing and healthcare"), (
        "cut between words"
    )
    assert title.startswith("Agree with @U0SAMMSG that we need a joint bank for the three trusts &")
    assert description == (
        "assistant roles where agency spend is highest this winter\n"
        "See the bank options paper first."
    ), "the rest of the first line, then the others"
    assert "the action will link to it" in text_of(view)

    values = {"title": title, "description": description}
    saved = bot.submit("action_add", values, private_metadata=view["private_metadata"])
    assert (saved.status, saved.body) == (200, b"")
    with uow.transaction() as session:
        [action] = session.scalars(select(Action)).all()
        assert (action.title, action.source_link) == (title, link)

    shown = bot.slash_reply("/action", "show A-1")
    assert_valid_blocks(shown)
    assert f"Added from <{link}|a message in Slack>" in json.dumps(shown)


def test_add_as_action_in_a_channel_without_a_plan_says_what_to_do_only_to_that_person(
    bot_server: BotServer,
) -> None:
    sent = bot_server.shortcut(
        ADD_AS_ACTION, message={"text": "Start the rota review"}, channel_id="C0NOPLANHERE"
    )
    assert sent.status == 200
    reply = bot_server.reply_to(sent)
    assert_valid_blocks(reply)
    assert reply["response_type"] == "ephemeral"
    assert "isn't linked to a plan" in reply["text"] and "/plan setup" in json.dumps(reply)
    assert bot_server.standin.calls_to("views.open") == []


def test_a_form_whose_sealed_link_is_not_a_link_is_refused_and_adds_nothing(
    plan: BotServer, uow: UnitOfWork
) -> None:
    metadata = plan.sealed({"plan_id": 1, "channel_id": CHANNEL, "source_link": "javascript:x"})
    refused = plan.submit("action_add", {"title": "Rota review"}, private_metadata=metadata)
    assert "no longer points at anything" in refused.json()["errors"]["title"]
    with uow.transaction() as session:
        assert session.scalars(select(Action)).all() == []


def test_give_feedback_from_anywhere_goes_to_the_persons_one_plan(
    plan: BotServer, uow: UnitOfWork
) -> None:
    sent = plan.shortcut(GIVE_FEEDBACK)
    assert (sent.status, sent.result.body) == (200, b"")
    view = opened_view(plan, 0)
    assert view["callback_id"] == "feedback_give"
    assert "For *Shortcut ICS workforce plan*" in text_of(view)
    assert all(b.get("block_id") != "feedback_plan" for b in view["blocks"])

    values = {
        "feedback_source": {"type": "static_select", "selected_option": {"value": "staff"}},
        "feedback_text": "Handover takes too long",
        "feedback_anonymous": {"type": "checkboxes", "selected_options": [{"value": "anonymous"}]},
    }
    given = plan.submit("feedback_give", values, private_metadata=view["private_metadata"])
    assert given.json()["response_action"] == "update"
    with uow.transaction() as session:
        [feedback] = session.scalars(select(Feedback)).all()
        assert (feedback.text, feedback.author_id) == ("Handover takes too long", None)


def test_give_feedback_offers_a_choice_of_the_persons_plans_and_takes_only_those(
    plan: BotServer, uow: UnitOfWork
) -> None:
    plan.slash_reply("/plan", 'setup "Another ICS plan"', channel_id=SECOND_CHANNEL)
    plan.slash_reply("/plan", 'setup "Not Alice\'s plan"', channel_id="C0BOBSPLAN", user_id=BOB)
    plan.shortcut(GIVE_FEEDBACK)
    view = opened_view(plan, 0)
    options = block(view, "feedback_plan")["element"]["options"]
    assert [o["text"]["text"] for o in options] == [
        "Another ICS plan",
        "Shortcut ICS workforce plan",
    ]

    values: dict[str, Any] = {
        "feedback_source": {"type": "static_select", "selected_option": {"value": "partner"}},
        "feedback_text": "Joint induction would help",
        "feedback_plan": {"type": "static_select", "selected_option": {"value": "3"}},
    }
    metadata = view["private_metadata"]
    refused = plan.submit("feedback_give", values, private_metadata=metadata)
    assert list(refused.json()["errors"]) == ["feedback_plan"], "Bob's plan was not offered"

    values["feedback_plan"]["selected_option"]["value"] = options[0]["value"]
    assert plan.submit("feedback_give", values, private_metadata=metadata).status == 200
    with uow.transaction() as session:
        [feedback] = session.scalars(select(Feedback)).all()
        assert str(feedback.plan_id) == options[0]["value"]


def test_give_feedback_from_someone_in_no_plan_says_where_to_give_it(
    plan: BotServer, uow: UnitOfWork
) -> None:
    plan.shortcut(GIVE_FEEDBACK, user_id=BOB)
    view = opened_view(plan, 0)
    assert "submit" not in view
    assert "/feedback" in text_of(view) and "plan's channel" in text_of(view)
