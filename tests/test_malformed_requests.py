"""A request Slack could not have sent is refused at the door, with one line in the log.

Anything that fails the signature check, for whatever reason (none, another secret, stale,
a timestamp that is not whole seconds, two timestamps), is 401 whatever the body. A signed
body that does not read as Slack's (JSON that is not JSON, a form whose payload is not JSON,
bytes that are not UTF-8) is 400. Neither is ever a 5xx or a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from urllib.parse import urlencode, urlsplit

import pytest

from tests.slack_harness import (
    ALICE,
    CHANNEL,
    SIGNING_SECRET,
    TEAM_ID,
    BotServer,
    HttpResult,
    signature_headers,
)

pytestmark = pytest.mark.real_http

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

SLASH = urlencode(
    {"team_id": TEAM_ID, "channel_id": CHANNEL, "user_id": ALICE, "command": "/plan", "text": ""}
).encode()

UNREADABLE = {
    "JSON that is not JSON": (b'{"type": "event_callback", "event": ', JSON),
    "a form whose payload is not JSON": (b"payload=%7Bnot-json", FORM),
    "bytes that are not UTF-8": (b"payload=\xff\xfe\xfa%7B%7D", FORM),
    "JSON bytes that are not UTF-8": (b'{"type": "\xc3\x28"}', JSON),
    "JSON that is a list": (b"[1, 2, 3]", JSON),
    "a payload that is a number": (b"payload=12", FORM),
    "a team that is a number": (b'{"type": "block_actions", "team": 5}', JSON),
    "authorizations that are numbers": (b'{"type": "event_callback", "authorizations": [5]}', JSON),
}
BODIES = {**UNREADABLE, "a slash command": (SLASH, FORM)}


def post(bot: BotServer, body: bytes, headers: list[tuple[str, str]]) -> HttpResult:
    """POST /slack/events with exactly these headers, repeated names sent as they are given."""
    where = urlsplit(bot.url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        connection.putrequest("POST", "/slack/events")
        for name, value in [*headers, ("Content-Length", str(len(body)))]:
            connection.putheader(name, value.encode("latin-1"))
        connection.endheaders(body)
        response = connection.getresponse()
        return HttpResult(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


def signed(body: bytes, content_type: str, **options: object) -> list[tuple[str, str]]:
    return [("Content-Type", content_type), *signature_headers(body, **options).items()]  # type: ignore[arg-type]


def one_warning(caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    """The only record at WARNING or above, which carries no traceback."""
    # waitress.queue says when requests wait for a thread, which a busy machine makes happen.
    loud = [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING and record.name != "waitress.queue"
    ]
    assert len(loud) == 1, [record.getMessage() for record in loud]
    assert loud[0].levelno == logging.WARNING
    assert loud[0].exc_info is None
    assert "Traceback" not in caplog.text
    return loud[0]


def bad_signatures(body: bytes, content_type: str) -> dict[str, list[tuple[str, str]]]:
    now = int(time.time())
    fresh = signature_headers(body)
    as_signed = fresh["X-Slack-Signature"]

    def over(timestamp: str) -> list[tuple[str, str]]:
        # A signature computed over the malformed timestamp itself, as a forger would.
        base = b"v0:" + timestamp.encode("latin-1") + b":" + body
        digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
        return [
            ("Content-Type", content_type),
            ("X-Slack-Request-Timestamp", timestamp),
            ("X-Slack-Signature", f"v0={digest}"),
        ]

    return {
        "no signature": [("Content-Type", content_type)],
        "another secret": signed(body, content_type, secret="not-the-secret"),
        "stale": signed(body, content_type, timestamp=now - 6 * 60),
        "a timestamp with a fraction": over(f"{now}.5"),
        "a timestamp in letters": over("yesterday"),
        "a timestamp in other digits": over(f"{now}\u00b2"),
        "two timestamps": [
            ("Content-Type", content_type),
            ("X-Slack-Request-Timestamp", str(now)),
            ("X-Slack-Request-Timestamp", str(now + 1)),
            ("X-Slack-Signature", as_signed),
        ],
        "a signature that is not hex": [
            ("Content-Type", content_type),
            ("X-Slack-Request-Timestamp", str(now)),
            ("X-Slack-Signature", "v0=" + "\u00e9" * 64),
        ],
    }


@pytest.mark.parametrize("body_name", sorted(BODIES))
def test_a_request_that_fails_the_signature_check_is_401_with_one_warning(
    bot_server: BotServer, caplog: pytest.LogCaptureFixture, body_name: str
) -> None:
    body, content_type = BODIES[body_name]
    for problem, headers in bad_signatures(body, content_type).items():
        caplog.clear()
        with caplog.at_level(logging.INFO):
            result = post(bot_server, body, headers)
        assert result.status == 401, (problem, result)
        assert "refused a request" in one_warning(caplog).getMessage(), problem
    assert bot_server.standin.calls == []


@pytest.mark.parametrize("body_name", sorted(UNREADABLE))
def test_a_signed_body_that_does_not_read_as_slacks_is_400_with_one_warning(
    bot_server: BotServer, caplog: pytest.LogCaptureFixture, body_name: str
) -> None:
    body, content_type = UNREADABLE[body_name]
    with caplog.at_level(logging.INFO):
        result = post(bot_server, body, signed(body, content_type))
    assert result.status == 400, result
    assert result.json() == {"ok": False, "error": "unreadable_body"}
    warning = one_warning(caplog).getMessage()
    assert "refused a request" in warning
    assert body.decode("latin-1") not in warning, "the body itself stays out of the log"
    assert bot_server.standin.calls == []


def test_a_signed_command_still_gets_in(bot_server: BotServer) -> None:
    result = post(bot_server, SLASH, signed(SLASH, FORM))
    assert result.status == 200, result


def test_a_signed_payload_whose_parts_are_not_objects_never_gets_a_5xx(
    bot_server: BotServer, caplog: pytest.LogCaptureFixture
) -> None:
    shapes = [
        {},
        {"type": "event_callback"},
        {"type": "event_callback", "event": 5, "event_id": "Ev0ODD"},
        {"type": "event_callback", "event": {"type": 5}, "event_id": "Ev0ODD2"},
        {"type": "block_actions", "actions": 5, "user": {"id": ALICE}},
        {"type": "block_actions", "actions": [5], "user": {"id": ALICE}},
        {"type": "block_actions", "actions": [], "user": {"id": ALICE}},
        {"type": "view_submission", "view": 5, "user": {"id": ALICE}},
        {"type": "view_submission", "view": {"callback_id": "action_add"}, "user": ALICE},
        {"type": "block_actions", "actions": [{"action_id": "action_done"}], "team": "T0"},
        {"type": "view_submission", "view": {"callback_id": "action_add"}, "channel": [5]},
    ]
    for shape in shapes:
        body = json.dumps(shape).encode()
        result = post(bot_server, body, signed(body, JSON))
        assert result.status < 500, (shape, result)
    assert "Traceback" not in caplog.text
