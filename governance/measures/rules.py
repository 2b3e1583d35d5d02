"""The rules of measures: their units and frequencies, which period a value is for and
which one is due, and what a valid value is."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from governance.errors import Invalid
from governance.plans.roles import PlanRole

UNITS = ("%", "count", "£", "days", "FTE", "score")
BETTER = ("up", "down", "neither")
FREQUENCIES = ("monthly", "weekly", "quarterly")
MEASURE_KEEPERS = (PlanRole.LEAD, PlanRole.CHAIR, PlanRole.DATA_LEAD)
GRACE_DAYS_MAX = 60
# Units whose values can't be below zero.
NOT_NEGATIVE = ("%", "count", "days", "FTE")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_YEAR = re.compile(r"([a-z]+)[ -]?(\d{4})")
_SLASH_MONTH = re.compile(r"(\d{1,2})/(\d{4})")
_ISO_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?q([1-4])")
_FORMS = {
    "monthly": "`period:2026-11` or `period:nov-2026`",
    "weekly": "`period:2026-W48` or a day in the week, `period:2026-11-23`",
    "quarterly": "`period:2026-Q3` (July to September)",
}


def period_of(day: date, frequency: str) -> date:
    """The first day of the period `day` falls in (weeks start on Monday)."""
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def next_period(start: date, frequency: str) -> date:
    if frequency == "weekly":
        return start + timedelta(days=7)
    months = 3 if frequency == "quarterly" else 1
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def previous_period(start: date, frequency: str) -> date:
    return period_of(start - timedelta(days=1), frequency)


def period_end(start: date, frequency: str) -> date:
    """The last day of the period starting on `start`."""
    return next_period(start, frequency) - timedelta(days=1)


def due_period(today: date, frequency: str) -> date:
    """The period whose value is due now: the last one that has ended."""
    return previous_period(period_of(today, frequency), frequency)


def is_value_late(start: date, frequency: str, grace_days: int, today: date) -> bool:
    """Whether a value for the period is late: more than `grace_days` after it ended."""
    return today > period_end(start, frequency) + timedelta(days=grace_days)


@lru_cache(maxsize=8192)
def period_key(start: date, frequency: str) -> str:
    """The period as it is typed: `2026-11`, `2026-W48`, `2026-Q3`."""
    if frequency == "weekly":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == "quarterly":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


@lru_cache(maxsize=8192)
def period_name(start: date, frequency: str) -> str:
    """The period as people read it: `Nov 2026`, `w/c 23 Nov 2026`, `Jul–Sep 2026`."""
    if frequency == "weekly":
        return f"w/c {start.day} {start:%b %Y}"
    if frequency == "quarterly":
        last = period_end(start, frequency)
        return f"{start:%b}–{last:%b %Y}"
    return f"{start:%b %Y}"


def parse_period(text: str, frequency: str) -> date:
    """The first day of the period typed, in the measure's frequency."""
    folded = text.strip().lower()
    try:
        if match := _ISO_DAY.fullmatch(folded):
            return period_of(date(int(match[1]), int(match[2]), int(match[3])), frequency)
        if frequency == "weekly" and (match := _ISO_WEEK.fullmatch(folded)):
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        if frequency == "quarterly" and (match := _QUARTER.fullmatch(folded)):
            return date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
        month = _month(folded)
        if month is not None and frequency != "weekly":
            return period_of(month, frequency)
    except ValueError:
        pass
    raise Invalid(
        f"I couldn't read the period “{text}” for a {frequency} measure.",
        hint=f"Write it like {_FORMS.get(frequency, _FORMS['monthly'])}.",
    )


def _month(folded: str) -> date | None:
    if match := _ISO_MONTH.fullmatch(folded):
        return date(int(match[1]), int(match[2]), 1)
    if match := _SLASH_MONTH.fullmatch(folded):
        return date(int(match[2]), int(match[1]), 1)
    if (match := _MONTH_YEAR.fullmatch(folded)) and match[1][:3] in _MONTHS:
        return date(int(match[2]), _MONTHS.index(match[1][:3]) + 1, 1)
    return None


def refuse_future(start: date, frequency: str, today: date) -> None:
    """A value is for this period or an earlier one, never a period still to come."""
    if start > period_of(today, frequency):
        due = period_key(due_period(today, frequency), frequency)
        raise Invalid(
            f"{period_name(start, frequency)} hasn't started yet, so it can't have a value.",
            hint=f"Give this period or an earlier one, like `period:{due}`.",
        )


def read_value(text: str, unit: str) -> float:
    """The number typed for a measure in `unit` (`9.2`, `9.2%`, `£12,500`), checked."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if unit == "%":
        cleaned = cleaned.removesuffix("%")
    if unit == "£":
        cleaned = cleaned.replace("£", "", 1)
    if not _NUMBER.fullmatch(cleaned):
        shown = text if len(text) <= 30 else text[:29] + "…"
        raise Invalid(
            f"“{shown}” isn't a number.",
            hint=f"Give the value as a number, like `{_example(unit)}`.",
        )
    value = float(cleaned)
    if unit == "%" and not 0 <= value <= 100:
        raise Invalid(
            f"{format_value(value, unit)} isn't a percentage: it must be from 0 to 100.",
            hint="Give the percentage itself, like `9.2` for 9.2%.",
        )
    if unit in NOT_NEGATIVE and value < 0:
        raise Invalid(f"A value in {unit} can't be below zero.", hint=f"Like `{_example(unit)}`.")
    return value


def _example(unit: str) -> str:
    return {"%": "9.2", "£": "12500", "count": "42", "days": "38", "FTE": "12.5"}.get(unit, "7.1")


def format_value(value: float | None, unit: str) -> str:
    """A value as a board paper prints it: `9.2%`, `£12,500`, `38 days`, `12.5 FTE`."""
    if value is None:
        return ""
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    if number == "-0":
        number = "0"
    if unit == "%":
        return number + "%"
    if unit == "£":
        return ("-£" + number[1:]) if number.startswith("-") else "£" + number
    if unit in ("days", "FTE"):
        return f"{number} {unit}"
    return number
