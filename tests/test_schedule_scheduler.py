"""The scheduler: per-plan cron triggers in each plan's timezone, following its settings."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import ClockSafeCronTrigger, PlanScheduler, digest_trigger, nudge_trigger
from governance.database import UnitOfWork
from governance.jobs.delivery import RunReport
from governance.jobs.schedule import PlanSchedule, plan_schedules
from governance.models import Plan
from tests.conftest import Clock
from tests.jobs_world import World, at

LONDON = ZoneInfo("Europe/London")


def next_fires(trigger: ClockSafeCronTrigger, start: datetime, count: int) -> list[datetime]:
    fires, previous, now = [], None, start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        fires.append(fire.astimezone(UTC))
        previous, now = fire, fire + timedelta(milliseconds=5)
    return fires


def test_a_plans_triggers_fire_at_its_local_times() -> None:
    schedule = PlanSchedule(1, "America/New_York", time(9, 0), 3, time(16, 30))
    assert next_fires(nudge_trigger(schedule), at("2026-11-23T00:00"), 2) == [
        at("2026-11-23T14:00"),
        at("2026-11-24T14:00"),
    ]
    assert next_fires(digest_trigger(schedule), at("2026-11-23T00:00"), 2) == [
        at("2026-11-26T21:30"),
        at("2026-12-03T21:30"),
    ]


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_a_cron_trigger_keeps_moving_forward_through_the_autumn_clock_change(minute: int) -> None:
    trigger = ClockSafeCronTrigger(hour=1, minute=minute, timezone=LONDON)
    fires = next_fires(trigger, at("2026-10-23T12:00"), 5)
    assert fires == sorted(set(fires))
    on_the_day = [f for f in fires if f.astimezone(LONDON).date().isoformat() == "2026-10-25"]
    assert 1 <= len(on_the_day) <= 2  # 01:xx happens twice; the pass itself sends once
    assert fires[-1] > at("2026-10-26T00:00")


def recording_scheduler(uow: UnitOfWork) -> tuple[PlanScheduler, list[tuple[str, object]]]:
    calls: list[tuple[str, object]] = []

    def run(job: str, plan_ids: list[int] | None) -> RunReport:
        calls.append((job, plan_ids))
        return RunReport(job=job, at=datetime.now(UTC))

    scheduler = BackgroundScheduler(timezone=UTC)
    return PlanScheduler(run, lambda: plan_schedules(uow), scheduler), calls


def test_the_scheduler_follows_each_plans_settings(world: World, uow: UnitOfWork) -> None:
    first = world.plan()
    plans, _ = recording_scheduler(uow)
    plans.scheduler.start(paused=True)
    try:
        follows_settings(plans, world, uow, first)
    finally:
        plans.stop()


def follows_settings(plans: PlanScheduler, world: World, uow: UnitOfWork, first: int) -> None:
    plans.sync()
    nudges = plans.scheduler.get_job(f"plan-{first}-nudges")
    assert str(nudges.trigger) == "cron[hour='9', minute='0']"
    assert nudges.trigger.timezone == LONDON
    assert str(plans.scheduler.get_job(f"plan-{first}-digest").trigger) == (
        "cron[day_of_week='0', hour='9', minute='0']"
    )

    with uow.transaction() as session:
        plan = session.get(Plan, first)
        assert plan is not None
        plan.nudge_time = time(10, 15)
        plan.timezone = "Europe/Dublin"
    second = world.plan("Another plan", channel="C0OTHER")
    plans.sync()
    moved = plans.scheduler.get_job(f"plan-{first}-nudges")
    assert str(moved.trigger) == "cron[hour='10', minute='15']"
    assert str(moved.trigger.timezone) == "Europe/Dublin"
    assert plans.scheduler.get_job(f"plan-{second}-digest") is not None


def test_a_plan_job_runs_nudges_then_risk_reviews_even_when_nudges_fail(
    uow: UnitOfWork, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def run(job: str, plan_ids: list[int] | None) -> RunReport:
        ran.append(job)
        if job == "nudges":
            raise RuntimeError("database hiccup")
        return RunReport(job=job, at=datetime.now(UTC))

    plans = PlanScheduler(run, lambda: [], BackgroundScheduler(timezone=UTC))
    with caplog.at_level(logging.ERROR, logger="govbot.scheduler"):
        plans.run_safely("plan-nudges", [1])
    assert ran == ["nudges", "risk-review"]
    assert "the nudges job failed; the next pass will retry" in caplog.text


def test_the_scheduler_starts_with_a_sweep_and_a_reload_and_stops(
    world: World, uow: UnitOfWork, clock: Clock
) -> None:
    world.plan()
    plans, calls = recording_scheduler(uow)
    plans.start()
    try:
        ids = sorted(job.id for job in plans.scheduler.get_jobs())
        assert ids == ["plan-1-digest", "plan-1-nudges", "reload", "sweep"]
        plans.sweep()
        # The board paper's pass runs with the sweep: a paper is due at most once a month.
        assert calls == [
            ("nudges", None),
            ("risk-review", None),
            ("digest", None),
            ("report", None),
        ]
    finally:
        plans.stop()
    assert not plans.scheduler.running
