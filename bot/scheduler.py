"""APScheduler wiring: each plan's jobs on cron triggers in the plan's timezone.

Per plan, a trigger at its nudge time (nudges, escalations, risk reviews) and one at its
digest day and time, both read from the plan's settings and re-read every few minutes, so
`/plan settings` takes effect without a restart. A sweep every quarter of an hour runs
every job for every plan: it reaches owners whose own timezone puts their nudge time
between the plan's triggers, and catches up on anything missed while no replica was up.

A trigger firing twice, late or on several replicas is harmless: each pass sends only what
is due and not yet claimed (governance/jobs/delivery.py).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.jobs import job_runner
from bot.listeners.events.retries import forget_old_events
from bot.metrics import SCHEDULED_RUNS
from bot.settings import Settings
from bot.slack_client import make_web_client
from governance.database import UnitOfWork, make_engine
from governance.feedback.retention import erase_expired_feedback
from governance.jobs.delivery import RunReport
from governance.jobs.schedule import PlanSchedule, plan_schedules, zone
from governance.schema import require_current_schema

SWEEP_EVERY = timedelta(minutes=15)
# The daily retention pass (UTC), at night when nobody is giving feedback.
RETENTION_AT = time(2, 30)
RELOAD_EVERY = timedelta(minutes=5)
MISFIRE_GRACE_SECONDS = 15 * 60
# How far past an autumn clock change to look for the next fire time (see below).
_FOLD_SEARCH = timedelta(hours=3)
_FOLD_STEP = timedelta(minutes=1)

log = logging.getLogger("govbot.scheduler")


class ClockSafeCronTrigger(CronTrigger):
    """A CronTrigger whose next fire time always moves forward.

    APScheduler 3.11's CronTrigger can return the same (or an earlier) instant again when
    the previous fire time falls in the hour the clocks go back (agronholm/apscheduler
    #1021), and the scheduler then loops forever collecting run times. When that happens
    this trigger looks again from a minute later, up to a few hours on.
    """

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        candidate = super().get_next_fire_time(previous_fire_time, now)
        if previous_fire_time is None or candidate is None:
            return candidate
        floor = previous_fire_time.astimezone(UTC)
        start = max(floor, now.astimezone(UTC))
        step = start
        while candidate is not None and candidate.astimezone(UTC) <= floor:
            step += _FOLD_STEP
            if step > start + _FOLD_SEARCH:
                return super().get_next_fire_time(None, step)
            candidate = super().get_next_fire_time(None, step.astimezone(self.timezone))
        return candidate


def nudge_trigger(schedule: PlanSchedule) -> CronTrigger:
    """Every day at the plan's nudge time (the pass itself skips days nobody works)."""
    return ClockSafeCronTrigger(
        hour=schedule.nudge_time.hour,
        minute=schedule.nudge_time.minute,
        timezone=zone(schedule.timezone),
    )


def digest_trigger(schedule: PlanSchedule) -> CronTrigger:
    """Weekly on the plan's digest day and time."""
    return ClockSafeCronTrigger(
        day_of_week=schedule.digest_weekday,
        hour=schedule.digest_time.hour,
        minute=schedule.digest_time.minute,
        timezone=zone(schedule.timezone),
    )


class PlanScheduler:
    """Keeps one nudge and one digest job per plan in step with the plans' settings."""

    def __init__(
        self,
        run: Callable[[str, list[int] | None], RunReport],
        schedules: Callable[[], list[PlanSchedule]],
        scheduler: BaseScheduler | None = None,
    ) -> None:
        self._run = run
        self._schedules = schedules
        self.scheduler = scheduler or BackgroundScheduler(
            timezone=UTC,
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
            },
        )
        self._known: dict[int, PlanSchedule] = {}

    def start(self) -> None:
        self.sync()
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=SWEEP_EVERY.total_seconds(), timezone=UTC),
            id="sweep",
            replace_existing=True,
        )
        self.scheduler.add_job(
            self.sync,
            IntervalTrigger(seconds=RELOAD_EVERY.total_seconds(), timezone=UTC),
            id="reload",
            replace_existing=True,
        )
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def sync(self) -> None:
        """Add, move or remove plan jobs to match the plans' current settings."""
        try:
            current = {schedule.plan_id: schedule for schedule in self._schedules()}
        except Exception:  # noqa: BLE001 - a database blip must not stop the scheduler
            log.exception("could not read the plans' schedules; keeping the current ones")
            return
        for plan_id in set(self._known) - set(current):
            for job_id in (f"plan-{plan_id}-nudges", f"plan-{plan_id}-digest"):
                if self.scheduler.get_job(job_id):
                    self.scheduler.remove_job(job_id)
        for plan_id, schedule in current.items():
            if self._known.get(plan_id) == schedule:
                continue
            self.scheduler.add_job(
                self.run_safely,
                nudge_trigger(schedule),
                args=("plan-nudges", [plan_id]),
                id=f"plan-{plan_id}-nudges",
                replace_existing=True,
            )
            self.scheduler.add_job(
                self.run_safely,
                digest_trigger(schedule),
                args=("digest", [plan_id]),
                id=f"plan-{plan_id}-digest",
                replace_existing=True,
            )
        self._known = current

    def sweep(self) -> None:
        for job in ("nudges", "risk-review", "digest", "report"):
            self.run_safely(job, None)

    def run_safely(self, job: str, plan_ids: list[int] | None) -> None:
        """Run a job (or, for "plan-nudges", nudges then risk reviews), logging failures."""
        for name in ("nudges", "risk-review") if job == "plan-nudges" else (job,):
            try:
                report = self._run(name, plan_ids)
                log.info("%s", report.summary())
                SCHEDULED_RUNS.labels(name, "failed_sends" if report.failed else "ok").inc()
            except Exception:  # noqa: BLE001 - one failed pass must not stop the others
                SCHEDULED_RUNS.labels(name, "error").inc()
                log.exception("the %s job failed; the next pass will retry", name)


def start_scheduler(settings: Settings, uow: UnitOfWork, client: WebClient) -> Callable[[], None]:
    """Start the plans' jobs beside a server; returns how to stop them (bot/serving.py)."""
    runner = job_runner(settings, uow, client)
    plans = PlanScheduler(runner.run, lambda: plan_schedules(uow))
    plans.start()
    plans.scheduler.add_job(
        _forget_old_events, IntervalTrigger(hours=1, timezone=UTC), args=(uow,), id="events"
    )
    plans.scheduler.add_job(
        _erase_expired_feedback,
        ClockSafeCronTrigger(hour=RETENTION_AT.hour, minute=RETENTION_AT.minute, timezone=UTC),
        args=(uow,),
        id="retention",
    )
    log.info("scheduler started")
    return plans.stop


def _forget_old_events(uow: UnitOfWork) -> None:
    try:
        log.info("forgot %d old event claims", forget_old_events(uow))
        SCHEDULED_RUNS.labels("forget-events", "ok").inc()
    except Exception:  # noqa: BLE001 - housekeeping must not stop the scheduler
        SCHEDULED_RUNS.labels("forget-events", "error").inc()
        log.exception("could not forget old event claims; the next hour will try again")


def _erase_expired_feedback(uow: UnitOfWork) -> None:
    try:
        log.info("%s", erase_expired_feedback(uow).summary())
        SCHEDULED_RUNS.labels("retention", "ok").inc()
    except Exception:  # noqa: BLE001 - housekeeping must not stop the scheduler
        SCHEDULED_RUNS.labels("retention", "error").inc()
        log.exception("the retention job failed; tomorrow's run will erase what is due")


def run_until_stopped(stop: Callable[[], None], banner: str) -> None:
    """Print `banner` once SIGTERM is handled, block until SIGTERM or Ctrl-C, then `stop`."""
    stopped = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(banner, flush=True)
    try:
        while not stopped.wait(timeout=1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def serve_scheduler(settings: Settings) -> None:
    """`govbot scheduler`: only the scheduled jobs, for deployments that run them apart."""
    settings.require_tokens()
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        stop = start_scheduler(settings, UnitOfWork(engine), make_web_client(settings))
        run_until_stopped(stop, "govbot scheduler running")
    finally:
        engine.dispose()
