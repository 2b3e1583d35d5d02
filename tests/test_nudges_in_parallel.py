"""The nudge pass sends a few direct messages at once, never two to one person at once, and
still waits out every 429's Retry-After before retrying that call.

Slack is the loopback stand-in, made slow so sends overlap; the pass is the job runner as
deployed (its retrying Web API client) over the test's database, in this process, or as
`govbot jobs run nudges` when Retry-After must be waited out in full.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.jobs import JobRunner
from governance.jobs.parallel_delivery import SENDS_IN_FLIGHT
from tests.conftest import Clock
from tests.jobs_world import World, at, govbot_jobs_run, sent_messages
from tests.slack_faults import FaultyStandin

pytestmark = pytest.mark.real_http  # the stand-in answers on a loopback socket

OWNERS = [f"U0PAR{n:02d}" for n in range(12)]
# An owner of actions in both plans: two nudges to one person in the same pass.
IN_BOTH = OWNERS[0]
SLOW = 0.2
RETRY_AFTER = 1
AT = "2026-11-23T09:05:00+00:00"


@pytest.fixture
def owners_due(world: World, clock: Clock) -> list[int]:
    clock.set(at("2026-11-20T10:00"))
    plans = [world.plan(), world.plan("Second plan", channel="C0TWO", board="C0BOARD2")]
    for owner in OWNERS:
        world.action(plans[0], owner, due=date(2026, 11, 19))
        world.preferences(plans[0], owner, timezone="Europe/London")
    world.action(plans[1], IN_BOTH, due=date(2026, 11, 19))
    clock.set(at("2026-11-23T09:05"))
    return plans


def test_a_few_nudges_are_in_flight_at_once_but_never_two_to_one_person(
    owners_due: list[int], runner: JobRunner, standin: FaultyStandin
) -> None:
    standin.fail("chat.postMessage", status=None, delay=SLOW, times=100)
    report = runner.run("nudges")

    assert report.failed == []
    assert Counter(report.sent) == Counter(OWNERS) + Counter([IN_BOTH])
    nudged = Counter(m["channel"] for m in sent_messages(standin) if m["channel"] in OWNERS)
    assert nudged == Counter(OWNERS) + Counter([IN_BOTH]), "each nudge once, both of IN_BOTH's"
    assert 1 < standin.peak_in_flight["chat.postMessage"] <= SENDS_IN_FLIGHT
    to_one = [k for k in standin.peak_in_flight if isinstance(k, tuple)]
    assert to_one and all(standin.peak_in_flight[k] == 1 for k in to_one)


def test_a_rate_limited_nudge_is_retried_only_after_its_retry_after_while_others_go_on(
    owners_due: list[int], tmp_path: Path, database_url: str, standin: FaultyStandin
) -> None:
    limited = OWNERS[1:3]
    for owner in limited:
        standin.fail("chat.postMessage", status=429, retry_after=RETRY_AFTER, channel=owner)
    # Its own process, so the client waits out Retry-After in full.
    run = govbot_jobs_run(tmp_path, database_url, standin, "nudges", AT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert f"{len(OWNERS) + 1} sent" in out and len(standin.refused) == len(limited)

    posts = [
        (t, str(call.params["channel"]))
        for t, call in standin.arrived_at
        if call.method == "chat.postMessage"
    ]
    retried_at = []
    for owner in limited:
        times = [t for t, channel in posts if channel == owner]
        assert len(times) == 2, f"{owner}: refused once, then delivered"
        assert times[1] - times[0] >= RETRY_AFTER, f"{owner} retried before its Retry-After"
        retried_at.append(times[1])
    # Everyone else was sent while those two waited, not after.
    assert all(t < min(retried_at) for t, channel in posts if channel not in limited)
    nudged = Counter(c for _, c in posts) - Counter(limited)
    assert nudged == Counter(OWNERS) + Counter([IN_BOTH])
