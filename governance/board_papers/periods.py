"""A board paper's reporting period: a calendar month on the plan's clock (`2026-11`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from governance.errors import Invalid
from governance.jobs.schedule import local_moment

MONTH_FORM = "month:2026-11 (a year and a month)"
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month: from its first day up to (not including) the next month's."""

    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def name(self) -> str:
        return f"{self.start:%B %Y}"

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        return self.following.start

    @property
    def following(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def preceding(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def starts_at(self, timezone: str) -> datetime:
        """The instant the period begins on the plan's clock (in UTC)."""
        return local_moment(self.start, time(0), timezone)

    def ends_at(self, timezone: str) -> datetime:
        return local_moment(self.end, time(0), timezone)


def period_of(day: date) -> Period:
    return Period(day.year, day.month)


def read_period(text: str) -> Period:
    """`2026-11` as a Period, or a refusal showing the form."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise Invalid(f"“{shown}” is not a month.", hint=f"Give it like `{MONTH_FORM}`.")
    return Period(int(match[1]), int(match[2]))
