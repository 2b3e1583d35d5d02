"""Slack's side of Socket Mode on 127.0.0.1, for tests: a WebSocket server that greets each
connection with `hello`, sends envelopes and waits for their `envelope_id` acknowledgements,
and can ask the app to reconnect with a `disconnect` message.

    with SocketModeSlack() as slack:
        standin.set_socket_mode_url(slack.url)   # what apps.connections.open answers
        slack.wait_for_connection()
        ack = slack.send("slash_commands", fields)
        slack.disconnect()                       # and the app connects again
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Self

from websockets.sync.server import Server, ServerConnection, serve

from tests.slack_harness import APP_ID


@dataclass(frozen=True)
class Ack:
    """An acknowledgement the app sent: its body, and how long after the envelope it came."""

    message: dict[str, Any]
    seconds: float


class SocketModeSlack:
    def __init__(self) -> None:
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: queue.Queue[ServerConnection] = queue.Queue()
        self._current: ServerConnection | None = None
        self._acks: dict[str, queue.Queue[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.connections_made = 0

    def __enter__(self) -> Self:
        self._server = serve(self._serve, "127.0.0.1", 0)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="socket-mode-slack", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """The ws:// URL apps.connections.open hands out; each connection to it is a session."""
        assert self._server is not None
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=govbot-test"

    def wait_for_connection(self, timeout: float = 30.0) -> None:
        """Wait until the app connects (anew), and make that the connection envelopes go to."""
        try:
            self._current = self._connections.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the app did not connect within {timeout} s") from None

    def send(self, kind: str, payload: dict[str, Any], timeout: float = 3.0) -> Ack:
        """Send an envelope of `kind` ("slash_commands", "interactive", "events_api") and
        wait up to `timeout` seconds for the app's acknowledgement of its envelope_id."""
        assert self._current is not None, "no connection yet: wait_for_connection() first"
        envelope_id = f"env-{next(self._ids):04d}"
        acks: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            self._acks[envelope_id] = acks
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        started = time.monotonic()
        self._current.send(json.dumps(envelope))
        try:
            message = acks.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{kind} envelope not acknowledged within {timeout} s") from None
        return Ack(message, time.monotonic() - started)

    def disconnect(self, timeout: float = 15.0) -> None:
        """Ask the app to reconnect, as Slack does before it refreshes a connection: a
        `disconnect` message, then, once the app has connected anew, the old connection
        closed from Slack's side. Envelopes go to the new connection from then on."""
        old = self._current
        assert old is not None
        old.send(json.dumps({"type": "disconnect", "reason": "refresh_requested"}))
        self.wait_for_connection(timeout)
        old.close()

    def _serve(self, connection: ServerConnection) -> None:
        self.connections_made += 1
        hello = {
            "type": "hello",
            "num_connections": 1,
            "debug_info": {"host": "applink-govbot-test", "approximate_connection_time": 3600},
            "connection_info": {"app_id": APP_ID},
        }
        connection.send(json.dumps(hello))
        self._connections.put(connection)
        try:
            for raw in connection:
                message = json.loads(raw)
                with self._lock:
                    acks = self._acks.get(str(message.get("envelope_id")))
                if acks is not None:
                    acks.put(message)
        except Exception:  # the app closed the connection (as it does on reconnecting)
            return
