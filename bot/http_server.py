"""`govbot serve --http`: Slack's requests on POST /slack/events, health on GET /healthz,
and the public feedback form (web/) under /f/.

Waitress serves it: a production WSGI server in pure Python, so the tests run the same
server code as production.

A request to /slack/events is checked in one place, in this order, before Bolt sees it:
its signature over the bytes as received (else 401), then that its body reads as Slack's,
with who acted, in which workspace and where as ids of Slack's shapes (else 400). Either
refusal is one WARNING line; nobody can fill the log with tracebacks.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request.internals import (
    build_normalized_headers,
    extract_content_type,
    parse_body,
)
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore
from waitress.server import create_server

from bot import metrics as govbot_metrics
from bot.acknowledgement import acknowledging
from bot.serving import leave_start_up_out_of_collections, serving
from bot.settings import Settings
from governance.actor import is_channel_id, is_team_id, is_user_id
from governance.database import UnitOfWork
from governance.feedback_links.rules import FORM_PATH
from web.app import FeedbackFormApp

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
THREADS = 8
MAX_BODY_BYTES = 2 * 1024 * 1024
SHUTDOWN_SECONDS = 5
# How often the loop looks for stop(). Not waitress's asyncore_loop_timeout: waitress reads
# that as whole seconds, so 0.2 became 0 and the loop spun a core even when idle.
LOOP_TICK_SECONDS = 0.2

# What Slack sends: seconds since the epoch in ASCII digits, and "v0=" with a hex SHA-256.
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

PAYLOAD_OBJECTS = ("event", "view", "message", "container")
# Interactivity payloads: who, where and in which workspace are objects ({"id": …}) there.
INTERACTIVE = {
    "block_actions",
    "block_suggestion",
    "message_action",
    "shortcut",
    "view_closed",
    "view_submission",
}
INTERACTIVE_OBJECTS = ("user", "team", "channel")
# Where each kind of request names who acted, in which workspace and where (a slash
# command's form fields; paths into an interaction's objects), with the id each must be:
# listeners make the Actor from these. Only who acted must be there.
IdCheck = tuple[tuple[str, ...], Callable[[object], bool]]
REQUIRED = frozenset({("user_id",), ("user", "id")})
COMMAND_IDS: tuple[IdCheck, ...] = (
    (("user_id",), is_user_id),
    (("team_id",), is_team_id),
    (("channel_id",), is_channel_id),
)
INTERACTIVE_IDS: tuple[IdCheck, ...] = (
    (("user", "id"), is_user_id),
    (("user", "team_id"), is_team_id),
    (("team", "id"), is_team_id),
    (("channel", "id"), is_channel_id),
    (("container", "channel_id"), is_channel_id),
)
# The only event govbot subscribes to, app_home_opened, names the person opening their home.
EVENT_IDS: tuple[IdCheck, ...] = ((("team_id",), is_team_id), (("event", "user"), is_user_id))

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

log = logging.getLogger("govbot.http")


class RequestRefused(Exception):
    """A request to /slack/events that is not Slack's; the message says why, for the log."""

    status = "401 Unauthorized"
    error = "invalid_request"


class BodyUnreadable(RequestRefused):
    """A body Slack could not have sent."""

    status = "400 Bad Request"
    error = "unreadable_body"


class RawBodySignatureVerifier(SignatureVerifier):
    """slack_sdk's check (freshness, constant-time compare) over the body's bytes as received.

    The SDK decodes a bytes body as UTF-8 before signing it, which raises on any other bytes;
    a body is signed as bytes, so its signature can be checked before anything decodes it.
    """

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        raw = body.encode() if isinstance(body, str) else body
        base = b"v0:" + timestamp.encode() + b":" + raw
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return f"v0={digest}"


class SlackEvents:
    """POST /slack/events: verified, then read, then handed to Bolt (see the module's doc)."""

    def __init__(self, bolt_app: App) -> None:
        self._app = bolt_app
        # The secret the app was built with (bot/app.py), so there is one to keep in step.
        self._verifier = RawBodySignatureVerifier(bolt_app._signing_secret)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = WsgiHttpRequest(environ)
        headers = request.get_headers()
        try:
            raw = _body(environ)
            self._verify(raw, headers)
            text, body = _read(raw, headers)
            environ[govbot_metrics.REQUEST_KIND] = govbot_metrics.request_kind(body)
            bolt_request = _bolt_request(text, body, request.query_string, headers)
        except RequestRefused as refused:
            log.warning("refused a request to %s: %s", EVENTS_PATH, refused)
            return _json(start_response, refused.status, {"ok": False, "error": refused.error})
        with acknowledging(bolt_request):
            answer = self._app.dispatch(bolt_request)
        response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _verify(self, raw: bytes, headers: dict[str, Any]) -> None:
        timestamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        if not isinstance(timestamp, str) or not isinstance(signature, str):
            raise RequestRefused("no signature or no timestamp")
        if not TIMESTAMP.fullmatch(timestamp):
            raise RequestRefused(f"a malformed timestamp {timestamp[:40]!r}")
        if not SIGNATURE.fullmatch(signature):
            raise RequestRefused("a malformed signature")
        if not self._verifier.is_valid(raw, timestamp, signature):
            raise RequestRefused("the signature does not match, or is over 5 minutes old")


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BodyUnreadable("a malformed Content-Length") from None
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _read(raw: bytes, headers: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The body's text and what it says, or BodyUnreadable if Slack could not have sent it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyUnreadable("a signed body that is not UTF-8") from None
    content_type = extract_content_type(build_normalized_headers(headers))
    try:
        body = parse_body(text, content_type)
    except ValueError:
        raise BodyUnreadable(
            f"a signed {content_type or 'untyped'!r} body that is not JSON"
        ) from None
    if not isinstance(body, dict):
        raise BodyUnreadable("a signed body whose JSON is not an object")
    return text, body


def _bolt_request(
    text: str, body: dict[str, Any], query: str, headers: dict[str, Any]
) -> BoltRequest:
    """The request as Bolt reads it, or BodyUnreadable if Slack could not have sent it."""
    if not _shaped_as_slacks(body):
        raise BodyUnreadable("a signed body not shaped as Slack's")
    if not _ids_are_slacks(body):
        raise BodyUnreadable("a signed body naming who or where by no id of Slack's")
    try:
        return BoltRequest(body=text, query=query, headers=headers)
    except (AttributeError, TypeError, KeyError, IndexError):
        # Bolt reads ids (team, user, channel…) as objects of the shapes Slack sends.
        raise BodyUnreadable("a signed body not shaped as Slack's") from None


def _shaped_as_slacks(body: dict[str, Any]) -> bool:
    """True if the parts read without checking (by Bolt, and by bot/interactions.py for
    who acted) have the types Slack sends: an event, a view and a message are objects,
    actions a list of at least one object, and an interaction's user, team and channel
    objects."""
    if any(key in body and not isinstance(body[key], dict) for key in PAYLOAD_OBJECTS):
        return False
    if body.get("type") in INTERACTIVE and any(
        body.get(key) is not None and not isinstance(body[key], dict) for key in INTERACTIVE_OBJECTS
    ):
        return False
    if "actions" not in body:
        return True
    actions = body["actions"]
    return isinstance(actions, list) and bool(actions) and all(isinstance(a, dict) for a in actions)


def _ids_are_slacks(body: dict[str, Any]) -> bool:
    """True if the request names who acted by a user id, and each id it gives for the
    workspace and the channel is of Slack's shape (`T…`, `C…`); those may be absent."""
    if "command" in body:
        checks = COMMAND_IDS
    elif body.get("type") in INTERACTIVE:
        checks = INTERACTIVE_IDS
    elif body.get("type") == "event_callback":
        checks = EVENT_IDS
    else:
        return True
    for path, is_id in checks:
        value: Any = body
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if (value not in (None, "") or path in REQUIRED) and not is_id(value):
            return False
    return True


def oauth_pages(bolt_app: App) -> dict[str, WSGIApp]:
    """GET /slack/install and /slack/oauth_redirect in OAuth mode (Bolt's OAuth flow)."""
    flow = bolt_app.oauth_flow
    if flow is None:
        return {}

    def page(handle: Callable[[BoltRequest], Any]) -> WSGIApp:
        def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            request = WsgiHttpRequest(environ)
            answer = handle(
                BoltRequest(body="", query=request.query_string, headers=request.get_headers())
            )
            response = WsgiHttpResponse(
                status=answer.status, headers=answer.headers, body=answer.body
            )
            start_response(response.status, response.get_headers())
            return response.get_body()

        return application

    return {
        flow.install_path: page(flow.handle_installation),
        flow.redirect_uri_path: page(flow.handle_callback),
    }


def make_wsgi_app(bolt_app: App, uow: UnitOfWork, *, metrics: bool = False) -> WSGIApp:
    """The WSGI app: /slack/events verified and answered by Bolt; /healthz asks the database;
    /metrics (only with `metrics`, GOVBOT_METRICS=on) serves Prometheus's exposition; in
    OAuth mode, the install pages."""
    slack = govbot_metrics.count_slack_requests(SlackEvents(bolt_app))
    pages = oauth_pages(bolt_app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        if path == EVENTS_PATH and method == "POST":
            return slack(environ, start_response)
        if path in pages and method == "GET":
            return pages[path](environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            healthy = uow.ping()
            govbot_metrics.health_checked(healthy)
            status = "200 OK" if healthy else "503 Service Unavailable"
            return _json(start_response, status, {"ok": healthy})
        if metrics and path == govbot_metrics.METRICS_PATH and method == "GET":
            return govbot_metrics.metrics_response(start_response, uow.ping())
        return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})

    return application


def with_feedback_form(app: WSGIApp, form: WSGIApp) -> WSGIApp:
    """`/f/…` goes to the public feedback form (web/), everything else to `app`."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if str(environ.get("PATH_INFO", "")).startswith(FORM_PATH):
            return form(environ, start_response)
        return app(environ, start_response)

    return application


def make_server_app(bolt_app: App, uow: UnitOfWork, settings: Settings) -> WSGIApp:
    """Everything `govbot serve --http` answers: Slack's requests, health and the form.

    The form's key comes from the signing secret, so every replica signs forms alike.
    """
    form = FeedbackFormApp(uow, feedback_form_key(settings.slack_signing_secret or ""))
    return with_feedback_form(make_wsgi_app(bolt_app, uow, metrics=settings.metrics), form)


def feedback_form_key(signing_secret: str) -> bytes:
    """The key that signs the form's tokens, from the signing secret (no new setting)."""
    return hashlib.sha256(b"govbot feedback form|" + signing_secret.encode()).digest()


def _json(start_response: StartResponse, status: str, payload: dict[str, Any]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]


class HttpServer:
    """A waitress server bound at construction (port 0 picks a free port)."""

    def __init__(self, app: WSGIApp, host: str = "127.0.0.1", port: int = 3000) -> None:
        self._server: Any = create_server(
            app,
            host=host,
            port=port,
            threads=THREADS,
            ident="govbot",
            max_request_body_size=MAX_BODY_BYTES,
        )
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._stopped = False

    @property
    def host(self) -> str:
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve until `stop()` (or a signal), then shut down on this same thread."""
        while not self._stopping.is_set():
            wasyncore.loop(timeout=LOOP_TICK_SECONDS, map=self._server._map, count=1)
        self._shut_down()

    def start(self) -> HttpServer:
        """Serve from a background thread (tests, the console)."""
        self._thread = threading.Thread(target=self.serve_forever, name="govbot-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, let running requests finish (up to 5 s), then close the rest.

        Calling it again does nothing.
        """
        if self._stopped:
            return
        self._stopped = True
        self._stopping.set()
        if self._thread is None:
            self._shut_down()
            return
        self._thread.join(timeout=SHUTDOWN_SECONDS * 2)
        self._thread = None

    def _shut_down(self) -> None:
        # Only the thread that runs the loop touches waitress's socket map, so no other
        # thread ever pulls a trigger that is closing or closed.
        server = self._server
        wasyncore.dispatcher.close(server)  # stop listening; the trigger stays open
        deadline = time.monotonic() + SHUTDOWN_SECONDS
        while self._busy() and time.monotonic() < deadline:
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown(timeout=max(deadline - time.monotonic(), 0.1))
        wasyncore.close_all(server._map)

    def _busy(self) -> bool:
        """Requests still running, or answers not yet written out."""
        dispatcher = self._server.task_dispatcher
        if dispatcher.active_count or dispatcher.queue:
            return True
        return any(
            getattr(channel, "total_outbufs_len", 0) for channel in self._server._map.values()
        )


def serve_http(settings: Settings, host: str = "127.0.0.1", port: int = 3000) -> None:
    """Run until interrupted or terminated; refuses to start on a database not at head."""
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (a deploy, a container stop) ends the loop cleanly, like Ctrl-C.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with serving(settings) as served:
        server = HttpServer(make_server_app(served.app, served.uow, settings), host, port)
        leave_start_up_out_of_collections()
        print(
            f"govbot listening on {server.url} "
            f"(POST {EVENTS_PATH}, GET {HEALTH_PATH}, the feedback form at {FORM_PATH}…)",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
