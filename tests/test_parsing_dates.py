"""Dates are read the way busy NHS staff type them, and anything else is refused kindly."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rendering import format_date
from governance.errors import Invalid
from governance.local_time import local_today
from governance.parsing.dates import DATE_HINT, is_date, parse_date

MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2027-03-31", date(2027, 3, 31)),
        ("31/03/2027", date(2027, 3, 31)),
        ("31/3/27", date(2027, 3, 31)),
        ("31.03.2027", date(2027, 3, 31)),
        ("31-Mar-2027", date(2027, 3, 31)),
        ("31 Mar 2027", date(2027, 3, 31)),
        ("31st March, 2027", date(2027, 3, 31)),
        ("March 31 2027", date(2027, 3, 31)),
        ("3/4/2027", date(2027, 4, 3)),
    ],
)
def test_absolute_dates_are_read_day_first(typed: str, expected: date) -> None:
    assert parse_date(typed, MONDAY) == expected


@pytest.mark.parametrize("typed", ["31 Mar", "31 march", "Mar 31", "31/3", "31st of March"])
def test_day_and_month_without_year_is_the_next_occurrence(typed: str) -> None:
    assert parse_date(typed, MONDAY) == date(2027, 3, 31)


def test_day_and_month_that_is_today_means_today() -> None:
    assert parse_date("23 Nov", MONDAY) == MONDAY


def test_day_and_month_already_passed_this_year_is_next_year() -> None:
    assert parse_date("1 Nov", MONDAY) == date(2027, 11, 1)


def test_leap_day_without_year_waits_for_the_next_leap_year() -> None:
    assert parse_date("29 Feb", MONDAY) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("today", MONDAY),
        ("tomorrow", date(2026, 11, 24)),
        ("+3d", date(2026, 11, 26)),
        ("+2w", date(2026, 12, 7)),
        ("+1m", date(2026, 12, 23)),
        ("+1y", date(2027, 11, 23)),
        ("+ 2 weeks", date(2026, 12, 7)),
        ("in 3 days", date(2026, 11, 26)),
    ],
)
def test_relative_dates_count_from_today(typed: str, expected: date) -> None:
    assert parse_date(typed, MONDAY) == expected


def test_adding_a_month_clamps_to_the_end_of_a_shorter_month() -> None:
    assert parse_date("+1m", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_date("+1m", date(2028, 1, 31)) == date(2028, 2, 29)


def test_adding_a_year_to_a_leap_day_lands_on_28_february() -> None:
    assert parse_date("+1y", date(2028, 2, 29)) == date(2029, 2, 28)


def test_a_weekday_is_the_next_such_day_after_today() -> None:
    assert parse_date("friday", MONDAY) == FRIDAY
    assert parse_date("fri", MONDAY) == FRIDAY
    assert parse_date("this friday", MONDAY) == FRIDAY
    assert parse_date("tuesday", MONDAY) == date(2026, 11, 24)
    assert parse_date("monday", MONDAY) == date(2026, 11, 30)


def test_friday_typed_on_a_friday_means_a_week_away() -> None:
    assert parse_date("friday", FRIDAY) == date(2026, 12, 4)


def test_next_friday_is_the_friday_of_next_week() -> None:
    assert parse_date("next friday", MONDAY) == date(2026, 12, 4)
    assert parse_date("next friday", date(2026, 11, 25)) == date(2026, 12, 4)
    assert parse_date("next friday", FRIDAY) == date(2026, 12, 4)
    assert parse_date("next monday", date(2026, 11, 29)) == date(2026, 11, 30)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("end of month", date(2026, 11, 30)),
        ("eom", date(2026, 11, 30)),
        ("end of the month", date(2026, 11, 30)),
        ("end of quarter", date(2026, 12, 31)),
        ("eoq", date(2026, 12, 31)),
        ("end of year", date(2026, 12, 31)),
        ("eoy", date(2026, 12, 31)),
    ],
)
def test_ends_of_periods(typed: str, expected: date) -> None:
    assert parse_date(typed, MONDAY) == expected


def test_end_of_quarter_uses_calendar_quarters() -> None:
    assert parse_date("eoq", date(2027, 2, 10)) == date(2027, 3, 31)
    assert parse_date("eoq", date(2027, 4, 1)) == date(2027, 6, 30)
    assert parse_date("eoq", date(2027, 9, 30)) == date(2027, 9, 30)


@pytest.mark.parametrize(
    "typed", ["  FRIDAY  ", "Friday.", "31  Mar!", "+2W", "EOM;", " tomorrow\n"]
)
def test_case_extra_spaces_and_trailing_punctuation_are_forgiven(typed: str) -> None:
    parse_date(typed, MONDAY)


@pytest.mark.parametrize(
    "typed", ["31 Feb", "31/02/2027", "2027-02-29", "30 February 2028", "31/4"]
)
def test_impossible_dates_are_invalid(typed: str) -> None:
    with pytest.raises(Invalid, match="There is no"):
        parse_date(typed, MONDAY)


@pytest.mark.parametrize("typed", ["2027-13-01", "31/13/2027"])
def test_month_thirteen_is_invalid(typed: str) -> None:
    with pytest.raises(Invalid, match="month 13"):
        parse_date(typed, MONDAY)


@pytest.mark.parametrize(
    "typed", ["soon", "next week-ish", "32 Mar", "friyay", "+3q", "0000-01-01"]
)
def test_unreadable_text_is_invalid_and_names_what_was_typed(typed: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_date(typed, MONDAY)
    assert typed in caught.value.message
    assert caught.value.hint == DATE_HINT


def test_empty_text_asks_for_a_date() -> None:
    with pytest.raises(Invalid, match="Please give a date"):
        parse_date("   ", MONDAY)


def test_a_date_too_far_away_is_invalid_not_a_crash() -> None:
    with pytest.raises(Invalid):
        parse_date("+999999y", MONDAY)
    with pytest.raises(Invalid):
        parse_date("1 Jan", date(9999, 12, 31))


def test_a_long_unreadable_text_is_shortened_in_the_message() -> None:
    with pytest.raises(Invalid) as caught:
        parse_date("x" * 500, MONDAY)
    assert len(caught.value.message) < 100


def test_today_in_london_follows_the_spring_clock_change() -> None:
    # BST starts at 01:00 UTC on Sunday 28 March 2027.
    assert local_today(datetime(2027, 3, 27, 23, 30, tzinfo=UTC), "Europe/London") == date(
        2027, 3, 27
    )
    assert local_today(datetime(2027, 3, 28, 23, 30, tzinfo=UTC), "Europe/London") == date(
        2027, 3, 29
    )


def test_today_in_london_follows_the_autumn_clock_change() -> None:
    # BST ends at 01:00 UTC on Sunday 25 October 2026.
    assert local_today(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "Europe/London") == date(
        2026, 10, 25
    )
    assert local_today(datetime(2026, 10, 25, 23, 30, tzinfo=UTC), "Europe/London") == date(
        2026, 10, 25
    )


def test_today_in_refuses_a_naive_instant() -> None:
    with pytest.raises(ValueError):
        local_today(datetime(2026, 11, 23, 10, 0), "Europe/London")


def test_today_in_an_unknown_timezone_is_invalid() -> None:
    with pytest.raises(Invalid, match="Mars/Olympus"):
        local_today(datetime(2026, 11, 23, 10, 0, tzinfo=UTC), "Mars/Olympus")


todays = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=200)
@given(today=todays, days=st.integers(min_value=0, max_value=5000))
def test_plus_n_days_is_always_today_plus_n_days(today: date, days: int) -> None:
    assert parse_date(f"+{days}d", today) == today + timedelta(days=days)


@settings(max_examples=200)
@given(today=todays, weeks=st.integers(min_value=0, max_value=700))
def test_plus_n_weeks_is_always_seven_n_days(today: date, weeks: int) -> None:
    assert parse_date(f"+{weeks}w", today) == today + timedelta(days=7 * weeks)


@settings(max_examples=200)
@given(typed=st.dates(), today=todays)
def test_any_iso_date_round_trips(typed: date, today: date) -> None:
    assert parse_date(typed.isoformat(), today) == typed


@settings(max_examples=200)
@given(typed=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), today=todays)
def test_any_uk_date_round_trips(typed: date, today: date) -> None:
    assert parse_date(typed.strftime("%d/%m/%Y"), today) == typed
    assert parse_date(typed.strftime("%-d %b %y"), today) == typed


@settings(max_examples=200)
@given(today=todays, months=st.integers(min_value=0, max_value=1200))
def test_plus_months_lands_in_the_right_month_never_past_its_end(today: date, months: int) -> None:
    result = parse_date(f"+{months}m", today)
    assert (result.year * 12 + result.month) - (today.year * 12 + today.month) == months
    assert result.day <= today.day


@settings(max_examples=200)
@given(today=todays, weekday=st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))
def test_a_weekday_is_always_within_the_coming_week(today: date, weekday: str) -> None:
    result = parse_date(weekday, today)
    assert 1 <= (result - today).days <= 7
    assert result.strftime("%a").lower() == weekday


@settings(max_examples=200)
@given(today=todays, typed=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_a_day_and_month_is_never_before_today_and_within_a_year(today: date, typed: date) -> None:
    if (typed.month, typed.day) == (2, 29):
        return
    result = parse_date(typed.strftime("%d %B"), today)
    assert (result.month, result.day) == (typed.month, typed.day)
    assert today <= result < today + timedelta(days=366)


date_fragments = st.sampled_from(
    ["31", "29", "0", "feb", "march", "next", "fri", "+", "9999", "/", "-", "12", "eo", "m", "w"]
)
near_dates = st.lists(date_fragments, max_size=5).map("".join) | st.lists(
    date_fragments, max_size=5
).map(" ".join)


@settings(max_examples=200)
@given(typed=st.text() | near_dates, today=st.dates())
def test_parse_never_raises_anything_but_invalid(typed: str, today: date) -> None:
    with contextlib.suppress(Invalid):
        assert isinstance(parse_date(typed, today), date)


TUESDAY_1_DEC = date(2026, 12, 1)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Fri 4 Dec 2026", date(2026, 12, 4)),
        ("Mon 1 Mar 2027", date(2027, 3, 1)),
        ("Thu 24 Dec 2026", date(2026, 12, 24)),
        ("Friday 4th December", date(2026, 12, 4)),
        ("Friday, 4 December 2026", date(2026, 12, 4)),
        ("w/c 7 Dec", date(2026, 12, 7)),
        ("w/c 9 Dec", date(2026, 12, 7)),
        ("week commencing 11 January 2027", date(2027, 1, 11)),
        ("end of March", date(2027, 3, 31)),
        ("end of December 2027", date(2027, 12, 31)),
        ("31st", date(2026, 12, 31)),
        ("the 1st", date(2026, 12, 1)),
        ("Q1", date(2027, 6, 30)),
        ("q2", date(2027, 9, 30)),
        ("Q3", date(2026, 12, 31)),
        ("end of Q4", date(2027, 3, 31)),
    ],
)
def test_the_ways_govbot_and_boards_write_dates_read_in(typed: str, expected: date) -> None:
    assert parse_date(typed, TUESDAY_1_DEC) == expected


@given(st.dates(min_value=date(2026, 12, 1), max_value=date(2031, 12, 31)))
def test_every_date_govbot_displays_reads_back_as_itself(day: date) -> None:
    assert parse_date(format_date(day), TUESDAY_1_DEC) == day


def test_a_weekday_that_is_not_the_dates_weekday_is_refused_naming_the_right_one() -> None:
    with pytest.raises(Invalid) as caught:
        parse_date("Thu 4 Dec 2026", TUESDAY_1_DEC)
    assert caught.value.message == (
        "4 December 2026 is a Friday, not a Thursday (you typed “Thu 4 Dec 2026”)."
    )


def test_the_31st_typed_in_a_month_of_30_days_is_the_next_month_that_has_one() -> None:
    assert parse_date("31st", date(2026, 11, 5)) == date(2026, 12, 31)


def test_a_day_of_the_month_no_month_has_is_refused() -> None:
    with pytest.raises(Invalid, match="No month has a day 32"):
        parse_date("32nd", TUESDAY_1_DEC)


def test_the_quarter_ends_are_the_uk_financial_years_and_the_hint_says_so() -> None:
    assert "Q1 ends 30 Jun" in DATE_HINT and "Q4 31 Mar" in DATE_HINT
    assert parse_date("Q4", date(2027, 3, 31)) == date(2027, 3, 31)
    assert parse_date("Q4", date(2027, 4, 1)) == date(2028, 3, 31)


@pytest.mark.parametrize("typed", ["31 Mar", "31 Feb", "next friday", "end of March", "Q2"])
def test_text_written_as_a_date_is_a_date_even_an_impossible_one(typed: str) -> None:
    assert is_date(typed)


@pytest.mark.parametrize("typed", ["31", "next", "end of", "Recruit", "", "fri fri fri fri fri"])
def test_text_not_written_as_a_date_is_not(typed: str) -> None:
    assert not is_date(typed)


def test_a_long_run_of_weekdays_is_refused_not_recursed_into() -> None:
    with pytest.raises(Invalid, match="couldn't read"):
        parse_date("fri " * 2000 + "4 Dec", TUESDAY_1_DEC)
