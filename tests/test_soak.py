"""Soak: a bounded run of 20,000 mixed signed requests at moderate concurrency against a real
`govbot serve --http` process: no errors, every command answered, and the server's memory
levels off instead of growing without bound.

Slow (about two minutes on two cores), so left out of the default run:

    python -m pytest -m slow tests/test_soak.py
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import ON_POSTGRES
from tests.postgres_cluster import free_port, throwaway_cluster, wait_until
from tests.slack_faults import FaultyStandin
from tests.slack_harness import (
    APP_ID,
    BOT_TOKEN,
    SIGNING_SECRET,
    HttpResult,
    sealed,
    signature_headers,
)

pytestmark = pytest.mark.slow

REQUESTS = int(os.environ.get("GOVBOT_SOAK_REQUESTS", "20000"))
CONCURRENCY = 8
CHECKPOINTS = 10
TEAM = "T0SOAK"
CHANNEL = "C0SOAK"
USERS = [f"U0SOAK{n:02d}" for n in range(20)]
# After warming up, the server may grow by this much at most over the rest of the run.
GROWTH_LIMIT_MB = 60
# ...and the last half of the run may add at most this much (a leak keeps climbing).
LATE_GROWTH_LIMIT_MB = 25


# Slack gives up after 3 s; a request this slow would be an error, not a measurement.
REQUEST_TIMEOUT = 30


def http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> HttpResult:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return HttpResult(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), dict(error.headers))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class Slack:
    """Signs and sends requests the way Slack does, to one server."""

    def __init__(self, base: str, standin: FaultyStandin) -> None:
        self.base = base
        self.standin = standin
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        self.commands: list[str] = []

    def _post(self, body: bytes, content_type: str) -> HttpResult:
        headers = {"Content-Type": content_type, **signature_headers(body)}
        return http("POST", self.base + "/slack/events", body, headers)

    def slash(self, command: str, text: str, user: str) -> HttpResult:
        name = f"soak-{next(self.ids)}"
        with self.lock:
            self.commands.append(name)
        fields = {
            "team_id": TEAM,
            "channel_id": CHANNEL,
            "user_id": user,
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": self.standin.response_url(name),
            "trigger_id": f"{next(self.ids)}.trigger",
        }
        return self._post(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def payload(self, payload: dict[str, Any]) -> HttpResult:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self._post(body, "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any]) -> HttpResult:
        body = {
            "team_id": TEAM,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": f"Ev{next(self.ids):010d}",
            "event_time": 1,
            "event": event,
        }
        return self._post(json.dumps(body).encode(), "application/json")


def mixed_requests(slack: Slack) -> Iterator[tuple[str, Callable[[], HttpResult]]]:
    """An endless, repeatable mix of what a busy plan's channel sends."""
    for n in itertools.count():
        user = USERS[n % len(USERS)]
        kind = n % 20
        if kind < 3:
            yield "add", lambda u=user, n=n: slack.slash("/action", f'add "Soak action {n}"', u)
        elif kind < 6:
            yield "list", lambda u=user: slack.slash("/action", "list", u)
        elif kind < 8:
            yield "show", lambda u=user, n=n: slack.slash("/action", f"show A-{n % 50 + 1}", u)
        elif kind < 10:
            yield (
                "update",
                lambda n=n: slack.slash(
                    "/action", f'update A-{n % 50 + 1} progress:{n % 101} "soak {n}"', USERS[0]
                ),
            )
        elif kind == 10:
            yield (
                "feedback",
                lambda u=user, n=n: slack.slash(
                    "/feedback", f'staff "Soak feedback {n}" anonymous', u
                ),
            )
        elif kind == 11:
            yield "win", lambda u=user, n=n: slack.slash("/win", f'"Soak win {n}"', u)
        elif kind == 12:
            yield "plan", lambda u=user: slack.slash("/plan", "", u)
        elif kind == 13:
            yield "risks", lambda u=user: slack.slash("/risk", "list", u)
        elif kind == 14:
            yield "help", lambda u=user: slack.slash("/action", "help", u)
        elif kind == 15:
            yield (
                "home",
                lambda u=user: slack.event({"type": "app_home_opened", "user": u, "tab": "home"}),
            )
        elif kind == 16:
            yield (
                "form",
                lambda u=user, n=n: slack.payload(
                    {
                        "type": "view_submission",
                        "team": {"id": TEAM},
                        "user": {"id": u, "team_id": TEAM},
                        "api_app_id": APP_ID,
                        "view": {
                            "id": f"V{n}",
                            "type": "modal",
                            "callback_id": "win_add",
                            "private_metadata": sealed(
                                {"channel_id": CHANNEL}, user_id=u, team_id=TEAM
                            ),
                            "state": {
                                "values": {
                                    "win_text": {
                                        "win_text": {
                                            "type": "plain_text_input",
                                            "value": f"Form {n}",
                                        }
                                    }
                                }
                            },
                        },
                    }
                ),
            )
        elif kind == 17:
            yield "healthz", lambda: http("GET", slack.base + "/healthz")
        elif kind == 18:
            yield "typo", lambda u=user: slack.slash("/action", "lsit", u)
        else:
            yield (
                "refused",
                lambda u=user, n=n: slack.slash(
                    "/action", f'update A-{n % 50 + 1} status:red "not mine"', USERS[-1]
                ),
            )


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """PostgreSQL, the production store: the suite's when it was given one, else a throwaway
    cluster's."""
    if ON_POSTGRES:
        return str(request.getfixturevalue("database_url"))
    return throwaway_cluster().create_database("soak")


@pytest.fixture
def server(
    tmp_path: Path, database: str, standin: FaultyStandin
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
    }
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--http", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: process.poll() is not None or _healthy(base), timeout=60)
        assert process.poll() is None, (tmp_path / "server.log").read_text()
        yield process, base
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def _healthy(base: str) -> bool:
    try:
        return http("GET", base + "/healthz").status == 200
    except OSError:
        return False


def test_twenty_thousand_mixed_requests_without_an_error_or_a_leak(
    server: tuple[subprocess.Popen[str], str], standin: FaultyStandin, tmp_path: Path
) -> None:
    process, base = server
    slack = Slack(base, standin)
    lead = USERS[0]
    assert slack.slash("/plan", 'setup "Soak ICS workforce plan"', lead).status == 200
    standin.wait_for(lambda: standin.responses(), timeout=30)
    for n in range(50):
        assert slack.slash("/action", f'add "Seed action {n}"', lead).status == 200
    standin.wait_for(lambda: len(standin.responses()) >= 51, timeout=60)

    statuses: Counter[int | str] = Counter()
    kinds: Counter[str] = Counter()
    memory: list[float] = []
    slowest = 0.0

    def send(item: tuple[str, Callable[[], HttpResult]]) -> tuple[int | str, float]:
        started = time.monotonic()
        try:
            status: int | str = item[1]().status
        except OSError as exc:
            status = type(exc).__name__
        return status, time.monotonic() - started

    requests = itertools.islice(mixed_requests(slack), REQUESTS)
    chunk = REQUESTS // CHECKPOINTS
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        for _ in range(CHECKPOINTS):
            batch = list(itertools.islice(requests, chunk))
            kinds.update(kind for kind, _ in batch)
            for status, seconds in pool.map(send, batch):
                statuses[status] += 1
                slowest = max(slowest, seconds)
            memory.append(rss_mb(process.pid))
    wait_until(
        lambda: len({c.name for c in standin.calls_to("response")}) >= len(slack.commands),
        timeout=120,
    )
    replies = [c.params for c in standin.calls_to("response")]
    sorry = [r for r in replies if str(r.get("text", "")).startswith("Sorry")]
    print(
        f"\nsoak: {REQUESTS} requests {dict(kinds)}, statuses {dict(statuses)}, "
        f"{len(replies)} replies, slowest {slowest:.2f} s, "
        f"RSS MB by tenth {[round(m, 1) for m in memory]}"
    )

    assert statuses == Counter({200: REQUESTS}), statuses
    assert sorry == [], sorry[:3]
    log = (tmp_path / "server.log").read_text()
    assert " ERROR " not in log and "Traceback" not in log, log[-3000:]
    warm = memory[1]
    assert max(memory) - warm <= GROWTH_LIMIT_MB, memory
    half = len(memory) // 2
    assert memory[-1] - memory[half] <= LATE_GROWTH_LIMIT_MB, memory
