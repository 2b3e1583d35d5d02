"""Dates as busy NHS staff type them: `2027-03-31`, `31/3/27`, `31 Mar`, `friday`, `+2w`, `Q3`.

Everything govbot shows reads back in: its own `Fri 4 Dec 2026`, and `Friday 4th December`.

Rules that a reader might otherwise guess at:

- Day-first always (UK): `03/04/2027` is 3 April. A two-digit year means 20yy.
- A day and month with no year (`31 Mar`, `Mar 31`, `31/3`) is the next such date on or
  after today, so typing today's day and month gives today.
- A weekday (`friday`, `fri`, `this friday`) is the first such day strictly after today:
  `friday` typed on a Friday means a week away. `next friday` is the Friday of next week
  (weeks start on Monday), as British speakers use it: typed on Wednesday 2 June it is
  Friday 11 June, not Friday 4 June.
- `+1m` and `+1y` move by calendar months and years, clamped to the month's end
  (31 Jan + 1m = 28 or 29 Feb).
- `end of month`/`eom`, `end of quarter`/`eoq` (calendar quarters: Mar, Jun, Sep, Dec) and
  `end of year`/`eoy` may be today itself when today is that last day.
- A weekday before a date (`Fri 4 Dec 2026`) must be that date's weekday, else it is refused.
- `w/c 7 Dec` (week commencing; also `w/b`, `week of`) is the Monday of that week.
- `end of March` is the last day of the next March (today, on 31 March).
- `31st` (or `the 31st`) is the next 31st of a month on or after today.
- `Q1`…`Q4` (or `end of Q1`) are the ends of the UK financial year's quarters: Q1 ends
  30 June, Q2 30 September, Q3 31 December, Q4 31 March; the next such day on or after today.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from governance.errors import Invalid

DATE_HINT = (
    "Try 2027-03-31, 31 Mar, friday, +2w or Q4 "
    "(financial quarters: Q1 ends 30 Jun, Q2 30 Sep, Q3 31 Dec, Q4 31 Mar)."
)
# The most words one date takes: `week commencing 7 Dec 2026`, `Friday 4th of December 2026`.
MAX_DATE_WORDS = 5

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}

# Patterns match the normalised text: lower case, single spaces, commas removed.
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.ASCII)
_DAY_FIRST_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?", re.ASCII)
_DAY_MONTH = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[ /-]?(?:of )?([a-z]+)\.?(?:[ /-](\d{4}|\d{2}))?", re.ASCII
)
_MONTH_DAY = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", re.ASCII)
_RELATIVE = re.compile(
    r"(?:\+ ?|in )(\d{1,6}) ?"
    r"(d|days?|w|wks?|weeks?|m|mos?|mths?|months?|y|yrs?|years?)",
    re.ASCII,
)
_WEEKDAY = re.compile(r"(?:(this|next) )?([a-z]+)")
_END_OF = re.compile(r"end of (?:the )?(month|quarter|year)|eo(m|q|y)")
_END_OF_MONTH = re.compile(r"end of ([a-z]+)\.?(?: (\d{4}))?", re.ASCII)
_ORDINAL = re.compile(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)", re.ASCII)
_QUARTER = re.compile(r"(?:end of )?q([1-4])")
_WEEKDAY_FIRST = re.compile(r"([a-z]+)\.? (.+)")
_WEEK_COMMENCING = re.compile(r"(?:w/c|wc|w/b|wb|week (?:commencing|beginning|of)) (.+)")
# The month and day each financial quarter ends (UK: the year starts on 1 April).
QUARTER_ENDS = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}
# Any day serves for telling whether text is shaped like a date.
_ANY_DAY = date(2001, 1, 1)

_TRAILING = ".,;:!?"


def parse_date(text: str, today: date) -> date:
    """Read a date as typed; `today` is the current date in the plan's timezone.

    Raises Invalid, naming what was typed, for anything unreadable or impossible (31 Feb).
    """
    shown = _shown(text)
    normalised = _normalise(text)
    if not normalised:
        raise Invalid("Please give a date.", hint=DATE_HINT)
    try:
        return _parse(normalised, today, shown)
    except OverflowError:
        # Arithmetic past year 9999 (e.g. +999999d) is a date no plan can hold.
        raise Invalid(f"“{shown}” is further away than I can count.", hint=DATE_HINT) from None


def is_date(text: str) -> bool:
    """Whether `text` is written as a date, possibly an impossible one (`31 Feb` is)."""
    normalised = _normalise(text)
    if not normalised:
        return False
    try:
        _parse(normalised, _ANY_DAY, _shown(text))
    except _Unreadable:
        return False
    except (Invalid, OverflowError):
        return True
    return True


class _Unreadable(Invalid):
    """Text not written as any date at all."""


def _parse(text: str, today: date, shown: str) -> date:
    if text.count(" ") >= MAX_DATE_WORDS:
        raise _Unreadable(f"I couldn't read “{shown}” as a date.", hint=DATE_HINT)
    if text == "today":
        return today
    if text in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if match := _ISO.fullmatch(text):
        year, month, day = (int(group) for group in match.groups())
        return _exact(year, month, day, shown)
    if match := _DAY_FIRST_NUMERIC.fullmatch(text):
        day, month = int(match[1]), int(match[2])
        if match[3] is None:
            return _next_occurrence(month, day, today, shown)
        return _exact(_full_year(match[3]), month, day, shown)
    if (match := _DAY_MONTH.fullmatch(text)) and match[2] in MONTHS:
        day, month = int(match[1]), MONTHS[match[2]]
        if match[3] is None:
            return _next_occurrence(month, day, today, shown)
        return _exact(_full_year(match[3]), month, day, shown)
    if (match := _MONTH_DAY.fullmatch(text)) and match[1] in MONTHS:
        month, day = MONTHS[match[1]], int(match[2])
        if match[3] is None:
            return _next_occurrence(month, day, today, shown)
        return _exact(int(match[3]), month, day, shown)
    if match := _RELATIVE.fullmatch(text):
        return _add(today, int(match[1]), match[2][0])
    if (match := _WEEKDAY.fullmatch(text)) and match[2] in WEEKDAYS:
        return _weekday(today, WEEKDAYS[match[2]], following_week=match[1] == "next")
    if match := _END_OF.fullmatch(text):
        return _end_of(today, match[1] or {"m": "month", "q": "quarter", "y": "year"}[match[2]])
    if (match := _END_OF_MONTH.fullmatch(text)) and match[1] in MONTHS:
        month = MONTHS[match[1]]
        if match[2] is not None:
            year = int(match[2])
            return _exact(year, month, calendar.monthrange(year, month)[1], shown)
        return _next_month_end(month, today)
    if match := _QUARTER.fullmatch(text):
        month, day = QUARTER_ENDS[int(match[1])]
        return _next_occurrence(month, day, today, shown)
    if match := _ORDINAL.fullmatch(text):
        return _next_day_of_month(int(match[1]), today, shown)
    if match := _WEEK_COMMENCING.fullmatch(text):
        this_monday = today - timedelta(days=today.weekday())
        in_week = _parse(match[1], this_monday, shown)
        return in_week - timedelta(days=in_week.weekday())
    if (
        (match := _WEEKDAY_FIRST.fullmatch(text))
        and match[1] in WEEKDAYS
        and match[2].partition(" ")[0] not in WEEKDAYS
    ):
        return _on_weekday(_parse(match[2], today, shown), WEEKDAYS[match[1]], shown)
    raise _Unreadable(f"I couldn't read “{shown}” as a date.", hint=DATE_HINT)


def _normalise(text: str) -> str:
    words = text.lower().replace(",", " ").split()
    return " ".join(words).rstrip(_TRAILING).rstrip()


def _shown(text: str) -> str:
    """What was typed, trimmed so an error message stays short."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _full_year(typed: str) -> int:
    return 2000 + int(typed) if len(typed) == 2 else int(typed)


def _exact(year: int, month: int, day: int, shown: str) -> date:
    if not 1 <= month <= 12:
        raise Invalid(f"“{shown}” has no month {month}; months run 1 to 12.", hint=DATE_HINT)
    if year < 1:
        raise Invalid(f"“{shown}” is not a year I can use.", hint=DATE_HINT)
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        raise Invalid(
            f"There is no {day} {calendar.month_name[month]} {year} (you typed “{shown}”).",
            hint=DATE_HINT,
        )
    return date(year, month, day)


def _next_occurrence(month: int, day: int, today: date, shown: str) -> date:
    """The first date with this day and month on or after today (29 Feb waits for a leap year)."""
    if not 1 <= month <= 12:
        raise Invalid(f"“{shown}” has no month {month}; months run 1 to 12.", hint=DATE_HINT)
    longest = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if day < 1 or day > longest:
        raise Invalid(
            f"There is no {day} {calendar.month_name[month]} (you typed “{shown}”).",
            hint=DATE_HINT,
        )
    # A leap day recurs within 8 years; every other day within 1.
    for year in range(today.year, min(today.year + 9, date.max.year + 1)):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return candidate
    raise OverflowError


def _next_month_end(month: int, today: date) -> date:
    year = today.year
    if date(year, month, calendar.monthrange(year, month)[1]) < today:
        year += 1
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_day_of_month(day: int, today: date, shown: str) -> date:
    """The first date on or after today that is the `day`th of its month."""
    if not 1 <= day <= 31:
        raise Invalid(f"No month has a day {day} (you typed “{shown}”).", hint=DATE_HINT)
    year, month = today.year, today.month
    # Every day up to the 31st comes round within three months (31 Jan, then 31 Mar).
    for _ in range(3):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= today:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise OverflowError


def _on_weekday(day: date, weekday: int, shown: str) -> date:
    """`day`, once it is checked to fall on the weekday typed with it."""
    if day.weekday() != weekday:
        raise Invalid(
            f"{day.day} {day:%B %Y} is a {day:%A}, not a {calendar.day_name[weekday]} "
            f"(you typed “{shown}”).",
            hint=DATE_HINT,
        )
    return day


def _add(today: date, amount: int, unit: str) -> date:
    if unit == "d":
        return today + timedelta(days=amount)
    if unit == "w":
        return today + timedelta(weeks=amount)
    months = amount if unit == "m" else amount * 12
    index = today.year * 12 + (today.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if year > date.max.year:
        raise OverflowError
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _weekday(today: date, weekday: int, *, following_week: bool) -> date:
    if following_week:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=ahead)


def _end_of(today: date, period: str) -> date:
    if period == "month":
        month = today.month
    elif period == "quarter":
        month = (today.month - 1) // 3 * 3 + 3
    else:
        month = 12
    return date(today.year, month, calendar.monthrange(today.year, month)[1])
