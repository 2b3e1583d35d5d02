"""When work is due: working days, bank holidays in England, own timezones, clock changes."""

from __future__ import annotations

from datetime import date, time

from governance.jobs.schedule import (
    crossing_week,
    digest_week,
    is_bank_holiday,
    iso_week,
    local_moment,
    nudge_day,
    working_pattern,
)
from tests.jobs_world import at

LONDON = "Europe/London"
NINE = time(9, 0)
DEFAULT = working_pattern(plan_timezone=LONDON, quiet_weekends=True)


def test_bank_holidays_in_england_include_days_a_holiday_moves_to() -> None:
    assert is_bank_holiday(date(2026, 12, 25))  # Christmas Day, a Friday
    assert is_bank_holiday(date(2026, 12, 28))  # Boxing Day falls on Saturday: Monday off
    assert is_bank_holiday(date(2027, 3, 29))  # Easter Monday
    assert is_bank_holiday(date(2026, 8, 31))  # Summer bank holiday (not Scotland's date)
    assert not is_bank_holiday(date(2026, 11, 23))
    assert not is_bank_holiday(date(2026, 3, 17))  # St Patrick's Day: Northern Ireland only


def test_a_nudge_is_due_from_nudge_time_until_the_end_of_a_working_day() -> None:
    assert nudge_day(at("2026-11-23T08:59"), NINE, DEFAULT) is None
    assert nudge_day(at("2026-11-23T09:00"), NINE, DEFAULT) == date(2026, 11, 23)
    assert nudge_day(at("2026-11-23T23:59"), NINE, DEFAULT) == date(2026, 11, 23)


def test_no_nudge_at_weekends_or_on_bank_holidays() -> None:
    assert nudge_day(at("2026-11-28T10:00"), NINE, DEFAULT) is None  # Saturday
    assert nudge_day(at("2026-11-29T10:00"), NINE, DEFAULT) is None  # Sunday
    assert nudge_day(at("2026-12-25T10:00"), NINE, DEFAULT) is None  # Christmas Day
    assert nudge_day(at("2026-12-28T10:00"), NINE, DEFAULT) is None  # Boxing Day (moved)


def test_own_working_days_and_away_until_decide_the_day() -> None:
    part_time = working_pattern(plan_timezone=LONDON, quiet_weekends=True, own_days="tue,thu")
    assert nudge_day(at("2026-11-23T10:00"), NINE, part_time) is None  # Monday
    assert nudge_day(at("2026-11-24T10:00"), NINE, part_time) == date(2026, 11, 24)
    away = working_pattern(plan_timezone=LONDON, quiet_weekends=True, away_until=date(2026, 11, 24))
    assert nudge_day(at("2026-11-24T10:00"), NINE, away) is None  # the last day away
    assert nudge_day(at("2026-11-25T10:00"), NINE, away) == date(2026, 11, 25)


def test_own_working_days_win_over_the_plans_quiet_weekends() -> None:
    weekend_worker = working_pattern(plan_timezone=LONDON, quiet_weekends=True, own_days="sat,sun")
    saturday = at("2026-11-28T10:00")
    assert nudge_day(saturday, NINE, weekend_worker) == date(2026, 11, 28)
    assert nudge_day(at("2026-11-30T10:00"), NINE, weekend_worker) is None  # Monday
    assert nudge_day(saturday, NINE, DEFAULT) is None


def test_a_plan_without_quiet_days_nudges_everyone_without_days_of_their_own_every_day() -> None:
    every_day = working_pattern(plan_timezone=LONDON, quiet_weekends=False)
    weekday_worker = working_pattern(plan_timezone=LONDON, quiet_weekends=False, own_days="mon")
    saturday = at("2026-11-28T10:00")
    assert nudge_day(saturday, NINE, every_day) == date(2026, 11, 28)
    assert nudge_day(saturday, NINE, weekday_worker) is None


def test_an_owners_own_timezone_wins_over_the_plans() -> None:
    new_york = working_pattern(
        plan_timezone=LONDON, quiet_weekends=True, own_timezone="America/New_York"
    )
    assert nudge_day(at("2026-11-23T09:00"), NINE, new_york) is None  # 04:00 in New York
    assert nudge_day(at("2026-11-23T14:00"), NINE, new_york) == date(2026, 11, 23)
    auckland = working_pattern(
        plan_timezone=LONDON, quiet_weekends=True, own_timezone="Pacific/Auckland"
    )
    # 21:00 on Sunday in London is 10:00 on Monday in Auckland.
    assert nudge_day(at("2026-11-29T21:00"), NINE, auckland) == date(2026, 11, 30)


def test_the_digest_is_due_from_its_moment_until_the_week_ends() -> None:
    monday, nine = 0, NINE
    assert digest_week(at("2026-11-23T08:59"), monday, nine, LONDON) is None
    assert digest_week(at("2026-11-23T09:00"), monday, nine, LONDON) == "2026-W48"
    assert digest_week(at("2026-11-29T23:59"), monday, nine, LONDON) == "2026-W48"
    assert digest_week(at("2026-11-30T00:00"), monday, nine, LONDON) is None
    assert digest_week(at("2026-11-26T16:00"), 3, time(16, 0), LONDON) == "2026-W48"


def test_a_time_the_spring_clock_change_skips_falls_after_the_gap() -> None:
    # 01:30 does not exist on 29 March 2026 in London: clocks go from 01:00 to 02:00.
    moment = local_moment(date(2026, 3, 29), time(1, 30), LONDON)
    assert moment == at("2026-03-29T01:30+00:00")  # 02:30 BST, after the gap
    assert local_moment(date(2026, 3, 30), NINE, LONDON) == at("2026-03-30T08:00")


def test_a_time_the_autumn_clock_change_repeats_is_its_first_occurrence() -> None:
    # 01:30 happens twice on 25 October 2026 in London; the first is 00:30 UTC.
    assert local_moment(date(2026, 10, 25), time(1, 30), LONDON) == at("2026-10-25T00:30")
    assert local_moment(date(2026, 10, 26), NINE, LONDON) == at("2026-10-26T09:00")


def test_iso_weeks_and_the_week_an_item_crosses_its_line() -> None:
    assert iso_week(date(2026, 12, 31)) == "2026-W53"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    # Due Friday 6 November: more than 14 days overdue from Saturday 21 November.
    assert crossing_week(date(2026, 11, 6), 14) == "2026-W47"
    assert crossing_week(date(2026, 11, 9), 14) == "2026-W48"
