"""What Slack sends govbot, built and signed in the console and handed to the real WSGI app.

The request takes production's path from the WSGI entry on: Bolt checks the signature,
routes it to the same listeners, and they call the Web API (the stand-in). Only the
network hop from Slack is skipped.
"""

from __future__ import annotations

import io
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

from slack_bolt import App
from slack_sdk.signature import SignatureVerifier

from bot.http_server import EVENTS_PATH

APP_ID = "A0CONSOLE"
WAIT_SECONDS = 30.0

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class Answer:
    """The HTTP answer govbot gave (the acknowledgement)."""

    status: int
    body: bytes

    def json(self) -> dict[str, Any] | None:
        try:
            parsed = json.loads(self.body) if self.body else None
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict) else None


class ListenerTracker(Executor):
    """Wraps the app's listener executor so the console knows when the work after an ack
    is finished, and can show its outcome before the next prompt."""

    def __init__(self, inner: Executor) -> None:
        self._inner = inner
        self._running = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._running += 1

        def tracked() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

        try:
            return self._inner.submit(tracked)
        except BaseException:
            with self._idle:
                self._running -= 1
            raise

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)

    def wait_idle(self, timeout: float = WAIT_SECONDS) -> bool:
        """True once no listener is running; False if some still run after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._running:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
            return True

    @classmethod
    def install(cls, app: App) -> ListenerTracker:
        """Route the app's after-ack work (listeners and lazy listeners) through a tracker."""
        runner = app.listener_runner
        tracker = cls(runner.listener_executor)
        runner.listener_executor = tracker
        runner.lazy_listener_runner.executor = tracker  # type: ignore[attr-defined]
        return tracker


class SignedSender:
    """Signs each request with the session's secret, as Slack does, and calls the app."""

    def __init__(self, wsgi_app: WSGIApp, signing_secret: str, tracker: ListenerTracker) -> None:
        self._app = wsgi_app
        self._verifier = SignatureVerifier(signing_secret)
        self._tracker = tracker
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def form(self, fields: dict[str, str]) -> Answer:
        return self._post(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def payload(self, payload: dict[str, Any]) -> Answer:
        """An interaction (block_actions, view_submission): form-encoded `payload=<json>`."""
        return self.form({"payload": json.dumps(payload)})

    def event(self, body: dict[str, Any]) -> Answer:
        return self._post(json.dumps(body).encode(), "application/json")

    def _post(self, body: bytes, content_type: str) -> Answer:
        timestamp = str(int(time.time()))
        signature = self._verifier.generate_signature(timestamp=timestamp, body=body)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": EVENTS_PATH,
            "QUERY_STRING": "",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "0",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
            "HTTP_X_SLACK_SIGNATURE": signature or "",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
        }
        setup_testing_defaults(environ)
        status: list[str] = []

        def start_response(line: str, _headers: list[tuple[str, str]], *_exc: Any) -> None:
            status.append(line)

        chunks = self._app(environ, start_response)
        try:
            answer = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        self._tracker.wait_idle()
        return Answer(int(status[0].split()[0]), answer)


def slash_command(
    *,
    command: str,
    text: str,
    team_id: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    channel_name: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    """The form fields Slack posts for a slash command."""
    return {
        "token": "console",
        "team_id": team_id,
        "team_domain": "govbot-console",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def block_actions(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    trigger_id: str,
    action: dict[str, Any],
    container: dict[str, Any],
    channel: dict[str, str] | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    """The payload Slack posts when a button or menu option is pressed."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "console",
        "container": container,
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": "govbot-console"},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
    }
    if channel is not None:
        payload["channel"] = channel
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    trigger_id: str,
    view: dict[str, Any],
    values: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The payload Slack posts when a modal is submitted; `values` is the form's state."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "govbot-console"},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "console",
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": values}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def app_home_opened(*, team_id: str, user_id: str, bot_user_id: str, event_id: str) -> dict:
    """The Events API callback Slack sends when someone opens the app's Home tab."""
    return {
        "token": "console",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {
            "type": "app_home_opened",
            "user": user_id,
            "channel": "D" + user_id[1:],
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        },
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
