"""Instants as the people of a plan read them: on the plan's wall clock, never in UTC.

Instants are stored in UTC. Every view a use case hands out carries them converted with
`local_time`, so a date or time shown from a view is the plan's (Europe/London by default,
clock changes included): an update made at 23:30 UTC on 30 June was made on 1 July. "Today"
is `local_today(now, plan.timezone)`, with the same argument order.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from governance.errors import Invalid


@cache
def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        shown = timezone if len(timezone) <= 40 else timezone[:39] + "…"
        raise Invalid(
            f"“{shown}” is not a timezone I know.", hint="Use a name like Europe/London."
        ) from None


def local_today(now: datetime, timezone: str) -> date:
    """The date on the wall clock of `timezone` at the aware instant `now` (right across
    clock changes): "today" for a plan, an owner or a lead."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("local_today needs a timezone-aware datetime")
    return now.astimezone(_zone(timezone)).date()


@overload
def local_time(instant: datetime, timezone: str) -> datetime: ...
@overload
def local_time(instant: None, timezone: str) -> None: ...
def local_time(instant: datetime | None, timezone: str) -> datetime | None:
    """The aware `instant` on the wall clock of `timezone` (None stays None)."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        raise ValueError("local_time needs a timezone-aware datetime")
    return instant.astimezone(_zone(timezone))
