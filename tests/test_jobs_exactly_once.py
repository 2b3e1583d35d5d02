"""Exactly once: concurrent passes, a pass killed half-way and resumed, a crash before a send.

Passes run against the test's database (SQLite, or PostgreSQL with GOVBOT_TEST_DATABASE_URL)
and send to the loopback stand-in; the first two tests run real `govbot jobs run` processes.
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.jobs import JobRunner
from bot.slack_client import make_web_client
from governance.database import UnitOfWork, make_engine
from governance.jobs.delivery import LEASE, RunReport
from governance.jobs.models import JobClaim
from governance.jobs.parallel_delivery import SENDS_IN_FLIGHT
from governance.jobs.views import NudgeView
from tests.conftest import Clock
from tests.jobs_world import World, at, govbot_jobs_run, sent_messages
from tests.slack_faults import FaultyStandin
from tests.slack_harness import harness_settings

OWNERS = [f"U0OWNER{n:02d}" for n in range(12)]
AT = "2026-11-23T09:00:00+00:00"


@pytest.fixture
def owners_due(world: World, clock: Clock) -> int:
    """A plan whose every owner has an overdue action on Monday 23 November."""
    clock.set(at("2026-11-20T10:00"))
    plan = world.plan()
    for owner in OWNERS:
        world.action(plan, owner, due=date(2026, 11, 20))
    return plan


def dms_per_owner(standin: FaultyStandin) -> Counter[str]:
    return Counter(m["channel"] for m in sent_messages(standin) if m["channel"] in OWNERS)


def claimed_not_done(uow: UnitOfWork) -> set[str]:
    """Owners whose nudge a pass claimed and never marked done (keys plan-P/OWNER/DAY)."""
    with uow.transaction() as session:
        keys = session.scalars(
            select(JobClaim.key).where(JobClaim.kind == "nudge", JobClaim.done_at.is_(None))
        )
        return {key.split("/")[1] for key in keys}


def test_two_passes_at_once_send_each_nudge_once(
    owners_due: int, tmp_path: Path, database_url: str, standin: FaultyStandin
) -> None:
    # Slow sends keep both passes busy over the same owners at the same time.
    standin.fail("chat.postMessage", status=None, delay=0.05, times=100)
    first = govbot_jobs_run(tmp_path, database_url, standin, "nudges", AT)
    second = govbot_jobs_run(tmp_path, database_url, standin, "nudges", AT)
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert dms_per_owner(standin) == Counter({owner: 1 for owner in OWNERS})
    sent = [int(out.split(": ")[1].split(" sent")[0]) for out, _ in outputs]
    assert sum(sent) == len(OWNERS)


def test_a_pass_killed_half_way_is_resumed_with_the_owners_not_yet_reached(
    owners_due: int, tmp_path: Path, database_url: str, standin: FaultyStandin, uow: UnitOfWork
) -> None:
    standin.fail("chat.postMessage", status=None, delay=0.15, times=100)
    doomed = govbot_jobs_run(tmp_path, database_url, standin, "nudges", AT)
    try:
        standin.wait_for_calls("chat.postMessage", 3, timeout=60)
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
    reached = set(dms_per_owner(standin))
    assert 3 <= len(reached) < len(OWNERS)
    # Sends in flight when the process died: claimed, perhaps sent, never marked done. They
    # wait out the lease (the next test), so a message Slack may have taken is not repeated.
    cut_short = claimed_not_done(uow)
    assert len(cut_short - reached) <= SENDS_IN_FLIGHT

    resumed = govbot_jobs_run(tmp_path, database_url, standin, "nudges", AT)
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    never_claimed = set(OWNERS) - reached - cut_short
    assert dms_per_owner(standin) == Counter({owner: 1 for owner in reached | never_claimed})
    assert f"{len(never_claimed)} sent" in out


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs, not even `except Exception`."""


def test_a_claim_left_by_a_crash_before_sending_is_taken_over_after_its_lease(
    owners_due: int, runner: JobRunner, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    clock.set(at(AT))
    send = runner.send_nudge

    def dies_on_the_third(nudge: NudgeView) -> None:
        if nudge.owner_id == OWNERS[2]:
            raise Killed
        send(nudge)

    runner.send_nudge = dies_on_the_third  # type: ignore[method-assign]
    with pytest.raises(Killed):
        runner.run("nudges")
    runner.send_nudge = send  # type: ignore[method-assign]
    # Sends already in flight beside the third finish; no worker starts another.
    reached = set(dms_per_owner(standin))
    assert set(OWNERS[:2]) <= reached and OWNERS[2] not in reached
    assert claimed_not_done(uow) == {OWNERS[2]}

    report = runner.run("nudges")
    assert report.sent == [o for o in OWNERS if o not in reached | {OWNERS[2]}]
    assert report.skipped == len(reached) + 1
    assert OWNERS[2] not in dms_per_owner(standin)

    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert runner.run("nudges").sent == [OWNERS[2]]
    assert dms_per_owner(standin) == Counter({owner: 1 for owner in OWNERS})


def test_a_digest_is_posted_once_by_replicas_racing_for_it(
    world: World, engine: Engine, clock: Clock, standin: FaultyStandin, database_url: str
) -> None:
    world.plan()
    world.plan("Second plan", channel="C0TWO", board="C0BOARD2")
    clock.set(at(AT))
    standin.fail("chat.postMessage", status=None, delay=0.1, times=10)
    settings = harness_settings(database_url, standin.api_url)
    # Each replica has its own engine and connection pool, as separate processes would.
    engines = [make_engine(database_url) for _ in range(3)]
    runners = [JobRunner(UnitOfWork(e, clock=clock), make_web_client(settings)) for e in engines]
    start = threading.Barrier(len(runners))
    reports: list[RunReport] = []

    def replica(runner: JobRunner) -> None:
        start.wait(timeout=30)
        reports.append(runner.run("digest"))

    threads = [threading.Thread(target=replica, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for each in engines:
        each.dispose()
    boards = Counter(m["channel"] for m in sent_messages(standin))
    assert boards == Counter({"C0BOARD": 1, "C0BOARD2": 1})
    assert sum(len(report.sent) for report in reports) == 2
    assert len(standin.calls_to("files.completeUploadExternal")) == 2
