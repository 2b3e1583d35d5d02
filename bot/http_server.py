"""`govbot serve --http`: Slack's requests on POST /slack/events, health on GET /healthz.

Waitress serves it: a production WSGI server in pure Python, so the tests run the same
server code as production.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

from bot.serving import serving
from bot.settings import Settings
from governance.database import UnitOfWork

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
THREADS = 8
MAX_BODY_BYTES = 2 * 1024 * 1024
SHUTDOWN_SECONDS = 5
# How often the loop looks for stop(). Not waitress's asyncore_loop_timeout: waitress reads
# that as whole seconds, so 0.2 became 0 and the loop spun a core even when idle.
LOOP_TICK_SECONDS = 0.2

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def make_wsgi_app(bolt_app: App, uow: UnitOfWork) -> WSGIApp:
    """The WSGI app: Bolt verifies and answers /slack/events; /healthz asks the database."""
    slack = SlackRequestHandler(bolt_app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "")
        if path == EVENTS_PATH and method == "POST":
            return slack(environ, start_response)
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            healthy = uow.ping()
            status = "200 OK" if healthy else "503 Service Unavailable"
            return _json(start_response, status, {"ok": healthy})
        return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})

    return application


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
        server = HttpServer(make_wsgi_app(served.app, served.uow), host, port)
        print(
            f"govbot listening on {server.url} (POST {EVENTS_PATH}, GET {HEALTH_PATH})",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
