"""Slack redelivers an event it thinks was missed; govbot acts on each event once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.app import build_app
from bot.deps import BotDeps
from bot.http_server import HttpServer, make_wsgi_app
from bot.listeners.events.retries import forget_old_events
from governance.database import UnitOfWork, make_engine
from governance.models import JobClaim
from tests.conftest import ON_POSTGRES
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BotServer, harness_settings, http, signature_headers

# An event type govbot itself does not listen to, so this test's listener is the one run.
EVENT = {"type": "emoji_changed", "subtype": "add", "name": "nhs", "event_ts": "1.0"}


@pytest.fixture
def received(make_bot_server: Callable[..., BotServer]) -> tuple[BotServer, list[str]]:
    seen: list[str] = []

    def register(app: App, deps: BotDeps) -> None:
        @app.event("emoji_changed")
        def on_emoji(body: dict[str, Any]) -> None:
            seen.append(body["event_id"])

    return make_bot_server(register=register), seen


def test_an_event_is_processed(received: tuple[BotServer, list[str]]) -> None:
    bot, seen = received
    assert bot.event(EVENT, event_id="Ev0001").status == 200
    bot.stop()
    assert seen == ["Ev0001"]


def test_a_retried_event_is_processed_once(received: tuple[BotServer, list[str]]) -> None:
    bot, seen = received
    assert bot.event(EVENT, event_id="Ev0001").status == 200
    assert bot.event(EVENT, event_id="Ev0001", retry_num=1).status == 200
    assert bot.event(EVENT, event_id="Ev0001", retry_num=2, retry_reason="http_error").status == 200
    assert bot.event(EVENT, event_id="Ev0002").status == 200
    bot.stop()
    assert sorted(seen) == ["Ev0001", "Ev0002"]
    with bot.uow.transaction() as session:
        keys = session.scalars(select(JobClaim.key).where(JobClaim.kind == "event")).all()
    assert sorted(keys) == ["Ev0001", "Ev0002"]


def test_an_event_is_left_for_slack_to_retry_when_the_database_is_down(
    tmp_path: Any, standin: FaultyStandin
) -> None:
    dead_url = (
        "postgresql://postgres@127.0.0.1:1/govbot"
        if ON_POSTGRES
        else f"sqlite:///{tmp_path / 'no-such-dir' / 'govbot.db'}"
    )
    engine = make_engine(dead_url)
    app = build_app(harness_settings(dead_url, standin.api_url), UnitOfWork(engine))
    server = HttpServer(make_wsgi_app(app, UnitOfWork(engine)), "127.0.0.1", 0).start()
    body = (
        b'{"type": "event_callback", "team_id": "T0GOVBOT", "event_id": "Ev0003",'
        b' "event": {"type": "emoji_changed", "name": "nhs"}}'
    )
    try:
        result = http(
            "POST",
            server.url + "/slack/events",
            body,
            {"Content-Type": "application/json", **signature_headers(body)},
        )
    finally:
        server.stop()
        engine.dispose()
    assert result.status == 503


def test_event_claims_are_forgotten_after_a_day(
    received: tuple[BotServer, list[str]], clock: Any
) -> None:
    bot, _ = received
    bot.event(EVENT, event_id="EvOld")
    bot.stop()
    clock.advance(hours=23)
    with bot.uow.transaction() as session:
        session.add(JobClaim(kind="event", key="EvRecent", claimed_at=clock()))
    clock.advance(hours=2)
    assert forget_old_events(bot.uow) == 1
    with bot.uow.transaction() as session:
        assert list(session.scalars(select(JobClaim.key))) == ["EvRecent"]
