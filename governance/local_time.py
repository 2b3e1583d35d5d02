"""Instants as the people of a plan read them: on the plan's wall clock, never in UTC.

Instants are stored in UTC. Every view a use case hands out carries them converted with
`local_time`, so a date or time shown from a view is the plan's (Europe/London by default,
clock changes included): an update made at 23:30 UTC on 30 June was made on 1 July.
"""

from __future__ import annotations

from datetime import datetime
from typing import overload
from zoneinfo import ZoneInfo


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
    return instant.astimezone(ZoneInfo(timezone))
