"""Buttons and modals plug into the same frame as commands: refusals always reach the user,
on the form itself for a modal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import App

from bot.command_router import SORRY_TEXT, Reply
from bot.deps import BotDeps
from bot.interactions import (
    ActionContext,
    FieldInvalid,
    FormContext,
    ViewContext,
    on_action,
    on_view,
)
from governance.errors import NotAllowed, Unavailable
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer

seen: list[Any] = []


def register(app: App, deps: BotDeps) -> None:
    @on_action(app, deps, "gadget_done")
    def done(ctx: ActionContext) -> Reply:
        seen.append(ctx)
        return Reply(text=f"Done {ctx.value}", replace_original=ctx.value == "G-2")

    @on_action(app, deps, "gadget_refused")
    def refused(ctx: ActionContext) -> Reply:
        raise NotAllowed("Only the owner can do that.", hint="Ask the plan lead.")

    @on_action(app, deps, "gadget_broken")
    def broken(ctx: ActionContext) -> Reply:
        raise KeyError("user text")

    @on_action(app, deps, "gadget_edit")
    def edit(ctx: ActionContext) -> Reply:
        return Reply(
            view={
                "type": "modal",
                "callback_id": "gadget_edit",
                "title": {"type": "plain_text", "text": "Edit"},
                "blocks": [{"type": "divider"}],
            }
        )

    @on_view(app, deps, "gadget_add", errors_on="title")
    def add(ctx: ViewContext) -> Reply | None:
        seen.append(ctx)
        title = ctx.value("title")
        if title == "field":
            raise FieldInvalid("due", "That date is in the past.")
        if title == "domain":
            raise NotAllowed("Only leads can add gadgets.")
        if title == "outage":
            raise Unavailable("down")
        if title == "boom":
            raise RuntimeError("boom")
        if title == "next":
            return Reply(
                view={
                    "type": "modal",
                    "callback_id": "gadget_add_2",
                    "title": {"type": "plain_text", "text": "Step 2"},
                    "blocks": [{"type": "divider"}],
                }
            )
        return Reply(text=f"Added {title}", in_channel=title == "loud")


@pytest.fixture
def bot(make_bot_server: Callable[..., BotServer]) -> BotServer:
    seen.clear()
    return make_bot_server(register=register)


def test_a_click_gets_the_actor_and_value_and_an_ephemeral_reply(bot: BotServer) -> None:
    sent = bot.click("gadget_done", "G-1", user_id="U0BOB")
    assert sent.status == 200
    reply = bot.reply_to(sent)
    assert reply == {"text": "Done G-1", "response_type": "ephemeral", "replace_original": False}
    (ctx,) = seen
    assert (ctx.actor.team_id, ctx.actor.user_id, ctx.actor.channel_id) == (
        TEAM_ID,
        "U0BOB",
        CHANNEL,
    )


def test_a_click_can_replace_the_message_it_was_on(bot: BotServer) -> None:
    reply = bot.reply_to(bot.click("gadget_done", "G-2"))
    assert reply["replace_original"] is True


def test_a_refused_click_tells_the_user_why(bot: BotServer) -> None:
    reply = bot.reply_to(bot.click("gadget_refused", "G-1"))
    assert reply["response_type"] == "ephemeral"
    text = json.dumps(reply)
    assert "Only the owner can do that." in text
    assert "Ask the plan lead." in text


def test_a_broken_click_still_reaches_the_user(bot: BotServer) -> None:
    assert bot.reply_to(bot.click("gadget_broken"))["text"] == SORRY_TEXT


def test_a_click_can_open_a_modal(bot: BotServer) -> None:
    bot.click("gadget_edit")
    (call,) = bot.standin.wait_for_calls("views.open")
    assert call.params["view"]["callback_id"] == "gadget_edit"


def test_a_click_in_a_view_without_a_response_url_replies_by_dm_or_ephemeral(
    bot: BotServer,
) -> None:
    bot.click("gadget_done", "G-3", view={"id": "V1", "type": "home"}, channel_id=None)
    (call,) = bot.standin.wait_for_calls("chat.postMessage")
    assert call.params["channel"] == ALICE
    assert call.params["text"] == "Done G-3"


def test_a_submission_reads_values_and_the_channel_it_came_from(bot: BotServer) -> None:
    result = bot.submit(
        "gadget_add",
        {
            "title": "Recruit 20 nurses",
            "owner": {"type": "users_select", "selected_user": "U0BOB"},
            "due": {"type": "datepicker", "selected_date": "2027-03-31"},
            "function": {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": "supply"},
            },
            "people": {"type": "multi_users_select", "selected_users": ["U1", "U2"]},
            "anonymous": {"type": "checkboxes", "selected_options": [{"value": "yes"}]},
            "empty": {"type": "plain_text_input", "value": None},
        },
        private_metadata=bot.sealed({"channel_id": "C0OTHER", "plan_id": 7}),
    )
    assert result.status == 200
    assert result.body == b""
    (ctx,) = seen
    assert ctx.actor.channel_id == "C0OTHER"
    assert ctx.form == FormContext(plan_id=7, channel_id="C0OTHER")
    assert ctx.value("owner") == "U0BOB"
    assert ctx.value("due") == "2027-03-31"
    assert ctx.value("function") == "supply"
    assert ctx.value("people") == ["U1", "U2"]
    assert ctx.value("anonymous") == ["yes"]
    assert ctx.value("empty") is None
    assert ctx.value("missing") is None
    (call,) = bot.standin.wait_for_calls("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == ("C0OTHER", ALICE)
    assert call.params["text"] == "Added Recruit 20 nurses"


def test_an_in_channel_reply_after_a_submission_is_posted_in_the_channel(bot: BotServer) -> None:
    bot.submit(
        "gadget_add", {"title": "loud"}, private_metadata=bot.sealed({"channel_id": "C0PLAN"})
    )
    (call,) = bot.standin.wait_for_calls("chat.postMessage")
    assert (call.params["channel"], call.params["text"]) == ("C0PLAN", "Added loud")


def test_an_ephemeral_that_slack_refuses_falls_back_to_a_dm(bot: BotServer) -> None:
    bot.standin.fail("chat.postEphemeral", status=404, times=1)
    bot.submit(
        "gadget_add", {"title": "quiet"}, private_metadata=bot.sealed({"channel_id": "C0PLAN"})
    )
    (call,) = bot.standin.wait_for_calls("chat.postMessage")
    assert (call.params["channel"], call.params["text"]) == (ALICE, "Added quiet")


def test_a_field_refusal_is_shown_under_that_field(bot: BotServer) -> None:
    result = bot.submit("gadget_add", {"title": "field"}, private_metadata=bot.sealed({}))
    assert result.status == 200
    assert result.json() == {
        "response_action": "errors",
        "errors": {"due": "That date is in the past."},
    }


def test_other_refusals_are_shown_under_the_named_block(bot: BotServer) -> None:
    assert bot.submit(
        "gadget_add", {"title": "domain"}, private_metadata=bot.sealed({})
    ).json() == {
        "response_action": "errors",
        "errors": {"title": "Only leads can add gadgets."},
    }


def test_an_outage_or_a_bug_is_shown_on_the_form(bot: BotServer) -> None:
    outage = bot.submit("gadget_add", {"title": "outage"}, private_metadata=bot.sealed({})).json()
    assert "temporarily unavailable" in outage["errors"]["title"]
    assert bot.submit("gadget_add", {"title": "boom"}, private_metadata=bot.sealed({})).json() == {
        "response_action": "errors",
        "errors": {"title": SORRY_TEXT},
    }


def test_a_submission_can_move_the_modal_on(bot: BotServer) -> None:
    answer = bot.submit("gadget_add", {"title": "next"}, private_metadata=bot.sealed({})).json()
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == "gadget_add_2"
