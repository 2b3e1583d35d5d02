"""Slack failing while govbot works: rate limits (429 with Retry-After), server errors (500),
answers slower than the client waits for, and refused connections — during commands, nudges
and the digest. Nothing is lost, nothing is sent twice, the user is told when a reply is
impossible, and the next job run completes what was missed.

The loopback stand-in records every call it receives, faulted or not; a call answered with
429 or 500 delivered nothing, so "delivered" below counts the calls that were not faulted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot import slack_client
from bot.jobs import JobRunner
from governance.actions.models import Action
from governance.database import UnitOfWork
from governance.jobs.models import JobClaim
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, at
from tests.postgres_cluster import free_port
from tests.slack_faults import FaultyStandin
from tests.slack_harness import (
    APP_ID,
    BOT_TOKEN,
    CHANNEL,
    TEAM_ID,
    BotServer,
    harness_settings,
)

pytestmark = pytest.mark.real_http  # Slack's faults are met on the real serving path

LEAD = "U0SLACKLEAD"
OWNER = "U0NEWOWNER"
OWNERS = [f"U0OWN{n:02d}" for n in range(3)]
SORRY = "Sorry — something went wrong on our side and nothing was changed."
# Short, so a slow answer outlasts the client quickly; the production timeout is longer.
CLIENT_TIMEOUT = 1


@pytest.fixture
def short_client_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slack_client, "TIMEOUT_SECONDS", CLIENT_TIMEOUT)


def say(bot: BotServer, command: str, text: str, user: str = LEAD) -> dict[str, Any]:
    sent = bot.slash(command, text, user_id=user)
    assert sent.status == 200 and sent.result.body == b"", "acknowledged at once"
    return bot.reply_to(sent, timeout=15)


@pytest.fixture
def plan(bot_server: BotServer) -> BotServer:
    say(bot_server, "/plan", 'setup "Slack faults ICS workforce plan"')
    bot_server.standin.reset()
    return bot_server


def flat(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def actions_in_database(bot: BotServer) -> int:
    with bot.uow.transaction() as session:
        return session.scalar(select(func.count()).select_from(Action)) or 0


# -- commands ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500])
def test_a_reply_the_response_url_refuses_still_reaches_the_user_once(
    plan: BotServer, status: int
) -> None:
    bot = plan
    bot.standin.fail("response", status=status, retry_after=1, times=1)
    sent = bot.slash("/action", 'add "Rota review"', user_id=LEAD)
    assert sent.status == 200
    delivered = bot.standin.wait_for(
        lambda: (
            bot.standin.calls_to("chat.postMessage") + bot.standin.calls_to("chat.postEphemeral")
            or (bot.standin.responses(sent.response_name)[1:])
        ),
        timeout=15,
    )
    bot.stop()
    refused = bot.standin.responses(sent.response_name)[:1]  # the faulted one delivered nothing
    others = (
        bot.standin.responses(sent.response_name)[1:]
        + [c.params for c in bot.standin.calls_to("chat.postMessage")]
        + [c.params for c in bot.standin.calls_to("chat.postEphemeral")]
    )
    assert delivered and len(others) == 1, others
    assert "Rota review" in flat(others[0]) and "Rota review" in flat(refused[0])
    assert actions_in_database(bot) == 1


def test_a_response_url_that_refuses_connections_is_answered_through_the_web_api(
    plan: BotServer,
) -> None:
    bot = plan
    fields = {
        "team_id": TEAM_ID,
        "channel_id": CHANNEL,
        "user_id": LEAD,
        "command": "/action",
        "text": "list",
        "api_app_id": APP_ID,
        "response_url": f"http://127.0.0.1:{free_port()}/response/gone",
        "trigger_id": "1.2.trigger",
    }
    result = bot.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")
    assert result.status == 200
    posted = bot.standin.wait_for_calls("chat.postEphemeral", timeout=15)
    bot.stop()
    assert len(posted) == 1 and posted[0].params["user"] == LEAD
    assert "action" in flat(posted[0].params).lower()


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 429, "retry_after": 1},
        {"status": 500},
        {"status": None, "delay": 0.3},
    ],
    ids=["rate-limited", "server-error", "slow"],
)
def test_a_direct_message_sent_during_a_command_survives_a_passing_fault_and_goes_once(
    plan: BotServer, fault: dict[str, Any]
) -> None:
    bot = plan
    bot.standin.fail("chat.postMessage", times=1, **fault)
    reply = say(bot, "/action", f'add "Induction passport" owner:<@{OWNER}>')
    bot.stop()
    assert "Induction passport" in flat(reply)
    calls = bot.standin.calls_to("chat.postMessage")
    faulted = 1 if fault["status"] else 0
    assert len(calls) - faulted == 1, "the new owner was told once"
    assert all(call.params["channel"] == OWNER for call in calls)
    assert actions_in_database(bot) == 1


@pytest.mark.parametrize("outage", ["keeps failing", "refuses connections", "too slow"])
def test_when_slack_cannot_take_a_direct_message_the_change_stands_and_the_user_is_not_misled(
    make_bot_server: Callable[..., BotServer],
    standin: FaultyStandin,
    short_client_timeout: None,
    outage: str,
) -> None:
    bot = make_bot_server()
    say(bot, "/plan", 'setup "Slack faults ICS workforce plan"')
    if outage == "keeps failing":
        standin.fail("chat.postMessage", status=500, times=10)
    elif outage == "too slow":
        standin.fail("chat.postMessage", status=None, delay=CLIENT_TIMEOUT + 0.5, times=10)
    else:
        # Only the Web API is down: point the client at a port nobody listens on.
        bot.app.client.base_url = f"http://127.0.0.1:{free_port()}/api/"
    reply = say(bot, "/action", f'add "Induction passport" owner:<@{OWNER}>')
    bot.stop()
    assert actions_in_database(bot) == 1
    # The action was added, so the reply must not say nothing was changed.
    assert SORRY not in flat(reply)
    assert "Induction passport" in flat(reply)


def test_a_form_that_slack_will_not_open_is_explained(plan: BotServer) -> None:
    bot = plan
    bot.standin.fail("views.open", status=500, times=10)
    reply = say(bot, "/action", "")
    bot.stop()
    assert "form didn't open" in reply["text"]
    assert reply["response_type"] == "ephemeral"


# -- nudges and the digest --------------------------------------------------------------


@pytest.fixture
def world(uow: UnitOfWork) -> World:
    return World(uow)


@pytest.fixture
def due_world(world: World, clock: Clock) -> int:
    """Three owners, each with an overdue action, and a digest due on Monday 23 Nov 09:00."""
    clock.set(at("2026-11-20T10:00"))
    plan = world.plan(digest_weekday=0, digest_time=time(9, 0), nudge_time=time(9, 0))
    for owner in OWNERS:
        world.action(plan, owner, due=date(2026, 11, 19))
        # Owners' timezones are known; only the lead's is looked up (users.info) in a pass.
        world.preferences(plan, owner, timezone="Europe/London")
    world.win(plan, "Retention up in the care homes")
    clock.set(at("2026-11-23T09:05"))
    return plan


@pytest.fixture
def runner(
    uow: UnitOfWork, standin: FaultyStandin, database_url: str, short_client_timeout: None
) -> Iterator[JobRunner]:
    settings = harness_settings(database_url, standin.api_url)
    yield JobRunner(uow, slack_client.make_web_client(settings))


def delivered_to(standin: FaultyStandin, timed_out: int = 0) -> Counter[str]:
    """Recipients of the chat.postMessage calls Slack took: less those it refused, and less
    the first `timed_out` (answered after the client had given up on them)."""
    refused = {id(call) for call in standin.refused}
    calls = [c for c in standin.calls_to("chat.postMessage") if id(c) not in refused]
    return Counter(call.params["channel"] for call in calls[timed_out:])


@pytest.mark.parametrize(
    "fault",
    [{"status": 429, "retry_after": 1}, {"status": 500}, {"status": None, "delay": 0.3}],
    ids=["rate-limited", "server-error", "slow"],
)
def test_nudges_ride_out_a_passing_fault_and_each_owner_is_nudged_once(
    due_world: int, runner: JobRunner, standin: FaultyStandin, fault: dict[str, Any]
) -> None:
    standin.fail("chat.postMessage", times=2, **fault)
    report = runner.run("nudges")
    again = runner.run("nudges")
    assert report.failed == [] and sorted(report.sent) == sorted(OWNERS)
    assert again.sent == [] and again.failed == []
    assert len(standin.refused) == (2 if fault["status"] else 0)
    assert delivered_to(standin) == Counter({owner: 1 for owner in OWNERS})


@pytest.mark.parametrize("outage", ["keeps failing", "refuses connections", "too slow"])
def test_nudges_slack_could_not_take_are_sent_by_the_next_run_and_only_those(
    due_world: int,
    runner: JobRunner,
    standin: FaultyStandin,
    clock: Clock,
    outage: str,
) -> None:
    live = runner.client.base_url
    timed_out = 0
    if outage == "keeps failing":
        # Two owners' nudges fail through every retry (1 try + 2 retries each).
        for owner in OWNERS[:2]:
            standin.fail("chat.postMessage", status=500, times=3, channel=owner)
        report = runner.run("nudges")
        assert len(report.failed) == 2
        assert len(standin.refused) == 6
    elif outage == "too slow":
        standin.fail("chat.postMessage", status=None, delay=CLIENT_TIMEOUT + 0.5, times=1)
        report = runner.run("nudges")
        assert len(report.failed) == 1
        timed_out = 1  # the client gave up on it
    else:
        runner.client.base_url = f"http://127.0.0.1:{free_port()}/api/"
        report = runner.run("nudges")
        runner.client.base_url = live
        assert len(report.failed) == len(OWNERS)
    clock.advance(minutes=15)
    following = runner.run("nudges")
    assert following.failed == []
    assert sorted(report.sent + following.sent) == sorted(OWNERS)
    assert delivered_to(standin, timed_out) == Counter({owner: 1 for owner in OWNERS})
    with runner.uow.transaction() as session:
        unfinished = session.scalar(
            select(func.count()).select_from(JobClaim).where(JobClaim.done_at.is_(None))
        )
    assert unfinished == 0


@pytest.mark.parametrize("outage", ["rate-limited", "keeps failing", "refuses connections"])
def test_the_digest_goes_once_even_when_slack_stumbles(
    due_world: int, runner: JobRunner, standin: FaultyStandin, clock: Clock, outage: str
) -> None:
    live = runner.client.base_url
    refused = 0
    if outage == "rate-limited":
        standin.fail("chat.postMessage", status=429, retry_after=1, times=1)
        refused = 1
    elif outage == "keeps failing":
        standin.fail("chat.postMessage", status=500, times=3)
        refused = 3
    else:
        runner.client.base_url = f"http://127.0.0.1:{free_port()}/api/"
    first = runner.run("digest")
    runner.client.base_url = live
    clock.advance(minutes=15)
    second = runner.run("digest")
    third = runner.run("digest")
    assert (first.sent + second.sent) == [BOARD]
    assert third.sent == [] and third.failed == []
    board = [
        c for c in standin.calls_to("chat.postMessage")[refused:] if c.params["channel"] == BOARD
    ]
    assert len(board) == 1
    assert "Retention up in the care homes" in flat(board[0].params)


def test_the_bot_token_is_what_every_job_call_carries(
    due_world: int, runner: JobRunner, standin: FaultyStandin
) -> None:
    runner.run("nudges")
    assert standin.calls and all(call.token == BOT_TOKEN for call in standin.calls)
