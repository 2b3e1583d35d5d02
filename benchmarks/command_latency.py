"""Benchmark 1: slash-command latency over real HTTP, govbot beside the floor.

Signed slash commands go to `govbot serve --http` (a subprocess on 127.0.0.1) from 1, 10
and 50 concurrent clients, each sending a bounded number of requests. Two times are taken
for every request:

- ack: until the HTTP answer (govbot acknowledges at once with an empty 200);
- answer: until the reply reaches the response URL on the stand-in, which is when the
  person sees it. Each client waits for its answer before typing the next command.

The floor is the same server stack with a bare Bolt app whose listener only acknowledges
(its answer is its ack); "floor + reply" also sends a fixed reply through the response
URL, the least an answer can cost on this stack.

    python -m benchmarks.command_latency [--database-url postgresql://...] [--quick]

Without --database-url a temporary SQLite file is used; a PostgreSQL database given is
emptied first.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks.report import environment, latency_summary, table, write_results
from benchmarks.seed import CHANNEL, LEAD, PLAN_NAME, working_plan
from benchmarks.servers import (
    ServerProcess,
    TimedStandin,
    fresh_database,
    slash_body,
    start_floor,
    start_govbot,
)
from governance.database import UnitOfWork, make_engine
from tests.slack_signing import signed_headers

LEVELS = (1, 10, 50)
REQUESTS_PER_CLIENT = {1: 100, 10: 30, 50: 10}
QUICK_REQUESTS_PER_CLIENT = {1: 20, 10: 5, 50: 2}
WARMUP_REQUESTS = 10
LEVEL_TIME_LIMIT = 90.0
HTTP_TIMEOUT = 10.0
ANSWER_TIMEOUT = 10.0
ACTIONS = 200
SORRY = ("Sorry", ":warning:")


class ProgressTexts:
    """`/action update A-<n> progress:<p>` with a progress that always changes, so every
    update writes; client i updates A-(i+1), so no two clients race for one action."""

    def __init__(self) -> None:
        self._progress: dict[int, int] = {}

    def __call__(self, client: int, _k: int) -> str:
        number = client + 1
        progress = self._progress.get(number, 0) % 100 + 1
        self._progress[number] = progress
        return f"update A-{number} progress:{progress}"


@dataclass(frozen=True)
class Command:
    label: str
    command: str
    text: Callable[[int, int], str]
    expect: Callable[[int], str]


COMMANDS = (
    Command("/action update", "/action", ProgressTexts(), lambda client: f"A-{client + 1}"),
    Command("/action list", "/action", lambda _c, _k: "list", lambda _c: "A-1"),
    Command("/plan", "/plan", lambda _c, _k: "", lambda _c: PLAN_NAME),
)


@dataclass(frozen=True)
class Target:
    name: str
    start: Callable[[str, str], ServerProcess]
    answers: bool
    # Only govbot's answers say something to check; the floor's reply is a fixed "ok".
    checks_answer: bool = False


TARGETS = (
    Target("floor", lambda db, api: start_floor(db, api), answers=False),
    Target("floor + reply", lambda db, api: start_floor(db, api, reply=True), answers=True),
    Target("govbot", start_govbot, answers=True, checks_answer=True),
)


@dataclass
class Level:
    target: str
    command: str
    clients: int
    sent: int = 0
    errors: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    ack_s: list[float] = field(default_factory=list)
    answer_s: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        ok = self.sent - self.errors
        return {
            "target": self.target,
            "command": self.command,
            "clients": self.clients,
            "requests": self.sent,
            "errors": self.errors,
            "error_samples": self.error_samples[:5],
            "throughput_per_s": round(ok / self.wall_s, 1) if self.wall_s else 0.0,
            "server_cpu_ms_per_request": round(self.cpu_s / self.sent * 1000, 2)
            if self.sent
            else 0.0,
            "ack": latency_summary(self.ack_s),
            "answer": latency_summary(self.answer_s),
        }


class Load:
    """Closed-loop clients: each sends, reads the ack, waits for the answer, and repeats."""

    def __init__(self, server: ServerProcess, standin: TimedStandin, target: Target) -> None:
        self.server = server
        self.standin = standin
        self.target = target
        parts = urlsplit(server.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._names = itertools.count(1)
        self._lock = threading.Lock()

    def level(self, command: Command, clients: int, per_client: int) -> Level:
        result = Level(self.target.name, command.label, clients)
        start = threading.Barrier(clients + 1)
        deadline = [0.0]

        def client(index: int) -> None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=HTTP_TIMEOUT)
            start.wait()
            try:
                for k in range(per_client):
                    if time.perf_counter() > deadline[0]:
                        break
                    connection = self._one(connection, command, index, k, result)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=client, args=(i,), name=f"client-{i}") for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        cpu_before = self.server.cpu_seconds()
        began = time.perf_counter()
        deadline[0] = began + LEVEL_TIME_LIMIT
        start.wait()
        for thread in threads:
            thread.join(LEVEL_TIME_LIMIT + HTTP_TIMEOUT + ANSWER_TIMEOUT + 5)
        result.wall_s = time.perf_counter() - began
        result.cpu_s = self.server.cpu_seconds() - cpu_before
        return result

    def _one(
        self,
        connection: http.client.HTTPConnection,
        command: Command,
        index: int,
        k: int,
        result: Level,
    ) -> http.client.HTTPConnection:
        name = f"{self.target.name}-{next(self._names)}"
        response_url = self.standin.response_url(name)
        arrived = self.standin.expect(name) if self.target.answers else None
        body = slash_body(
            command.command,
            command.text(index, k),
            user_id=LEAD,
            channel_id=CHANNEL,
            response_url=response_url,
        )
        error = None
        sent_at = time.perf_counter()
        try:
            connection.request(
                "POST",
                "/slack/events",
                body,
                signed_headers(body, "application/x-www-form-urlencoded"),
            )
            response = connection.getresponse()
            content = response.read()
            acked_at = time.perf_counter()
            if response.status != 200 or content:
                error = f"ack HTTP {response.status} {content[:80]!r}"
        except (OSError, http.client.HTTPException) as exc:
            acked_at = time.perf_counter()
            error = f"ack failed: {type(exc).__name__}: {exc}"
            connection.close()
            connection = http.client.HTTPConnection(self.host, self.port, timeout=HTTP_TIMEOUT)
        answer_s = None
        if error is None and arrived is not None:
            if arrived.wait(ANSWER_TIMEOUT):
                found = self.standin.arrived(name)
                assert found is not None
                answer_s = found[0] - sent_at
                if self.target.checks_answer:
                    error = _wrong_answer(found[1], command.expect(index))
            else:
                error = f"no answer within {ANSWER_TIMEOUT:.0f} s"
        self.standin.forget(name)
        with self._lock:
            result.sent += 1
            result.ack_s.append(acked_at - sent_at)
            if answer_s is not None:
                result.answer_s.append(answer_s)
            elif arrived is None and error is None:
                result.answer_s.append(acked_at - sent_at)
            if error is not None:
                result.errors += 1
                result.error_samples.append(error)
        return connection


def _wrong_answer(params: dict[str, Any], expected: str) -> str | None:
    message = json.dumps(params)
    text = str(params.get("text", ""))
    blocks = params.get("blocks") or []
    first = blocks[0].get("text", {}).get("text", "") if blocks and isinstance(blocks, list) else ""
    if text.startswith(SORRY) or str(first).startswith(SORRY):
        return f"refused: {text[:100]}"
    if expected not in message:
        return f"answer lacks {expected!r}: {text[:100]}"
    return None


def measure_target(
    target: Target,
    database_url: str,
    standin: TimedStandin,
    per_client: dict[int, int],
    levels: Sequence[int],
    profile: Path | None = None,
) -> tuple[list[Level], dict[str, Any]]:
    server = target.start(database_url, standin.api_url)
    try:
        healthy_s = server.wait_healthy()
        idle = server.memory_kib()
        load = Load(server, standin, target)
        for command in COMMANDS:
            load.level(command, 1, WARMUP_REQUESTS)
        with sampling(server.pid, profile):
            results = [
                load.level(command, clients, per_client[clients])
                for command in COMMANDS
                for clients in levels
            ]
        after = server.memory_kib()
        footprint = {
            "healthy_after_s": round(healthy_s, 3),
            "rss_idle_kib": idle["VmRSS"],
            "rss_after_kib": after["VmRSS"],
            "rss_peak_kib": after["VmHWM"],
        }
        if any(level.errors for level in results):
            footprint["server_log_tail"] = server.log_tail()
        return results, footprint
    finally:
        server.stop()


@contextmanager
def sampling(pid: int, profile: Path | None) -> Iterator[None]:
    """With a path, sample the server's stacks with py-spy (collapsed stacks) meanwhile."""
    if profile is None:
        yield
        return
    spy = subprocess.Popen(
        [
            "py-spy",
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--rate",
            "250",
            "--threads",
            "--output",
            str(profile),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=30)


def run(
    database_url: str | None,
    quick: bool = False,
    targets: Sequence[str] = tuple(t.name for t in TARGETS),
    profile: Path | None = None,
) -> dict[str, Any]:
    """Measure every target; return the results (also used by benchmarks.footprint)."""
    per_client = QUICK_REQUESTS_PER_CLIENT if quick else REQUESTS_PER_CLIENT
    with fresh_database(database_url) as url, TimedStandin() as standin:
        engine = make_engine(url)
        working_plan(UnitOfWork(engine), actions=ACTIONS)
        engine.dispose()
        levels: list[Level] = []
        footprints: dict[str, Any] = {}
        for target in TARGETS:
            if target.name not in targets:
                continue
            measured, footprints[target.name] = measure_target(
                target, url, standin, per_client, LEVELS, profile if target.checks_answer else None
            )
            levels.extend(measured)
    return {
        "levels": [level.summary() for level in levels],
        "servers": footprints,
        "per_client": per_client,
    }


def _find(levels: list[dict[str, Any]], target: str, command: str, clients: int) -> dict[str, Any]:
    return next(
        level
        for level in levels
        if level["target"] == target and level["command"] == command and level["clients"] == clients
    )


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 1) if b else None


def report(results: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    levels = results["levels"]
    rows = [
        [
            level["target"],
            level["command"],
            level["clients"],
            level["requests"],
            level["errors"],
            level["ack"]["p50_ms"],
            level["ack"]["p95_ms"],
            level["ack"]["p99_ms"],
            level["ack"]["max_ms"],
            level["answer"]["p50_ms"],
            level["answer"]["p95_ms"],
            level["answer"]["p99_ms"],
            level["answer"]["max_ms"],
            level["throughput_per_s"],
            level["server_cpu_ms_per_request"],
        ]
        for level in levels
    ]
    latency = table(
        (
            "server",
            "command",
            "clients",
            "requests",
            "errors",
            "ack p50",
            "p95",
            "p99",
            "max",
            "answer p50",
            "p95",
            "p99",
            "max",
            "answers/s",
            "server CPU ms/req",
        ),
        rows,
    )
    ratio_rows = []
    aims: dict[str, bool] = {}
    measured = {level["target"] for level in levels}
    for command in COMMANDS if {"govbot", "floor", "floor + reply"} <= measured else ():
        for clients in LEVELS:
            govbot = _find(levels, "govbot", command.label, clients)
            floor = _find(levels, "floor", command.label, clients)
            reply = _find(levels, "floor + reply", command.label, clients)
            ratio_rows.append(
                [
                    command.label,
                    clients,
                    _ratio(govbot["ack"]["p50_ms"], floor["ack"]["p50_ms"]),
                    _ratio(govbot["answer"]["p50_ms"], floor["ack"]["p50_ms"]),
                    _ratio(govbot["answer"]["p50_ms"], reply["answer"]["p50_ms"]),
                    govbot["answer"]["p99_ms"],
                    govbot["answer"]["max_ms"],
                    govbot["errors"],
                ]
            )
            key = f"{command.label} x{clients}"
            aims[f"{key}: ack p50 within 2x floor"] = (
                govbot["ack"]["p50_ms"] <= 2 * floor["ack"]["p50_ms"]
            )
            aims[f"{key}: answer p50 within 2x floor"] = (
                govbot["answer"]["p50_ms"] <= 2 * floor["ack"]["p50_ms"]
            )
            if clients == 10:
                aims[f"{key}: ack p99 under 200 ms"] = govbot["ack"]["p99_ms"] < 200
                aims[f"{key}: answer p99 under 200 ms"] = govbot["answer"]["p99_ms"] < 200
            if clients == 50:
                aims[f"{key}: no ack over 3 s"] = govbot["ack"]["max_ms"] < 3000
                aims[f"{key}: no answer over 3 s"] = govbot["answer"]["max_ms"] < 3000
            aims[f"{key}: no errors"] = govbot["errors"] == 0
    ratios = table(
        (
            "command",
            "clients",
            "ack p50 / floor",
            "answer p50 / floor",
            "answer p50 / floor+reply",
            "answer p99 ms",
            "answer max ms",
            "errors",
        ),
        ratio_rows,
    )
    servers = table(
        ("server", "healthy after s", "RSS idle MiB", "RSS after MiB", "peak MiB"),
        [
            [
                name,
                info["healthy_after_s"],
                round(info["rss_idle_kib"] / 1024, 1),
                round(info["rss_after_kib"] / 1024, 1),
                round(info["rss_peak_kib"] / 1024, 1),
            ]
            for name, info in results["servers"].items()
        ],
    )
    missed = [aim for aim, met in aims.items() if not met]
    printed = "\n\n".join(
        [
            "Latency in ms (answer: until the reply reached the response URL; "
            "the floor's answer is its ack)",
            latency,
            "govbot / floor (p50 ratios)",
            ratios,
            "Servers",
            servers,
            f"Aims met: {len(aims) - len(missed)} of {len(aims)}"
            + "".join(f"\n  missed: {aim}" for aim in missed),
        ]
    )
    return printed, aims


def main() -> None:
    parser = argparse.ArgumentParser(description="Slash-command latency, govbot beside the floor")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL (emptied first); default a temp SQLite file"
    )
    parser.add_argument("--quick", action="store_true", help="few requests, for a smoke run")
    parser.add_argument(
        "--profile", type=Path, help="write py-spy collapsed stacks of govbot under load here"
    )
    parser.add_argument(
        "--only", choices=[t.name for t in TARGETS], help="measure one server (no ratios)"
    )
    args = parser.parse_args()
    targets = [args.only] if args.only else [t.name for t in TARGETS]
    env = environment(args.database_url)
    results = run(args.database_url, quick=args.quick, targets=targets, profile=args.profile)
    printed, aims = report(results)
    print(printed)
    path = write_results(
        "command_latency",
        args.database_url or "sqlite://",
        {
            "levels": LEVELS,
            "requests_per_client": results["per_client"],
            "warmup_requests": WARMUP_REQUESTS,
            "actions_in_plan": ACTIONS,
            "level_time_limit_s": LEVEL_TIME_LIMIT,
            "quick": args.quick,
        },
        {**results, "aims": aims},
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
