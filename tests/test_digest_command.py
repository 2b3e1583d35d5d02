"""`/plan digest`: a preview only the asker sees, or `post` to the board channel now."""

from __future__ import annotations

from bot.jobs import JobRunner
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, at, message_text, sent_messages
from tests.slack_faults import FaultyStandin
from tests.slack_harness import ALICE, BotServer, assert_valid_blocks

BOB = "U0BOB"


def test_a_lead_previews_the_digest_privately(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    plan = world.plan(lead=ALICE)
    world.win(plan, "Twenty new HCAs started")
    clock.advance(minutes=1)
    sent = bot_server.slash("/plan", "digest")
    reply = bot_server.reply_to(sent)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Preview of the Weekly digest")
    assert "*Preview, only you can see this.* `/plan digest post` posts it to <#C0BOARD>" in (
        message_text(reply)
    )
    assert "Twenty new HCAs started" in message_text(reply)
    assert_valid_blocks(reply)
    assert sent_messages(standin) == []


def test_members_cannot_preview_or_post_the_digest(world: World, bot_server: BotServer) -> None:
    world.plan(lead=ALICE)
    world.role(1, "U0DATA", "data-lead")
    reply = bot_server.slash_reply("/plan", "digest", user_id=BOB)
    assert "Only the plan's leads, chairs and data leads can preview the digest." in reply["text"]
    reply = bot_server.slash_reply("/plan", "digest post", user_id="U0DATA")
    assert "Only the plan's leads and chairs can post the digest." in reply["text"]
    assert "Preview" in bot_server.slash_reply("/plan", "digest", user_id="U0DATA")["text"]


def test_posting_now_sends_the_digest_and_chart_once_and_starts_the_next_period(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    plan = world.plan(lead=ALICE)
    world.win(plan, "Twenty new HCAs started")
    clock.advance(minutes=1)
    reply = bot_server.slash_reply("/plan", "digest post")
    assert "Posted the digest for *Wessex Vale ICS workforce plan* to <#C0BOARD>" in (
        message_text(reply)
    )
    [posted] = sent_messages(standin, BOARD)
    assert "Twenty new HCAs started" in message_text(posted)
    assert len(standin.calls_to("files.completeUploadExternal")) == 1

    again = bot_server.slash_reply("/plan", "digest post")
    assert again["text"] == "The digest was posted a moment ago; it isn't posted twice."
    assert len(sent_messages(standin, BOARD)) == 1

    clock.advance(hours=1)
    preview = bot_server.slash_reply("/plan", "digest")
    assert "Since the last digest: Wed 18 Nov 2026" in message_text(preview)
    assert "Twenty new HCAs started" not in message_text(preview)


def test_posting_needs_a_board_channel(world: World, bot_server: BotServer) -> None:
    world.plan(lead=ALICE, board=None)
    reply = bot_server.slash_reply("/plan", "digest post")
    assert "This plan has no board channel to post the digest to." in message_text(reply)
    assert "`/plan board #channel`" in message_text(reply)


def test_digest_takes_only_post(world: World, bot_server: BotServer) -> None:
    world.plan(lead=ALICE)
    reply = bot_server.slash_reply("/plan", "digest now")
    assert "`digest` takes nothing (a preview) or `post` (post it now)." in message_text(reply)
    assert "/plan digest [post]" in message_text(reply)


def test_the_digest_follows_a_changed_plan_timezone_from_the_next_pass(
    world: World, bot_server: BotServer, runner: JobRunner, clock: Clock
) -> None:
    clock.set(at("2026-11-20T10:00"))
    world.plan(lead=ALICE)
    reply = bot_server.slash_reply("/plan", "settings tz:America/New_York")
    assert "Changed: tz" in message_text(reply)
    clock.set(at("2026-11-23T09:00"))  # Monday 09:00 in London, 04:00 in New York
    assert runner.run("digest").sent == []
    clock.set(at("2026-11-23T14:00"))  # 09:00 in New York
    assert len(runner.run("digest").sent) == 1


def test_a_you_said_from_a_group_under_the_threshold_carries_no_source_anywhere(
    bot_server: BotServer, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    bot_server.slash_reply("/plan", 'setup "Devon ICS"')
    bot_server.slash_reply("/plan", "board <#C0BOARD|people-board>")
    bot_server.slash_reply("/plan", "settings anonymity:5")
    bot_server.slash_reply(
        "/feedback", 'carer "Respite came too late for us" anonymous', user_id=BOB
    )
    for n in range(5):
        bot_server.slash_reply("/feedback", f'staff "Rota {n} was late" anonymous', user_id=BOB)
    bot_server.slash_reply("/feedback", 'answer F-1 "Respite is now booked within a week"')
    bot_server.slash_reply("/feedback", 'answer F-2 "Rotas go out six weeks ahead"')

    digest = message_text(bot_server.slash_reply("/plan", "digest"))
    assert "Carer fewer than 5" in digest
    assert "*You said*: “Respite came too late for us”" in digest
    assert "Carer)" not in digest
    # Staff are withheld too, so the carer can't be counted by subtraction: no source either.
    assert "Frontline staff withheld" in digest
    assert "*You said*: “Rota 0 was late”" in digest

    listing = bot_server.slash_reply("/feedback", "list")
    assert_valid_blocks(listing)
    [carer] = [b["text"]["text"] for b in listing["blocks"] if "*F-1*" in b["text"]["text"]]
    assert "Source withheld (a small group)" in carer and "Carer" not in carer
    [staff] = [b["text"]["text"] for b in listing["blocks"] if "*F-2*" in b["text"]["text"]]
    assert "Frontline staff" in staff


def test_plan_functions_and_the_digest_give_one_measure_of_how_far_along_a_function_is(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    world.plan(lead=ALICE)
    bot_server.slash_reply("/action", 'add "Menopause policy" function:wellbeing')
    bot_server.slash_reply("/action", 'add "Staff hubs" function:wellbeing')
    bot_server.slash_reply("/action", 'add "Flu jabs" function:wellbeing')
    bot_server.slash_reply("/action", "update A-1 status:green progress:40")
    bot_server.slash_reply("/action", "done A-2")
    # (40 + 100 + 0) / 3 actions: 47% complete, where a share of actions done would say 33%.
    functions = bot_server.slash_reply("/plan", "functions")
    assert_valid_blocks(functions)
    [wellbeing] = [b for b in functions["blocks"] if "*1. Supporting" in str(b)]
    assert "*47% complete*" in wellbeing["text"]["text"]
    assert "% done" not in message_text(functions)
    assert "average progress of a function's actions" in message_text(functions)
    digest = message_text(bot_server.slash_reply("/plan", "digest"))
    assert "*47% complete*" in digest
