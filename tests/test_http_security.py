"""Only Slack gets in: every request to /slack/events must carry a fresh, valid signature."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.deps import BotDeps
from governance.models import JobClaim
from tests.slack_harness import BOT_TOKEN, SIGNING_SECRET, BotServer, signature_headers

pytestmark = pytest.mark.real_http  # what reaches the server is the bytes on the socket

SLASH = urlencode(
    {
        "team_id": "T0GOVBOT",
        "channel_id": "C0PLAN",
        "user_id": "U0ALICE",
        "command": "/action",
        "text": "help",
        "response_url": "http://127.0.0.1:9/response/never",
        "trigger_id": "1.2.3",
    }
).encode()

EVENT = json.dumps(
    {
        "type": "event_callback",
        "team_id": "T0GOVBOT",
        "api_app_id": "A0GOVBOT",
        "event_id": "Ev0FORGED",
        "event_time": 1,
        "event": {"type": "app_home_opened", "user": "U0ALICE", "tab": "home"},
    }
).encode()


def claims(bot: BotServer) -> int:
    with bot.uow.transaction() as session:
        return session.scalar(select(func.count()).select_from(JobClaim)) or 0


def test_an_unsigned_request_is_refused_and_touches_nothing(
    bot_server: BotServer,
) -> None:
    result = bot_server.post(EVENT, "application/json", signed=False)
    assert result.status == 401
    assert bot_server.standin.calls == []
    assert claims(bot_server) == 0


def test_a_request_signed_with_another_secret_is_refused(bot_server: BotServer) -> None:
    result = bot_server.post(SLASH, "application/x-www-form-urlencoded", secret="not-the-secret")
    assert result.status == 401
    assert bot_server.standin.calls == []


def test_a_stale_request_is_refused_even_with_a_valid_signature(bot_server: BotServer) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60
    result = bot_server.post(EVENT, "application/json", timestamp=six_minutes_ago)
    assert result.status == 401
    assert bot_server.standin.calls == []
    assert claims(bot_server) == 0


def test_a_body_changed_after_signing_is_refused(bot_server: BotServer) -> None:
    headers = signature_headers(SLASH)
    tampered = SLASH.replace(b"U0ALICE", b"U0MALLORY")
    result = bot_server.post(
        tampered, "application/x-www-form-urlencoded", signed=False, headers=headers
    )
    assert result.status == 401
    assert bot_server.standin.calls == []


def test_a_signature_without_its_timestamp_is_refused(bot_server: BotServer) -> None:
    headers = signature_headers(SLASH)
    del headers["X-Slack-Request-Timestamp"]
    result = bot_server.post(
        SLASH, "application/x-www-form-urlencoded", signed=False, headers=headers
    )
    assert result.status == 401


def test_url_verification_answers_the_challenge(bot_server: BotServer) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    result = bot_server.post(body, "application/json")
    assert result.status == 200
    assert result.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    assert bot_server.standin.calls == []


def test_url_verification_is_refused_unsigned(bot_server: BotServer) -> None:
    body = json.dumps({"challenge": "abc", "type": "url_verification"}).encode()
    assert bot_server.post(body, "application/json", signed=False).status == 401


def test_a_signed_request_is_let_in(make_bot_server: Callable[..., BotServer]) -> None:
    seen: list[str] = []

    def register(app: App, deps: BotDeps) -> None:
        @app.event("emoji_changed")
        def on_emoji(body: dict[str, Any]) -> None:
            seen.append(body["event_id"])

    bot = make_bot_server(register=register)
    result = bot.event({"type": "emoji_changed", "name": "nhs"}, event_id="Ev0SIGNED")
    assert result.status == 200
    bot.stop()
    assert seen == ["Ev0SIGNED"]


def test_tokens_and_the_signing_secret_never_reach_the_logs(
    make_bot_server: Callable[..., BotServer], caplog: pytest.LogCaptureFixture
) -> None:
    def register(app: App, deps: BotDeps) -> None:
        @app.event("emoji_changed")
        def on_emoji(client: WebClient, logger: logging.Logger) -> None:
            client.chat_postMessage(channel="C0PLAN", text="new emoji")
            logger.warning("posted with %s", client.token)

    with caplog.at_level(logging.DEBUG):
        bot = make_bot_server(register=register)
        bot.event({"type": "emoji_changed", "name": "nhs"})
        bot.standin.wait_for_calls("chat.postMessage")
        bot.stop()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "chat.postMessage" in logged, "the run was logged at DEBUG"
    assert "posted with [redacted token]" in logged
    assert BOT_TOKEN not in logged
    assert SIGNING_SECRET not in logged
