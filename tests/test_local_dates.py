"""Every date a person reads is the plan's (Europe/London unless the plan says otherwise),
never UTC's: a stored instant is shown on the plan's wall clock, clock changes included.

The instants are chosen where UTC and the plan disagree about the day: 23:30 UTC on
30 June is 00:30 on Wednesday 1 July in London (BST), and 02:00 UTC on 1 July is still
Tuesday 30 June in New York. Winter instants check that London is not simply UTC+1.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.rendering import format_date
from governance.actions.inputs import ActionAdd, ActionUpdate
from governance.actions.use_cases import add_action, update_action
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, message_text, sent_messages
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

BOB = "U0BOB"
LONDON = ZoneInfo("Europe/London")
# 00:30 BST on Wednesday 1 July 2026; UTC still says Tuesday 30 June.
SUMMER_NIGHT = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


def reply_to(bot: BotServer, command: str, text: str, user_id: str = ALICE) -> dict[str, Any]:
    reply = bot.slash_reply(command, text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def line_of(text: str, ref: str) -> str:
    """The line of a listing that starts with `*<ref>*`."""
    [line] = re.findall(rf"\*{ref}\*[^\n]*", text)
    return line


# Actions: history, "added", open challenges


def test_an_update_made_after_midnight_in_summer_is_dated_the_london_day_on_card_and_show(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    clock.set(datetime(2026, 6, 30, 9, 0, tzinfo=UTC))
    world.plan(lead=ALICE)
    reply_to(bot_server, "/action", 'add "Staff passport"')
    clock.set(SUMMER_NIGHT)

    card = reply_to(bot_server, "/action", 'update A-1 progress:40 "Signed off overnight"')
    assert "Last update: Wed 1 Jul 2026 · <@U0ALICE>" in message_text(card)
    assert "30 Jun" not in message_text(card)

    clock.set(datetime(2026, 7, 2, 12, 0, tzinfo=UTC))
    detail = message_text(reply_to(bot_server, "/action", "show A-1"))
    assert "*History*\nWed 1 Jul 2026 · <@U0ALICE> · 0% → *40%*" in detail
    assert "30 Jun" not in detail


def test_an_action_added_late_on_a_winter_evening_keeps_its_london_date(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    # In winter London is on GMT: 23:30 UTC on Monday 23 November is 23:30 that Monday.
    clock.set(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    world.plan(lead=ALICE)
    reply_to(bot_server, "/action", 'add "Winter rota"')
    detail = message_text(reply_to(bot_server, "/action", "show A-1"))
    assert "Added Mon 23 Nov 2026 by <@U0ALICE>; no updates yet." in detail


def test_a_plan_elsewhere_dates_history_by_its_own_timezone(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    clock.set(datetime(2026, 6, 30, 12, 0, tzinfo=UTC))
    world.plan(lead=ALICE, timezone="America/New_York")
    reply_to(bot_server, "/action", 'add "Staff passport"')
    # 02:00 UTC on 1 July is 22:00 on Tuesday 30 June in New York.
    clock.set(datetime(2026, 7, 1, 2, 0, tzinfo=UTC))
    card = reply_to(bot_server, "/action", "update A-1 progress:10")
    assert "Last update: Tue 30 Jun 2026" in message_text(card)
    assert "1 Jul" not in message_text(card)


def test_a_challenge_asked_after_midnight_in_summer_shows_the_london_day_everywhere(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    clock.set(datetime(2026, 6, 30, 9, 0, tzinfo=UTC))
    plan_id = world.plan(lead=ALICE)
    reply_to(bot_server, "/action", 'add "Staff passport"')
    clock.set(SUMMER_NIGHT)
    reply_to(bot_server, "/action", 'challenge A-1 "Who signed it off?"', user_id=BOB)

    detail = message_text(reply_to(bot_server, "/action", "show A-1"))
    assert ":question: <@U0BOB>, Wed 1 Jul 2026: Who signed it off?" in detail

    assert bot_server.event({"type": "app_home_opened", "user": ALICE, "tab": "home"}).status == 200
    [published] = bot_server.standin.wait_for_calls("views.publish")
    home = published.params["view"]
    home = json.loads(home) if isinstance(home, str) else home
    assert "*A-1* Staff passport, Wed 1 Jul 2026" in shown(home)

    bot_server.click("challenge_answer", f"{plan_id}:A-1", view=home)
    [opened] = bot_server.standin.wait_for_calls("views.open")
    form = opened.params["view"]
    assert "asked on Wed 1 Jul 2026:" in shown(form)


# Feedback, wins, risks


def test_feedback_lists_under_the_london_date_across_the_spring_clock_change(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    world.plan(lead=ALICE)
    # The clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    for given in (
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # GMT: Saturday 28 March, 23:30
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # GMT, half an hour before the change
        datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # BST: Monday 30 March, 00:30
    ):
        clock.set(given)
        reply_to(bot_server, "/feedback", 'staff "Handover is slow"', user_id=BOB)

    clock.set(datetime(2026, 3, 31, 9, 0, tzinfo=UTC))
    listing = message_text(reply_to(bot_server, "/feedback", "list"))
    assert "Sat 28 Mar 2026" in line_of(listing, "F-1")
    assert "Sun 29 Mar 2026" in line_of(listing, "F-2")
    assert "Mon 30 Mar 2026" in line_of(listing, "F-3")


def test_feedback_lists_under_the_london_date_across_the_autumn_clock_change(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    world.plan(lead=ALICE)
    # The clocks go back at 01:00 UTC on Sunday 25 October 2026.
    for given in (
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # BST: Sunday 25 October, 00:30
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # GMT: still Sunday 25 October
    ):
        clock.set(given)
        reply_to(bot_server, "/feedback", 'carer "No respite this week"', user_id=BOB)

    listing = message_text(reply_to(bot_server, "/feedback", "list"))
    assert "Sun 25 Oct 2026" in line_of(listing, "F-1")
    assert "Sun 25 Oct 2026" in line_of(listing, "F-2")


def test_a_win_recorded_after_midnight_in_summer_lists_under_the_london_day(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    world.plan(lead=ALICE)
    clock.set(SUMMER_NIGHT)
    reply_to(bot_server, "/win", '"Twenty new HCAs started"', user_id=BOB)
    listing = message_text(reply_to(bot_server, "/win", "list"))
    assert "Wed 1 Jul 2026" in line_of(listing, "W-1")


def test_a_risk_closed_after_midnight_in_summer_says_the_london_day(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    clock.set(datetime(2026, 6, 30, 9, 0, tzinfo=UTC))
    world.plan(lead=ALICE)
    reply_to(bot_server, "/risk", 'add "Nurse vacancies" likelihood:5 impact:4')
    clock.set(SUMMER_NIGHT)
    card = shown(reply_to(bot_server, "/risk", 'close R-1 "Cohort arrived"'))
    assert "Closed Wed 1 Jul 2026" in card


# The digest


def test_the_digest_posted_after_midnight_in_summer_covers_up_to_the_london_day(
    world: World, bot_server: BotServer, clock: Clock
) -> None:
    clock.set(datetime(2026, 6, 24, 23, 30, tzinfo=UTC))
    world.plan(lead=ALICE)
    clock.set(SUMMER_NIGHT)
    preview = message_text(reply_to(bot_server, "/plan", "digest"))
    assert "Since the plan was set up: Thu 25 Jun 2026 to Wed 1 Jul 2026" in preview

    reply_to(bot_server, "/plan", "digest post")
    [posted] = sent_messages(bot_server.standin, BOARD)
    assert "to Wed 1 Jul 2026" in message_text(posted)
    [chart] = bot_server.standin.calls_to("files.getUploadURLExternal")
    assert chart.params["filename"] == "digest-2026-07-01.png"


# The views the domain hands out


def test_views_carry_instants_on_the_plans_wall_clock(
    world: World, uow: UnitOfWork, clock: Clock
) -> None:
    world.plan(lead=ALICE)
    actor = Actor(TEAM_ID, ALICE, CHANNEL)
    clock.set(datetime(2026, 6, 30, 9, 0, tzinfo=UTC))
    add_action(uow, actor, validate(ActionAdd, title="Staff passport"))
    clock.set(SUMMER_NIGHT)
    changed = update_action(uow, actor, validate(ActionUpdate, ref="A-1", progress=40))

    assert changed.update is not None
    assert changed.update.at == SUMMER_NIGHT, "the same instant"
    assert changed.update.at.tzinfo == LONDON
    assert (changed.update.at.date().isoformat(), changed.update.at.hour) == ("2026-07-01", 0)
    assert changed.action.updated_at.tzinfo == LONDON
    assert changed.action.created_at.isoformat() == "2026-06-30T10:00:00+01:00"


# The template filter


def test_the_date_filter_refuses_an_instant_still_in_utc_or_naive() -> None:
    with pytest.raises(ValueError, match="wall clock"):
        format_date(SUMMER_NIGHT)
    with pytest.raises(ValueError, match="wall clock"):
        format_date(datetime(2026, 6, 30, 23, 30))
    assert format_date(SUMMER_NIGHT.astimezone(LONDON)) == "Wed 1 Jul 2026"
