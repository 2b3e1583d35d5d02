"""When scheduled work is due: local dates and moments, working days and bank holidays.

Every pass asks "is this due at `now`?" rather than trusting that a timer fired at exactly
the right moment. A piece of work is due from its local moment until its period ends, and
its claim key names the period (a local date, an ISO week), so a pass that runs late, early,
twice, or across a clock change sends each piece once: nothing is skipped when 01:30 does
not exist on the last Sunday of March, nothing doubles when 01:30 happens twice in October.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import select

from governance.database import UnitOfWork
from governance.local_time import local_today
from governance.plans.models import WEEKDAYS, Plan

WEEKDAYS_ONLY = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_moment(day: date, at: time, timezone: str) -> datetime:
    """The instant the wall clock in `timezone` shows `at` on `day`.

    A time that does not exist (skipped by the spring clock change) is read with the winter
    offset, so it falls an hour later, after the gap; a time that happens twice (autumn) is
    its first occurrence. Returned in UTC so it compares by instant, never by wall clock.
    """
    return datetime.combine(day, at, tzinfo=zone(timezone)).astimezone(UTC)


def iso_week(day: date) -> str:
    """`2026-W48`: the ISO year and week a date falls in."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@cache
def _england_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """A bank holiday in England (including days a holiday is moved to, e.g. Boxing Day)."""
    return day in _england_bank_holidays(day.year)


def parse_working_days(text: str | None) -> frozenset[int] | None:
    """Weekday numbers (Monday 0) from the stored `mon,tue,thu`; None when nothing is stored."""
    if not text:
        return None
    return frozenset(WEEKDAYS.index(word) for word in text.split(",") if word in WEEKDAYS)


@dataclass(frozen=True)
class WorkingPattern:
    """When a person may be nudged.

    `away_until` is the last day they are away: they are nudged again from the next
    working day after it.
    """

    timezone: str
    working_days: frozenset[int] = WEEKDAYS_ONLY
    away_until: date | None = None

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.working_days
            and not is_bank_holiday(day)
            and (self.away_until is None or day > self.away_until)
        )


def working_pattern(
    *,
    plan_timezone: str,
    quiet_weekends: bool,
    own_days: str | None = None,
    own_timezone: str | None = None,
    away_until: date | None = None,
) -> WorkingPattern:
    """A person's pattern in one plan: their own timezone and working days win over the plan's.

    Someone who set their own working days (weekend and shift workers) is nudged on exactly
    those; everyone else on the plan's days: Monday to Friday in a plan quiet at weekends,
    every day in one that is not. Never on a bank holiday in England.
    """
    days = parse_working_days(own_days)
    if days is None:
        days = plan_days(quiet_weekends)
    return WorkingPattern(
        timezone=own_timezone or plan_timezone, working_days=days, away_until=away_until
    )


def plan_days(quiet_weekends: bool) -> frozenset[int]:
    """The days a plan nudges people who never set their own working days."""
    return WEEKDAYS_ONLY if quiet_weekends else EVERY_DAY


def nudge_day(now: datetime, at: time, pattern: WorkingPattern) -> date | None:
    """The person's local date if their nudge is due at `now`, else None.

    Due from `at` on their clock until their day ends, on their working days only.
    """
    today = local_today(now, pattern.timezone)
    if not pattern.is_working_day(today):
        return None
    if now < local_moment(today, at, pattern.timezone):
        return None
    return today


def digest_week(now: datetime, weekday: int, at: time, timezone: str) -> str | None:
    """The ISO week whose digest is due at `now`, or None before this week's moment.

    The digest for a week is due from its weekday and time (in the plan's timezone) until
    the week ends.
    """
    today = local_today(now, timezone)
    year, week, _ = today.isocalendar()
    day = date.fromisocalendar(year, week, weekday + 1)
    if now < local_moment(day, at, timezone):
        return None
    return iso_week(day)


def crossing_week(start: date, after_days: int) -> str:
    """The ISO week of the first day more than `after_days` days after `start`.

    An escalation is claimed for this week, so it happens once however long the item stays
    late, and again only if its date moves and it falls late anew.
    """
    return iso_week(start + timedelta(days=after_days + 1))


@dataclass(frozen=True)
class PlanSchedule:
    """When a plan's jobs fire, in its own timezone (the settings `plan settings` changes)."""

    plan_id: int
    timezone: str
    nudge_time: time
    digest_weekday: int
    digest_time: time


def plan_schedules(uow: UnitOfWork) -> list[PlanSchedule]:
    """Every plan's schedule, read fresh so a scheduler can follow changed settings."""
    with uow.transaction() as session:
        rows = session.execute(
            select(
                Plan.id, Plan.timezone, Plan.nudge_time, Plan.digest_weekday, Plan.digest_time
            ).order_by(Plan.id)
        )
        return [PlanSchedule(*row) for row in rows]
