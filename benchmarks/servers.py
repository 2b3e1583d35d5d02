"""The stack under measurement: a database, the loopback Slack stand-in (timed), and
`govbot serve --http` or the floor server run as real subprocesses on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlencode

from sqlalchemy import text

from bot.console.slack_standin import Call, Override
from governance.database import make_engine
from governance.schema import upgrade
from tests.slack_faults import FaultyStandin
from tests.slack_signing import SIGNING_SECRET

BOT_TOKEN = "xoxb-000000000-bench-token"
TEAM_ID = "T0GOVBOT"
APP_ID = "A0GOVBOT"
STARTUP_TIMEOUT = 30.0
LISTEN_BACKLOG = 256
REPO = Path(__file__).resolve().parent.parent


@contextmanager
def fresh_database(database_url: str | None) -> Iterator[str]:
    """An empty database at the newest revision: a temporary SQLite file by default, or the
    PostgreSQL database given, whose public schema is dropped and made anew."""
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="govbot-bench-")
        url = f"sqlite:///{folder}/govbot.db"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        try:
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    yield database_url


@dataclass(frozen=True)
class Arrival:
    """A request the stand-in received, when (perf_counter), and the status it was given."""

    at: float
    method: str
    name: str | None
    channel: str | None
    status: int


class TimedStandin(FaultyStandin):
    """The stand-in, noting when each request arrives, waking whoever waits for a response
    URL, able to answer 429 on every n-th call of a method, and to answer every Web API call
    only after `latency` seconds, as Slack's round trip would (`peak_in_flight` counts the
    calls held at once)."""

    def __init__(self, *, latency: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.latency = latency
        self.arrivals: list[Arrival] = []
        self._waiting: dict[str, threading.Event] = {}
        self._arrived: dict[str, tuple[float, dict[str, Any]]] = {}
        self._limited: tuple[str, int, int] | None = None
        self._seen: dict[str, int] = {}

    def start(self) -> Self:
        super().start()
        # socketserver listens with a backlog of 5: under 50 concurrent replies the kernel
        # drops connection attempts and the sender retries a second later, a delay Slack's
        # own response URLs would not add. Listening again widens the backlog.
        assert self._server is not None
        self._server.socket.listen(LISTEN_BACKLOG)
        return self

    def expect(self, name: str) -> threading.Event:
        """An event set when something is posted to the response URL named `name`."""
        event = threading.Event()
        with self._lock:
            self._waiting[name] = event
        return event

    def arrived(self, name: str) -> tuple[float, dict[str, Any]] | None:
        """When the first post to the response URL `name` arrived, and what it held."""
        with self._lock:
            return self._arrived.get(name)

    def forget(self, name: str) -> None:
        with self._lock:
            self._waiting.pop(name, None)
            self._arrived.pop(name, None)

    def rate_limit(self, method: str, every: int, retry_after: int) -> None:
        """Answer every `every`-th call of `method` with 429 and this Retry-After."""
        with self._lock:
            self._limited = (method, every, retry_after)
            self._seen[method] = 0

    def _record(self, call: Call) -> Override | None:
        arrived = time.perf_counter()
        with self._lock:
            if self._limited and call.method == self._limited[0]:
                method, every, retry_after = self._limited
                self._seen[method] += 1
                if self._seen[method] % every == 0:
                    self.fail(method, status=429, retry_after=retry_after, times=1)
        override = super()._record(call)  # outside the lock: a fault may be a delay
        if self.latency and call.method not in ("response", "upload"):
            self._hold(call, self.latency)
        status = override.status if override is not None else 200
        channel = call.params.get("channel")
        with self._lock:
            self.arrivals.append(
                Arrival(arrived, call.method, call.name, str(channel) if channel else None, status)
            )
            if call.name is not None and call.name in self._waiting:
                self._arrived[call.name] = (arrived, call.params)
                self._waiting.pop(call.name).set()
        return override


def slash_body(
    command: str, text_: str, *, user_id: str, channel_id: str, response_url: str
) -> bytes:
    """A slash command form-encoded as Slack sends it."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "govbot-bench",
            "channel_id": channel_id,
            "channel_name": "workforce-plan",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text_,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{time.monotonic_ns()}.{TEAM_ID}.trigger",
        }
    ).encode()


def server_environment(database_url: str, api_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "GOVBOT_", "DATABASE_URL"))
    }
    env.update(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        PYTHONUNBUFFERED="1",
    )
    return env


class ServerProcess:
    """A server subprocess on 127.0.0.1 and an ephemeral port, its output in a temp folder."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name = name
        self._folder = Path(tempfile.mkdtemp(prefix=f"govbot-bench-{name}-"))
        self._stdout = self._folder / "stdout.log"
        self.stderr_path = self._folder / "stderr.log"
        self.launched_at = time.perf_counter()
        with self._stdout.open("wb") as out, self.stderr_path.open("wb") as err:
            # cwd is the temp folder, so no .env in the checkout changes what is measured.
            self.process = subprocess.Popen(
                command, stdout=out, stderr=err, env=env, cwd=self._folder
            )
        self.url = self._wait_for_url()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            for line in self._stdout.read_text(errors="replace").splitlines():
                if " listening on http://" in line:
                    return line.split(" listening on ", 1)[1].split()[0]
            if self.process.poll() is not None:
                break
            time.sleep(0.005)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not start: {self.stderr_path.read_text(errors='replace')[-2000:]}"
        )

    def wait_healthy(self) -> float:
        """Seconds from launch until GET /healthz answered 200."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.launched_at
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError(f"{self.name} never became healthy")

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far (user + system): its cost, whatever else runs."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_kib(self) -> dict[str, int]:
        """Resident set now (VmRSS) and its peak so far (VmHWM), in KiB."""
        found = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
        return found

    def log_tail(self, chars: int = 2000) -> str:
        return self.stderr_path.read_text(errors="replace")[-chars:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self._folder, ignore_errors=True)


def start_govbot(database_url: str, api_url: str) -> ServerProcess:
    """`govbot serve --http` as deployed (with its scheduler), on an ephemeral port."""
    govbot = shutil.which("govbot") or f"{sys.executable} -m bot.cli"
    return ServerProcess(
        "govbot",
        [*govbot.split(), "serve", "--http", "--host", "127.0.0.1", "--port", "0"],
        server_environment(database_url, api_url),
    )


def start_floor(database_url: str, api_url: str, *, reply: bool = False) -> ServerProcess:
    """The same stack with a bare Bolt app that only acks (or acks and sends a fixed reply)."""
    command = [sys.executable, "-m", "benchmarks.floor_server"] + (["--reply"] if reply else [])
    env = server_environment(database_url, api_url)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return ServerProcess("floor-reply" if reply else "floor", command, env)
