"""Which period a value is for, which one is due, and what a valid value is."""

from __future__ import annotations

from datetime import date

import pytest

from governance.errors import Invalid
from governance.measures.rules import (
    due_period,
    format_value,
    is_value_late,
    parse_period,
    period_key,
    period_name,
    read_value,
    refuse_future,
)


@pytest.mark.parametrize(
    ("typed", "frequency", "start"),
    [
        ("2026-11", "monthly", date(2026, 11, 1)),
        ("nov-2026", "monthly", date(2026, 11, 1)),
        ("November 2026", "monthly", date(2026, 11, 1)),
        ("11/2026", "monthly", date(2026, 11, 1)),
        ("2026-11-23", "monthly", date(2026, 11, 1)),
        ("2026-W48", "weekly", date(2026, 11, 23)),
        ("2026-11-26", "weekly", date(2026, 11, 23)),
        ("2026-Q3", "quarterly", date(2026, 7, 1)),
        ("2026-08", "quarterly", date(2026, 7, 1)),
    ],
)
def test_periods_are_read_in_the_measures_frequency(
    typed: str, frequency: str, start: date
) -> None:
    assert parse_period(typed, frequency) == start


def test_a_period_not_understood_is_refused_with_the_form_to_use() -> None:
    with pytest.raises(Invalid) as refused:
        parse_period("2026-W48", "monthly")
    assert refused.value.hint == "Write it like `period:2026-11` or `period:nov-2026`."


def test_periods_are_named_as_typed_and_as_read() -> None:
    november = date(2026, 11, 1)
    assert (period_key(november, "monthly"), period_name(november, "monthly")) == (
        "2026-11",
        "Nov 2026",
    )
    assert period_key(date(2026, 11, 23), "weekly") == "2026-W48"
    assert period_name(date(2026, 7, 1), "quarterly") == "Jul–Sep 2026"


def test_the_period_due_is_the_last_one_ended_and_late_after_the_grace() -> None:
    assert due_period(date(2026, 11, 23), "monthly") == date(2026, 10, 1)
    assert due_period(date(2026, 11, 23), "quarterly") == date(2026, 7, 1)
    assert not is_value_late(date(2026, 10, 1), "monthly", 5, date(2026, 11, 5))
    assert is_value_late(date(2026, 10, 1), "monthly", 5, date(2026, 11, 6))


def test_this_period_takes_a_value_but_a_later_one_does_not() -> None:
    refuse_future(date(2026, 11, 1), "monthly", date(2026, 11, 23))
    with pytest.raises(Invalid, match="Dec 2026 hasn't started yet"):
        refuse_future(date(2026, 12, 1), "monthly", date(2026, 11, 23))


@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [("9.2", "%", 9.2), ("9.2%", "%", 9.2), ("£12,500", "£", 12500), ("-300", "£", -300)],
)
def test_values_are_read_with_their_units_symbols(typed: str, unit: str, value: float) -> None:
    assert read_value(typed, unit) == value


@pytest.mark.parametrize(
    ("typed", "unit", "said"),
    [
        ("nan", "%", "isn't a number"),
        ("inf", "count", "isn't a number"),
        ("1e3", "count", "isn't a number"),
        ("100.5", "%", "must be from 0 to 100"),
        ("-1", "%", "must be from 0 to 100"),
        ("-2", "days", "can't be below zero"),
    ],
)
def test_bad_values_are_refused(typed: str, unit: str, said: str) -> None:
    with pytest.raises(Invalid, match=said):
        read_value(typed, unit)


def test_values_are_written_as_a_board_paper_prints_them() -> None:
    values = [(9.2, "%"), (12500, "£"), (-300, "£"), (38, "days")]
    assert [format_value(v, u) for v, u in values] == ["9.2%", "£12,500", "-£300", "38 days"]
