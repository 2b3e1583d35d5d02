"""The frame every slash command plugs into, driven over HTTP the way Slack drives it.

A tiny router registered only here stands in for the concept commands.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import App

from bot.command_router import MANY, SORRY_TEXT, CommandContext, CommandRouter, Reply, Takes
from bot.deps import BotDeps
from governance.errors import NotFound, Unavailable
from tests.slack_harness import CHANNEL, TEAM_ID, BotServer

USAGE = [
    ('add "Title" [owner:@user]', "record a new one"),
    "show G-1",
    'update G-1 [status:amber] ["note"]',
    ("", "opens the form"),
]

seen: list[CommandContext] = []
release = threading.Event()


def gadget_router() -> CommandRouter:
    router = CommandRouter(
        "gadget", usage=USAGE, summary="Gadgets of the plan.", default=_open_form
    )

    @router.sub("add", takes=Takes(quoted=MANY, users=MANY))
    def add(ctx: CommandContext) -> Reply:
        seen.append(ctx)
        return Reply(text=f"Added {len(ctx.args.quoted)} gadget", in_channel=True)

    @router.sub("show", aliases=["view"], takes=Takes(words=1))
    def show(ctx: CommandContext) -> Reply:
        raise NotFound(f"There is no gadget {ctx.args.words[0]}.", hint="See `/gadget list`.")

    @router.sub("update", takes=Takes(words=MANY))
    def update(ctx: CommandContext) -> Reply:
        raise RuntimeError(f"secret user text {ctx.raw_text}")

    @router.sub("outage")
    def outage(ctx: CommandContext) -> Reply:
        raise Unavailable("database down")

    @router.sub("slow")
    def slow(ctx: CommandContext) -> Reply:
        release.wait(timeout=5)
        return Reply(text="done slowly")

    return router


def _open_form(ctx: CommandContext) -> Reply:
    return Reply(
        view={
            "type": "modal",
            "callback_id": "gadget_add",
            "title": {"type": "plain_text", "text": "Add a gadget"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
        }
    )


def win_like_router() -> CommandRouter:
    """A command whose free text is its main form, like `/win "text"`."""
    router = CommandRouter(
        "cheer",
        usage=['"what went well"', "list"],
        fallback=_cheer,
        fallback_takes=Takes(words=MANY, quoted=MANY),
    )

    @router.sub("list")
    def list_(ctx: CommandContext) -> Reply:
        return Reply(text="the list")

    return router


def _cheer(ctx: CommandContext) -> Reply:
    return Reply(text=f"cheered {ctx.args.quoted or ctx.args.words}")


def register(app: App, deps: BotDeps) -> None:
    gadget_router().register(app, deps)
    win_like_router().register(app, deps)


@pytest.fixture
def bot(make_bot_server: Callable[..., BotServer]) -> BotServer:
    seen.clear()
    release.clear()
    return make_bot_server(register=register)


def all_text(reply: dict[str, Any]) -> str:
    parts = [reply.get("text", "")]
    for block in reply.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text["text"])
        for element in block.get("elements", []):
            parts.append(element.get("text", ""))
    return "\n".join(parts)


def test_help_lists_every_form_ephemerally(bot: BotServer) -> None:
    reply = bot.slash_reply("/gadget", "help")
    assert reply["response_type"] == "ephemeral"
    text = all_text(reply)
    assert "How to use `/gadget`" in text
    assert '`/gadget add "Title" [owner:@user]`  record a new one' in text
    assert "`/gadget show G-1`" in text
    assert "`/gadget`  opens the form" in text


def test_help_is_case_insensitive(bot: BotServer) -> None:
    assert "How to use" in bot.slash_reply("/gadget", "HELP")["text"]


def test_a_subcommand_gets_the_actor_and_the_text_after_it(bot: BotServer) -> None:
    reply = bot.slash_reply("/gadget", 'ADD "Fix the rota" owner:<@U0BOB>', user_id="U0CAROL")
    assert reply == {
        "text": "Added 1 gadget",
        "response_type": "in_channel",
        "replace_original": False,
    }
    (ctx,) = seen
    assert (ctx.actor.team_id, ctx.actor.user_id, ctx.actor.channel_id) == (
        TEAM_ID,
        "U0CAROL",
        CHANNEL,
    )
    assert ctx.command == "/gadget"
    assert ctx.subcommand == "add"
    assert ctx.args.quoted == ["Fix the rota"]
    assert ctx.args.options == {"owner": "U0BOB"}
    assert ctx.args.words == []
    assert ctx.raw_text == 'ADD "Fix the rota" owner:<@U0BOB>'
    assert ctx.trigger_id


def test_an_alias_reaches_the_same_handler(bot: BotServer) -> None:
    assert "There is no gadget G-9." in bot.slash_reply("/gadget", "view G-9")["text"]


def test_a_typo_is_refused_with_did_you_mean_and_the_right_form(bot: BotServer) -> None:
    reply = bot.slash_reply("/gadget", "updte G-1 status:amber")
    text = all_text(reply)
    assert reply["response_type"] == "ephemeral"
    assert "`updte` isn't something `/gadget` does. Did you mean `update`?" in text
    assert '`/gadget update G-1 [status:amber] ["note"]`' in text
    assert seen == []


def test_an_unknown_subcommand_is_refused_with_every_form(bot: BotServer) -> None:
    text = all_text(bot.slash_reply("/gadget", "frobnicate G-1"))
    assert "`frobnicate` isn't something `/gadget` does." in text
    assert "Did you mean" not in text
    assert '`/gadget add "Title" [owner:@user]`' in text
    assert "`/gadget show G-1`" in text


def test_a_domain_refusal_reaches_the_user_with_its_hint_and_form(bot: BotServer) -> None:
    reply = bot.slash_reply("/gadget", "show G-9")
    text = all_text(reply)
    assert reply["response_type"] == "ephemeral"
    assert "There is no gadget G-9." in text
    assert "See `/gadget list`." in text
    assert "`/gadget show G-1`" in text
    assert "`/gadget add" not in text


def test_what_a_form_does_not_take_is_refused_with_the_form_not_ignored(
    bot: BotServer,
) -> None:
    for text, says in [
        ("show G-1 G-2", "`G-2` isn't something `/gadget show` takes."),
        ('show G-1 "why"', "“why” isn't something `/gadget show` takes."),
        ("show G-1 <@U0BOB>", "`/gadget show` doesn't take a mention of someone there."),
        ("show G-1 <#C0GENERAL|general>", "`/gadget show` doesn't take a channel"),
        ("show G-1 <!here>", "`@here` can't be used in `/gadget show`"),
    ]:
        reply_text = all_text(bot.slash_reply("/gadget", text))
        assert says in reply_text
        assert "`/gadget show G-1`" in reply_text
    assert seen == []


def test_unbalanced_quotes_are_refused_with_the_subcommands_form(bot: BotServer) -> None:
    text = all_text(bot.slash_reply("/gadget", 'add "Fix the rota owner:<@U0BOB>'))
    assert "quote is not closed" in text
    assert '`/gadget add "Title" [owner:@user]`' in text
    assert seen == []


def test_an_unexpected_failure_after_the_ack_still_reaches_the_user(
    bot: BotServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="govbot"):
        reply = bot.slash_reply("/gadget", "update G-1 my private words")
    assert reply["text"] == SORRY_TEXT
    assert reply["response_type"] == "ephemeral"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/gadget update failed with RuntimeError" in logged
    assert "private words" not in logged


def test_an_outage_says_nothing_was_changed(bot: BotServer) -> None:
    reply = bot.slash_reply("/gadget", "outage")
    assert "temporarily unavailable, so nothing was changed" in reply["text"]
    assert reply["response_type"] == "ephemeral"


def test_the_bare_command_runs_the_default_which_opens_a_modal(bot: BotServer) -> None:
    sent = bot.slash("/gadget")
    assert sent.status == 200
    (call,) = bot.standin.wait_for_calls("views.open")
    assert call.params["trigger_id"]
    view = call.params["view"]
    assert view["callback_id"] == "gadget_add"
    assert '"channel_id": "C0PLAN"' in view["private_metadata"]
    assert bot.standin.responses(sent.response_name) == []


def test_a_modal_that_cannot_open_is_reported_to_the_user(bot: BotServer) -> None:
    bot.standin.fail("views.open", status=404, times=1)
    sent = bot.slash("/gadget")
    reply = bot.reply_to(sent)
    assert "didn't open" in reply["text"]


def test_empty_text_without_a_default_shows_help(bot: BotServer) -> None:
    assert "How to use `/cheer`" in all_text(bot.slash_reply("/cheer"))


def test_free_text_goes_to_the_fallback(bot: BotServer) -> None:
    assert bot.slash_reply("/cheer", '"We filled every rota gap"')["text"] == (
        "cheered ['We filled every rota gap']"
    )
    assert bot.slash_reply("/cheer", "lost nothing this week")["text"] == (
        "cheered ['lost', 'nothing', 'this', 'week']"
    )


def test_a_lone_typo_of_a_subcommand_is_still_caught_with_a_fallback(bot: BotServer) -> None:
    assert "Did you mean `list`?" in bot.slash_reply("/cheer", "lsit")["text"]


def test_the_command_prefix_renames_the_command(make_bot_server: Callable[..., BotServer]) -> None:
    bot = make_bot_server(register=register, command_prefix="wf-")
    reply = bot.slash_reply("/gadget", "help")
    assert "How to use `/wf-gadget`" in all_text(reply)
    assert "`/wf-gadget show G-1`" in all_text(reply)


def test_registering_a_subcommand_twice_is_refused() -> None:
    router = CommandRouter("gadget", usage=[])
    router.sub("add")(lambda ctx: None)
    with pytest.raises(ValueError, match="registered twice"):
        router.sub("ADD")(lambda ctx: None)


def test_the_request_is_acknowledged_before_the_work_is_done(bot: BotServer) -> None:
    sent = bot.slash("/gadget", "slow")
    assert sent.status == 200
    assert sent.result.body == b""
    assert not release.is_set(), "the HTTP answer came while the handler was still waiting"
    release.set()
    assert bot.reply_to(sent)["text"] == "done slowly"


def test_a_plain_reply_escapes_user_text() -> None:
    assert Reply.plain("Thanks <!channel> & team").text == "Thanks &lt;!channel&gt; &amp; team"
