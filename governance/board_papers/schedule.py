"""When a plan's board paper is due: the week, weekday and time a lead set, each month.

The paper posted in a month reports on the month before (which has ended), and is claimed
under that month's key, so a pass that runs late, twice or on another replica posts it once.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from governance.board_papers.periods import Period, period_of
from governance.jobs.schedule import local_moment
from governance.local_time import local_today
from governance.plans.inputs import REPORT_ORDINALS, ReportSchedule, parse_report_schedule


def posting_day(schedule: ReportSchedule, year: int, month: int) -> date:
    """The day of `month` the schedule names: its first (…fourth, last) `weekday`."""
    days = [
        week[schedule.weekday]
        for week in calendar.Calendar().monthdatescalendar(year, month)
        if week[schedule.weekday].month == month
    ]
    if schedule.ordinal == "last":
        return days[-1]
    return days[REPORT_ORDINALS.index(schedule.ordinal)]


def period_due(now: datetime, setting: str | None, timezone: str) -> Period | None:
    """The period whose paper is due at `now` under the plan's `setting`, else None.

    Due from this month's posting moment until the month ends: the month before's paper.
    """
    if not setting:
        return None
    schedule = parse_report_schedule(setting)
    this_month = period_of(local_today(now, timezone))
    day = posting_day(schedule, this_month.year, this_month.month)
    if now < local_moment(day, schedule.at, timezone):
        return None
    return this_month.preceding
