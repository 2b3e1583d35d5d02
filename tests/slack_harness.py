"""Driving govbot the way Slack does: signed requests to the real WSGI app, with the Web API
and response URLs answered by the loopback stand-in.

    def test_help(bot_server: BotServer) -> None:
        reply = bot_server.slash_reply("/action", "help")
        assert "How to use" in reply["text"]

`bot_server` serves the production app; `make_bot_server(register=..., **settings)` serves
one with extra (test-only) listeners or other settings. Both use the test's database
(`uow`, whose clock the test controls).

Requests go to the WSGI app in process, as the console sends them: the same bytes, headers
and signature checks, only without the socket. A test that needs the socket (acknowledgement
timing, HTTP framing, a server shut down under it) is marked `@pytest.mark.real_http`, and
its server listens on 127.0.0.1 under waitress, as `govbot serve --http` does.

The stand-in is started once per session and made new for each test (`standin`): no calls,
users, faults or response URLs carry over.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.app import build_app
from bot.deps import BotDeps
from bot.form_seal import SEAL, form_key, seal_view
from bot.http_server import HttpServer, WSGIApp, make_server_app
from bot.settings import Settings, load_settings
from governance.actor import Actor
from governance.database import UnitOfWork
from tests import slack_reference
from tests.slack_faults import FaultyStandin
from tests.slack_signing import SIGNING_SECRET, signature_headers

BOT_TOKEN = "xoxb-000000000-test-token"
TEAM_ID = "T0GOVBOT"
APP_ID = "A0GOVBOT"
ALICE = "U0ALICE"
CHANNEL = "C0PLAN"

Register = Callable[[App, BotDeps], None]


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Sent:
    """A request sent, with the HTTP answer and the response URL Slack would have given."""

    result: HttpResult
    response_url: str | None
    response_name: str | None

    @property
    def status(self) -> int:
        return self.result.status


def http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> HttpResult:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return HttpResult(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), dict(error.headers))


def call_wsgi(
    app: WSGIApp, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> HttpResult:
    """One request handed to a WSGI app in process, with the environ a server would build.

    Like waitress, an exception escaping the app is logged and answered 500, so a test sees
    what Slack would see.
    """
    path, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "0",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body or method == "POST":
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        started.append((status, response_headers))

    try:
        chunks = app(environ, start_response)
        try:
            answer = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    except Exception:
        logging.getLogger("waitress").exception("Exception while serving %s", path)
        return HttpResult(500, b"Internal Server Error", {"Content-Type": "text/plain"})
    status, response_headers = started[-1]
    return HttpResult(int(status.split()[0]), answer, dict(response_headers))


class BotServer:
    """The app under test, and the ways Slack talks to it.

    Requests reach the WSGI app in process; with `real_http=True` it listens on 127.0.0.1
    under waitress and requests go over the socket.
    """

    def __init__(
        self,
        settings: Settings,
        uow: UnitOfWork,
        standin: FaultyStandin,
        app: App,
        *,
        real_http: bool = True,
    ):
        self.settings = settings
        self.uow = uow
        self.standin = standin
        self.app = app
        self._wsgi = make_server_app(app, uow, settings)
        self._server = HttpServer(self._wsgi, "127.0.0.1", 0).start() if real_http else None
        self._ids = itertools.count(1)
        self._stopped = False

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(
                "this BotServer is driven in process and has no URL: "
                "mark the test @pytest.mark.real_http to serve it on a socket"
            )
        return self._server.url

    def stop(self) -> None:
        """Stop serving and wait for all work done after acks (safe to call twice)."""
        if self._stopped:
            return
        self._stopped = True
        if self._server is not None:
            self._server.stop()
        self.app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        if self._stopped:
            raise RuntimeError("this BotServer was stopped")
        if self._server is not None:
            return http(method, self.url + path, body, headers)
        return call_wsgi(self._wsgi, method, path, body or b"", headers)

    # -- raw ---------------------------------------------------------------------------

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        signed: bool = True,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        """POST /slack/events, signed as Slack would unless told otherwise."""
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers.update(signature_headers(body, timestamp=timestamp, secret=secret))
        return self._request("POST", "/slack/events", body, all_headers)

    def get(self, path: str, headers: dict[str, str] | None = None) -> HttpResult:
        return self._request("GET", path, headers=headers)

    # -- what Slack sends --------------------------------------------------------------

    def slash(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = ALICE,
        channel_id: str = CHANNEL,
        team_id: str = TEAM_ID,
        **post_options: Any,
    ) -> Sent:
        """A slash command, form-encoded like Slack's, with a response URL on the stand-in.

        `command` is given without the prefix ("/action"); the settings' prefix is added.
        """
        name = f"slash-{next(self._ids)}"
        response_url = self.standin.response_url(name)
        fields = slash_command_fields(
            "/" + self.settings.command_prefix + command.lstrip("/"),
            text,
            response_url=response_url,
            trigger_id=f"{next(self._ids)}.{team_id}.trigger",
            user_id=user_id,
            channel_id=channel_id,
            team_id=team_id,
        )
        body = urlencode(fields).encode()
        result = self.post(body, "application/x-www-form-urlencoded", **post_options)
        return Sent(result, response_url, name)

    def reply_to(self, sent: Sent, timeout: float = 5.0) -> dict[str, Any]:
        """The first message posted to `sent`'s response URL, waited for."""
        name = sent.response_name
        return self.standin.wait_for(lambda: self.standin.responses(name), timeout)[0]

    def slash_reply(self, command: str, text: str = "", **options: Any) -> dict[str, Any]:
        """Send a slash command, check it was acknowledged, and return its reply."""
        sent = self.slash(command, text, **options)
        assert sent.status == 200, sent.result
        assert sent.result.body == b"", "commands are acknowledged with an empty body"
        return self.reply_to(sent)

    def click(
        self,
        action_id: str,
        value: str | None = None,
        *,
        block_id: str = "actions",
        user_id: str = ALICE,
        channel_id: str | None = CHANNEL,
        team_id: str = TEAM_ID,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        **post_options: Any,
    ) -> Sent:
        """A block_actions payload: a button on a message (default) or in a view."""
        name = f"click-{next(self._ids)}"
        response_url = None if view is not None else self.standin.response_url(name)
        payload = block_actions_payload(
            action_id,
            value,
            trigger_id=f"{next(self._ids)}.{team_id}.trigger",
            response_url=response_url,
            block_id=block_id,
            user_id=user_id,
            channel_id=channel_id,
            team_id=team_id,
            message=message,
            view=view,
        )
        result = self._post_payload(payload, **post_options)
        return Sent(result, response_url, name if response_url else None)

    def submit(
        self,
        callback_id: str,
        values: dict[str, Any],
        *,
        private_metadata: str = "",
        user_id: str = ALICE,
        team_id: str = TEAM_ID,
        **post_options: Any,
    ) -> HttpResult:
        """A view_submission. `values` maps block_id to a string (a plain text input's
        value) or to the element state Slack sends (e.g. {"type": "users_select",
        "selected_user": "U1"}); the action_id is the block_id."""
        view_id = f"V{next(self._ids):08d}"
        payload = view_submission_payload(
            callback_id,
            values,
            view_id=view_id,
            trigger_id=f"{next(self._ids)}.{team_id}.trigger",
            private_metadata=private_metadata,
            user_id=user_id,
            team_id=team_id,
            bot_id=self.standin.bot_id,
        )
        return self._post_payload(payload, **post_options)

    def open_form(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = ALICE,
        channel_id: str = CHANNEL,
        team_id: str = TEAM_ID,
    ) -> dict[str, Any]:
        """Run a command that opens a form, as `user_id` in `channel_id`; the view opened."""
        opened = len(self.standin.calls_to("views.open"))
        sent = self.slash(command, text, user_id=user_id, channel_id=channel_id, team_id=team_id)
        assert sent.status == 200
        call = self.standin.wait_for_calls("views.open", opened + 1)[opened]
        view = call.params["view"]
        view = json.loads(view) if isinstance(view, str) else view
        assert_valid_blocks(view)
        return dict(view)

    def shortcut(
        self,
        callback_id: str,
        *,
        message: dict[str, Any] | None = None,
        user_id: str = ALICE,
        channel_id: str = CHANNEL,
        team_id: str = TEAM_ID,
        **post_options: Any,
    ) -> Sent:
        """A shortcut chosen: on `message` in `channel_id` (a message shortcut, with a
        response URL on the stand-in), or from anywhere (a global one) without `message`."""
        trigger_id = f"{next(self._ids)}.{team_id}.trigger"
        if message is None:
            payload = global_shortcut_payload(
                callback_id, trigger_id=trigger_id, user_id=user_id, team_id=team_id
            )
            return Sent(self._post_payload(payload, **post_options), None, None)
        name = f"shortcut-{next(self._ids)}"
        response_url = self.standin.response_url(name)
        payload = message_shortcut_payload(
            callback_id,
            message,
            trigger_id=trigger_id,
            response_url=response_url,
            user_id=user_id,
            channel_id=channel_id,
            team_id=team_id,
        )
        return Sent(self._post_payload(payload, **post_options), response_url, name)

    def sealed(
        self, context: dict[str, Any], *, user_id: str = ALICE, team_id: str = TEAM_ID
    ) -> str:
        """`context` sealed as this server seals a form it opens for `user_id`."""
        secret = self.settings.slack_signing_secret or ""
        return sealed(context, user_id=user_id, team_id=team_id, secret=secret)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        team_id: str = TEAM_ID,
        **post_options: Any,
    ) -> HttpResult:
        """An Events API event_callback; with `retry_num`, marked as Slack's redelivery."""
        body = event_callback_body(
            event,
            event_id=event_id or f"Ev{next(self._ids):08d}",
            team_id=team_id,
            bot_user_id=self.standin.bot_user_id,
        )
        headers = dict(post_options.pop("headers", {}) or {})
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason
        return self.post(
            json.dumps(body).encode(), "application/json", headers=headers, **post_options
        )

    def _post_payload(self, payload: dict[str, Any], **post_options: Any) -> HttpResult:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded", **post_options)


# -- the payloads Slack sends, over HTTP or in a Socket Mode envelope --------------------


def slash_command_fields(
    command: str,
    text: str,
    *,
    response_url: str,
    trigger_id: str,
    user_id: str = ALICE,
    channel_id: str = CHANNEL,
    team_id: str = TEAM_ID,
) -> dict[str, str]:
    """A slash command's fields (`command` as typed, with any prefix)."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "govbot-standin",
        "channel_id": channel_id,
        "channel_name": "workforce-plan",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def block_actions_payload(
    action_id: str,
    value: str | None,
    *,
    trigger_id: str,
    response_url: str | None,
    block_id: str = "actions",
    user_id: str = ALICE,
    channel_id: str | None = CHANNEL,
    team_id: str = TEAM_ID,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button clicked on a message (with `response_url`) or in `view`."""
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": "button",
        "text": {"type": "plain_text", "text": action_id},
        "action_ts": f"{time.time():.6f}",
    }
    if value is not None:
        action["value"] = value
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": "govbot-standin"},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0VIEW")}
        payload["view"] = view
    else:
        ts = f"{int(time.time())}.000100"
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel_id, "name": "workforce-plan"}
        payload["message"] = message or {"type": "message", "ts": ts, "text": "", "blocks": []}
        payload["response_url"] = response_url
    return payload


def message_shortcut_payload(
    callback_id: str,
    message: dict[str, Any],
    *,
    trigger_id: str,
    response_url: str,
    user_id: str = ALICE,
    channel_id: str = CHANNEL,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A message shortcut chosen on `message` (Slack's `message_action`)."""
    message = {"type": "message", "ts": f"{int(time.time())}.000200", **message}
    return {
        "type": "message_action",
        "token": "legacy-verification-token",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "govbot-standin"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id, "name": user_id},
        "channel": {"id": channel_id, "name": "workforce-plan"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": message,
    }


def global_shortcut_payload(
    callback_id: str, *, trigger_id: str, user_id: str = ALICE, team_id: str = TEAM_ID
) -> dict[str, Any]:
    """A global shortcut chosen from anywhere (Slack's `shortcut`): no channel, no message."""
    return {
        "type": "shortcut",
        "token": "legacy-verification-token",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "govbot-standin"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def view_submission_payload(
    callback_id: str,
    values: dict[str, Any],
    *,
    view_id: str,
    trigger_id: str,
    bot_id: str,
    private_metadata: str = "",
    user_id: str = ALICE,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A form submitted; `values` as for `BotServer.submit`."""
    state = {
        block_id: {
            block_id: value
            if isinstance(value, dict)
            else {"type": "plain_text_input", "value": value}
        }
        for block_id, value in values.items()
    }
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "govbot-standin"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id,
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "title": {"type": "plain_text", "text": "govbot"},
            "blocks": [],
            "state": {"values": state},
            "hash": f"{int(time.time())}.abcdef",
            "root_view_id": view_id,
            "app_id": APP_ID,
            "bot_id": bot_id,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event_callback_body(
    event: dict[str, Any], *, event_id: str, bot_user_id: str, team_id: str = TEAM_ID
) -> dict[str, Any]:
    """An Events API event_callback carrying `event`."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def sealed(
    context: dict[str, Any],
    *,
    user_id: str = ALICE,
    team_id: str = TEAM_ID,
    secret: str = SIGNING_SECRET,
) -> str:
    """`context` as the private_metadata govbot seals a form with when it opens it for
    `user_id` (`{"channel_id": CHANNEL}`: a form opened in that channel)."""
    view = {"private_metadata": json.dumps(context)}
    metadata = seal_view(view, form_key(secret), Actor(team_id, user_id, ""))["private_metadata"]
    return str(metadata)


def form_context(private_metadata: str) -> dict[str, Any]:
    """What a form govbot opened carries in its private_metadata, with its seal set aside."""
    metadata = json.loads(private_metadata)
    assert isinstance(metadata.pop(SEAL, None), str), "govbot seals every form it opens"
    return dict(metadata)


def assert_valid_blocks(message_or_view: dict[str, Any]) -> None:
    """Fail unless slack_sdk's models accept the message's blocks or the view, in full."""
    if message_or_view.get("type") in ("modal", "home"):
        view = View(**message_or_view)
        view.validate_json()
        assert view.to_dict()["type"] == message_or_view["type"]
        # Limits Slack enforces that slack_sdk does not check.
        for key in ("title", "submit", "close"):
            text = (message_or_view.get(key) or {}).get("text", "")
            assert len(text) <= 24, f"a view's {key} is at most 24 characters: {text!r}"
        assert len(message_or_view.get("private_metadata", "")) <= 3000
        return
    blocks = message_or_view.get("blocks", [])
    assert isinstance(message_or_view.get("text"), str) and message_or_view["text"], (
        "a message needs a text fallback for notifications"
    )
    assert len(blocks) <= 50, "a message holds at most 50 blocks"
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block {raw!r}"
        block.validate_json()
        assert block.to_dict()["type"] == raw["type"]


def harness_settings(database_url: str, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_app_token": None,
        "slack_api_url": api_url,
        "command_prefix": "",
        **overrides,
    }
    return load_settings(**values)


def _build_app_on_a_fresh_stack(settings: Settings, uow: UnitOfWork) -> App:
    """`build_app`, called from a thread of its own. Bolt names an app after its caller's
    file by walking `inspect.stack()`, which reads the source of every frame: under pytest's
    hundred or so frames that is 0.1 s, against 2 ms for the rest of building the app. On a
    new thread the walk is a few frames, and finds the same caller."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="build-app") as pool:
        return pool.submit(build_app, settings, uow).result()


@pytest.fixture(scope="session")
def _standins() -> Iterator[list[FaultyStandin]]:
    """The session's stand-in (replaced by a new one if a test stopped it)."""
    running = [FaultyStandin().start()]
    yield running
    running[0].stop()


@pytest.fixture
def standin(
    request: pytest.FixtureRequest, _standins: list[FaultyStandin]
) -> Iterator[FaultyStandin]:
    """The loopback Slack, as new: no calls, users, faults or response URLs from before.

    When the test is over (its servers stopped, so every call made), each call recorded is
    checked against Slack's reference (`tests/slack_reference.py`), and the test fails
    naming the method and the argument of any that strays; only tests of the stand-in itself,
    marked `@pytest.mark.off_reference_calls`, send Slack what it does not document.
    """
    if not _standins[0].listening:
        _standins[0] = FaultyStandin().start()
    _standins[0].forget_everything()
    yield _standins[0]
    if request.node.get_closest_marker("off_reference_calls") is None:
        found = slack_reference.problems(_standins[0].calls)
        if found:
            pytest.fail(
                "calls to Slack that its reference does not allow:\n" + "\n".join(found),
                pytrace=False,
            )


@pytest.fixture
def make_bot_server(
    request: pytest.FixtureRequest, database_url: str, uow: UnitOfWork, standin: FaultyStandin
) -> Iterator[Callable[..., BotServer]]:
    """Start a BotServer: `make_bot_server(register=fn, command_prefix="wf-")`.

    In process, unless the test is marked `@pytest.mark.real_http`.
    """
    servers: list[BotServer] = []
    real_http = request.node.get_closest_marker("real_http") is not None

    def start(*, register: Register | None = None, **overrides: Any) -> BotServer:
        settings = harness_settings(database_url, standin.api_url, **overrides)
        app = _build_app_on_a_fresh_stack(settings, uow)
        if register is not None:
            register(app, BotDeps(uow=uow, settings=settings))
        server = BotServer(settings, uow, standin, app, real_http=real_http)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def bot_server(make_bot_server: Callable[..., BotServer]) -> BotServer:
    """govbot as deployed, on this test's database, talking to the stand-in."""
    return make_bot_server()
