"""Slack hears back the moment a listener acknowledges, not at Bolt's next 10 ms poll.

Bolt starts a listener on another thread and polls for its ack() every 10 ms; govbot's
request thread is woken by the ack itself (bot/acknowledgement.py). The listener here
acknowledges 1 ms after it starts, so a request thread that polled would answer after
10 ms at the soonest.
"""

from __future__ import annotations

import threading
import time

from slack_bolt import Ack, App, BoltRequest
from slack_bolt.authorization import AuthorizeResult

from bot.acknowledgement import ListenerExecutor, acknowledging
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID

TRIES = 20


def authorized(**_: object) -> AuthorizeResult:
    """The workspace's bot, without asking Slack."""
    return AuthorizeResult(
        enterprise_id=None, team_id=TEAM_ID, bot_token="xoxb-test", bot_user_id="U0BOT"
    )


def test_the_request_is_answered_as_soon_as_the_listener_acknowledges() -> None:
    finish = threading.Event()
    finished: list[float] = []
    app = App(
        signing_secret="secret",
        authorize=authorized,
        request_verification_enabled=False,
        process_before_response=False,
        listener_executor=ListenerExecutor(max_workers=TRIES),  # one each: they wait
    )

    @app.command("/action")
    def listener(ack: Ack) -> None:
        threading.Event().wait(0.001)
        ack()
        finish.wait(5)
        finished.append(time.monotonic())

    times = []
    for _ in range(TRIES):
        request = BoltRequest(
            body=f"command=%2Faction&text=list&user_id={ALICE}&team_id={TEAM_ID}"
            f"&channel_id={CHANNEL}",
            headers={"content-type": ["application/x-www-form-urlencoded"]},
        )
        started = time.monotonic()
        with acknowledging(request):
            response = app.dispatch(request)
        times.append(time.monotonic() - started)
        assert response.status == 200
        assert not finished, "the answer waited for the listener's work, not its ack"
    finish.set()
    assert min(times) < 0.008, f"fastest answer {min(times) * 1000:.1f} ms: Bolt's poll"


def test_a_listener_that_never_acknowledges_is_answered_when_it_ends() -> None:
    app = App(
        signing_secret="secret",
        authorize=authorized,
        request_verification_enabled=False,
        process_before_response=False,
        listener_executor=ListenerExecutor(max_workers=2),
    )

    @app.command("/action")
    def listener() -> None:
        raise RuntimeError("broken listener")

    request = BoltRequest(
        body=f"command=%2Faction&text=list&user_id={ALICE}&team_id={TEAM_ID}&channel_id={CHANNEL}",
        headers={"content-type": ["application/x-www-form-urlencoded"]},
    )
    started = time.monotonic()
    with acknowledging(request):
        response = app.dispatch(request)
    assert response.status == 500
    assert time.monotonic() - started < 2.0  # not Slack's 3 s
