"""The clock changes (last Sundays of March and October in Europe/London) never skip or
double a run: the plan's cron triggers and the quarter-hourly sweep are replayed through the
change, each firing a real pass, and each owner hears once a day, each board once a week."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import JobRunner
from bot.scheduler import SWEEP_EVERY, digest_trigger, nudge_trigger
from governance.database import UnitOfWork
from governance.jobs.schedule import plan_schedules
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, at
from tests.slack_faults import FaultyStandin

LONDON = ZoneInfo("Europe/London")
OWNER = "U0SHIFT"
SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def fire_times(trigger: BaseTrigger, start: datetime, end: datetime) -> list[datetime]:
    times: list[datetime] = []
    previous = None
    now = start
    while len(times) < 1000:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None or fire > end:
            return times
        times.append(fire)
        previous, now = fire, fire + timedelta(milliseconds=5)
    raise AssertionError("the trigger never moved past the window")


def replay(
    runner: JobRunner,
    clock: Clock,
    job: str,
    triggers: list[BaseTrigger],
    start: datetime,
    end: datetime,
) -> Counter[date]:
    """Run `job` at every fire time of `triggers` in [start, end]; count sends per London date."""
    moments = sorted({t for trigger in triggers for t in fire_times(trigger, start, end)})
    sent: Counter[date] = Counter()
    for moment in moments:
        clock.set(moment)
        for _ in runner.run(job).sent:
            sent[moment.astimezone(LONDON).date()] += 1
    return sent


def sweep() -> IntervalTrigger:
    return IntervalTrigger(seconds=SWEEP_EVERY.total_seconds(), timezone=LONDON)


def window(day: date) -> tuple[datetime, datetime]:
    """From the Saturday evening before a Sunday clock change to Monday noon, London time."""
    start = datetime.combine(day - timedelta(days=1), time(21, 0), tzinfo=LONDON)
    return start, datetime.combine(day + timedelta(days=1), time(12, 0), tzinfo=LONDON)


@pytest.mark.parametrize(
    ("change", "nudge_at"),
    [
        (SPRING, time(9, 0)),
        (SPRING, time(1, 30)),  # does not exist on the day: clocks jump from 01:00 to 02:00
        (AUTUMN, time(9, 0)),
        (AUTUMN, time(1, 30)),  # happens twice on the day: clocks go back from 02:00 to 01:00
    ],
)
def test_a_weekend_worker_is_nudged_once_each_day_through_a_clock_change(
    change: date,
    nudge_at: time,
    world: World,
    runner: JobRunner,
    clock: Clock,
    uow: UnitOfWork,
) -> None:
    clock.set(at("2026-01-05T10:00"))
    plan = world.plan(nudge_time=nudge_at, quiet_weekends=False)
    world.preferences(plan, OWNER, days="mon,tue,wed,thu,fri,sat,sun", timezone="Europe/London")
    world.action(plan, OWNER, due=date(2026, 12, 31), updated=at("2025-12-01T10:00"))
    [schedule] = plan_schedules(uow)
    start, end = window(change)
    sent = replay(runner, clock, "nudges", [nudge_trigger(schedule), sweep()], start, end)
    assert sent == Counter({change: 1, change + timedelta(days=1): 1})


@pytest.mark.parametrize(
    ("change", "weekday", "digest_at"),
    [
        (SPRING, 6, time(1, 30)),  # Sunday 01:30: skipped by the clocks
        (SPRING, 0, time(9, 0)),  # Monday 09:00, the first after the change
        (AUTUMN, 6, time(1, 30)),  # Sunday 01:30: twice by the clocks
        (AUTUMN, 0, time(9, 0)),
    ],
)
def test_the_digest_posts_once_a_week_through_a_clock_change(
    change: date,
    weekday: int,
    digest_at: time,
    world: World,
    runner: JobRunner,
    clock: Clock,
    uow: UnitOfWork,
    standin: FaultyStandin,
) -> None:
    clock.set(at("2026-01-05T10:00"))
    world.plan(digest_weekday=weekday, digest_time=digest_at)
    [schedule] = plan_schedules(uow)
    start, end = window(change)
    sent = replay(runner, clock, "digest", [digest_trigger(schedule), sweep()], start, end)
    expected_day = change if weekday == 6 else change + timedelta(days=1)
    assert sent == Counter({expected_day: 1})
    assert [c.params["channel"] for c in standin.calls_to("chat.postMessage")] == [BOARD]
