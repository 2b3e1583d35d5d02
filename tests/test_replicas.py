"""Two `govbot serve --http` processes on one PostgreSQL database, both running the scheduler:
each nudge and each digest goes out once.

Each replica is the real `govbot serve --http` (bot.cli.main) in its own process, with one
change: the scheduler's catch-up sweep runs every second instead of every quarter of an
hour, so both replicas run every job again and again, at the same time, within seconds.
Slack is the loopback stand-in, answering a little slowly so their passes overlap.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from governance.database import UnitOfWork, make_engine
from governance.jobs.schedule import is_bank_holiday
from tests.conftest import ON_POSTGRES
from tests.jobs_world import BOARD, World
from tests.postgres_cluster import free_port, throwaway_cluster, wait_until
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BOT_TOKEN, SIGNING_SECRET, http

OWNERS = [f"U0REPLICA{n:02d}" for n in range(24)]
EVERY_DAY = "mon,tue,wed,thu,fri,sat,sun"
SWEEPS_AFTER_DELIVERY = 3
REPLICA = """
import sys
from datetime import timedelta
import bot.scheduler
bot.scheduler.SWEEP_EVERY = timedelta(seconds=1)
from bot.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    if ON_POSTGRES:
        return str(request.getfixturevalue("database_url"))
    return throwaway_cluster().create_database("replicas")


@pytest.fixture
def due_now(postgres_url: str) -> int:
    """A plan whose digest and every owner's nudge are due now, whatever day it is."""
    engine = make_engine(postgres_url)
    world = World(UnitOfWork(engine))
    now = datetime.now(UTC)
    plan = world.plan(
        timezone="UTC",
        nudge_time=time(0, 0),
        digest_weekday=now.weekday(),
        digest_time=time(0, 0),
        quiet_weekends=False,
    )
    yesterday = (now - timedelta(days=1)).date()
    for owner in OWNERS:
        world.action(plan, owner, due=yesterday, title=f"Overdue for {owner}")
        world.preferences(plan, owner, days=EVERY_DAY, timezone="UTC")
    world.win(plan, "Two replicas, one digest")
    engine.dispose()
    return plan


def start_replica(
    tmp_path: Path, name: str, database_url: str, standin: FaultyStandin
) -> tuple[subprocess.Popen[str], str, Path]:
    """`govbot serve --http` in its own process; its stderr (its log) goes to a file."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / f"{name}.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", REPLICA, "serve", "--http", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
    return process, f"http://127.0.0.1:{port}", log


@pytest.fixture
def replicas(
    tmp_path: Path, postgres_url: str, standin: FaultyStandin, due_now: int
) -> Iterator[list[tuple[subprocess.Popen[str], Path]]]:
    started = [start_replica(tmp_path, f"replica-{n}", postgres_url, standin) for n in (1, 2)]
    try:
        for process, base, log in started:
            wait_until(lambda b=base, p=process: p.poll() is not None or _healthy(b), timeout=60)
            assert process.poll() is None, log.read_text()
        yield [(process, log) for process, _, log in started]
    finally:
        for process, _, _ in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _healthy(base: str) -> bool:
    try:
        return http("GET", base + "/healthz").status == 200
    except OSError:
        return False


def passes(stderr: str, job: str) -> list[tuple[int, int]]:
    """(sent, already sent) of each pass of `job` a replica logged."""
    return [
        (int(sent), int(skipped))
        for sent, skipped in re.findall(rf"{job} at \S+: (\d+) sent, (\d+) already sent", stderr)
    ]


def test_two_replicas_running_the_scheduler_send_each_nudge_and_digest_once(
    replicas: list[tuple[subprocess.Popen[str], Path]], standin: FaultyStandin
) -> None:
    nudges_due = not is_bank_holiday(datetime.now(UTC).date())
    # Slow answers keep each replica's pass busy while the other's runs.
    standin.fail("chat.postMessage", status=None, delay=0.02, times=10_000)

    def delivered() -> bool:
        channels = Counter(c.params.get("channel") for c in standin.calls_to("chat.postMessage"))
        return channels[BOARD] >= 1 and (not nudges_due or all(channels[o] for o in OWNERS))

    standin.wait_for(delivered, timeout=90)
    # Let both replicas run their jobs a few more times over work that is already done.
    before = [len(passes(log.read_text(), "digest")) for _, log in replicas]
    wait_until(
        lambda: all(
            len(passes(log.read_text(), "digest")) >= seen + SWEEPS_AFTER_DELIVERY
            for (_, log), seen in zip(replicas, before, strict=True)
        ),
        timeout=90,
        interval=0.2,
    )
    for process, _ in replicas:
        process.send_signal(signal.SIGTERM)
    for process, log in replicas:
        assert process.wait(timeout=30) == 0, log.read_text()
    logs = [log.read_text() for _, log in replicas]

    channels = Counter(c.params.get("channel") for c in standin.calls_to("chat.postMessage"))
    assert channels[BOARD] == 1, "one digest"
    digests = [passes(text, "digest") for text in logs]
    assert sum(sent for runs in digests for sent, _ in runs) == 1
    if nudges_due:
        assert {owner: channels[owner] for owner in OWNERS} == {owner: 1 for owner in OWNERS}
        nudged = [passes(text, "nudges") for text in logs]
        assert sum(sent for runs in nudged for sent, _ in runs) == len(OWNERS)
