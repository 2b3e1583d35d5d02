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
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import create_server

from bot.app import serving
from bot.settings import Settings
from governance.database import UnitOfWork

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
THREADS = 8
MAX_BODY_BYTES = 2 * 1024 * 1024

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
            asyncore_loop_timeout=0.2,
        )
        self._thread: threading.Thread | None = None
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
        self._server.run()

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
        # Everything that touches waitress's socket map runs on the loop's own thread,
        # through the trigger. The trigger is closed last of all: a worker finishing a
        # request pulls it, and a pull on a closed (or reused) descriptor would fail.
        self._server.trigger.pull_trigger(self._stop_listening)
        self._server.task_dispatcher.shutdown(timeout=5)
        self._server.trigger.pull_trigger(self._close_channels)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _stop_listening(self) -> None:
        # waitress's own close() would close the trigger too; close only the listener.
        wasyncore.dispatcher.close(self._server)

    def _close_channels(self) -> None:
        for channel in list(self._server._map.values()):
            channel.close()


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
