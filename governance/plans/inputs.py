"""Validated inputs for plan use cases.

Field names are the words people type (`sector`, `digest`, `days`), so a refusal names
the part of the command that was wrong.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from governance.actor import USER_ID
from governance.inputs import Input
from governance.plans.models import (
    FEEDBACK_RETENTION_MONTHS_RANGE,
    ISSUE_ESCALATION_DAYS_RANGE,
    SECTORS,
    WEEKDAYS,
)
from governance.plans.roles import PlanRole

CHANNEL_ID = r"^[CG][A-Z0-9]{1,31}$"
SECTOR_FORM = ", ".join(SECTORS[:-1]) + " or " + SECTORS[-1]
NONE_WORDS = ("none", "off", "clear", "no")

# What people call each sector, beyond its key; typos are caught by a close match.
_SECTOR_WORDS = {
    "nhs": "nhs",
    "nhs-trust": "nhs",
    "trust": "nhs",
    "icb": "nhs",
    "hospital": "nhs",
    "council": "council",
    "local-authority": "council",
    "la": "council",
    "social-care": "social-care",
    "socialcare": "social-care",
    "care": "social-care",
    "care-provider": "social-care",
    "adult-social-care": "social-care",
    "vcse": "vcse",
    "voluntary": "vcse",
    "voluntary-sector": "vcse",
    "charity": "vcse",
    "community": "vcse",
    "third-sector": "vcse",
    "primary-care": "primary-care",
    "primarycare": "primary-care",
    "primary": "primary-care",
    "gp": "primary-care",
    "gps": "primary-care",
    "general-practice": "primary-care",
    "pcn": "primary-care",
}

_WEEKDAY_WORDS = {
    **{key: key for key in WEEKDAYS},
    "monday": "mon",
    "tuesday": "tue",
    "tues": "tue",
    "wednesday": "wed",
    "weds": "wed",
    "thursday": "thu",
    "thur": "thu",
    "thurs": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}


def check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"“{value}” is not a timezone I know (try Europe/London)") from None
    return value


def parse_sector(text: str) -> str:
    """A sector key from the words people use: `NHS`, `social care`, `voluntary`, `counsil`."""
    word = re.sub(r"[\s_]+", "-", text.strip().lower())
    if word in _SECTOR_WORDS:
        return _SECTOR_WORDS[word]
    close = difflib.get_close_matches(word, list(_SECTOR_WORDS), n=1, cutoff=0.75)
    if close:
        return _SECTOR_WORDS[close[0]]
    raise ValueError(f"“{text}” is not a sector I know; use {SECTOR_FORM}")


def parse_weekday(text: str) -> str:
    """A weekday key (`mon`...`sun`) from `Mon`, `monday`, `thurs`."""
    key = _WEEKDAY_WORDS.get(text.strip().lower())
    if key is None:
        raise ValueError(f"“{text}” is not a day of the week (use {', '.join(WEEKDAYS)})")
    return key


def parse_clock_time(text: str) -> time:
    """A time of day typed as `09:00`, `9:00` or `17:30` (24-hour clock)."""
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"“{text}” is not a time of day; use the 24-hour clock, like 09:00")
    return time(int(match[1]), int(match[2]))


REPORT_ORDINALS = ("first", "second", "third", "fourth", "last")
REPORT_FORM = "first-mon@08:00 (first, second, third, fourth or last, a weekday and a time)"


@dataclass(frozen=True)
class ReportSchedule:
    """When the board paper is posted: the `ordinal` `weekday` of each month at `at`."""

    ordinal: str
    weekday: int
    at: time

    @property
    def setting(self) -> str:
        """In the form `plan settings report:` takes: `first-mon@08:00`."""
        return f"{self.ordinal}-{WEEKDAYS[self.weekday]}@{self.at:%H:%M}"


def parse_report_schedule(text: str) -> ReportSchedule:
    """`first-mon@08:00`, `last-fri@16:00`: a week of the month, a weekday and a time."""
    when, sep, at = text.strip().lower().partition("@")
    ordinal, dash, day = when.partition("-")
    if not sep or not dash:
        raise ValueError(f"“{text}” needs a week, a day and a time, like {REPORT_FORM}")
    if ordinal not in REPORT_ORDINALS:
        raise ValueError(f"“{ordinal}” is not a week of the month; use {REPORT_FORM}")
    return ReportSchedule(ordinal, WEEKDAYS.index(parse_weekday(day)), parse_clock_time(at))


def parse_working_days(text: str) -> tuple[str, ...]:
    """Working days from `mon,tue,thu` or a range `mon-fri`, in week order."""
    days: set[str] = set()
    for part in (p for p in re.split(r"[,\s]+", text.strip()) if p):
        if "-" in part:
            first, last = (WEEKDAYS.index(parse_weekday(end)) for end in part.split("-", 1))
            if first > last:
                raise ValueError(f"“{part}” runs backwards; write it like mon-fri")
            days.update(WEEKDAYS[first : last + 1])
        else:
            days.add(parse_weekday(part))
    if not days:
        raise ValueError("needs at least one working day, like mon,tue,thu")
    return tuple(day for day in WEEKDAYS if day in days)


class PlanSetup(Input):
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Europe/London"

    _timezone = field_validator("timezone")(check_timezone)


class PartnerAdd(Input):
    plan_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    sector: str

    @field_validator("sector")
    @classmethod
    def _sector(cls, value: str) -> str:
        return parse_sector(value)


class RoleChange(Input):
    plan_id: int | None = None
    user_id: str = Field(pattern=USER_ID, description="someone mentioned with @, like @Sam")
    role: PlanRole

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        word = re.sub(r"[\s_]+", "-", value.strip().lower())
        word = {"datalead": "data-lead", "plan-lead": "lead"}.get(word, word)
        if word not in set(PlanRole):
            raise ValueError(f"“{value}” is not a role; use chair, lead, data-lead or member")
        return PlanRole(word)


class PlanBoard(Input):
    plan_id: int | None = None
    channel_id: str = Field(
        pattern=CHANNEL_ID, description="a channel picked with #, like #people-board"
    )


class PlanSettingsChange(Input):
    """Plan settings as typed: `tz:Europe/London digest:mon@09:00 nudges:09:00 quiet:weekends
    anonymity:11` `retention:24m` (months feedback text is kept; `2y` is 24 months) `issues:14d`
    (days an issue may stay open before it goes to the leads; `2w` is 14 days).

    A field left out keeps its current value.
    """

    plan_id: int | None = None
    tz: str | None = None
    digest: tuple[int, time] | None = None
    nudges: time | None = None
    quiet: bool | None = None
    anonymity: int | None = Field(
        None, ge=5, le=20, description="the smallest group a report shows, 5 to 20"
    )
    retention: int | None = Field(
        None, ge=FEEDBACK_RETENTION_MONTHS_RANGE[0], le=FEEDBACK_RETENTION_MONTHS_RANGE[1]
    )
    # The board paper's schedule as `plan settings report:` shows it, or "none" for off.
    report: str | None = None
    issues: int | None = Field(
        None,
        ge=ISSUE_ESCALATION_DAYS_RANGE[0],
        le=ISSUE_ESCALATION_DAYS_RANGE[1],
        description="days an issue may stay open before the leads hear of it, 1 to 365",
    )

    _tz = field_validator("tz")(check_timezone)

    @field_validator("digest", mode="before")
    @classmethod
    def _digest(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        day, sep, at = value.partition("@")
        if not sep:
            raise ValueError(f"“{value}” needs a day and a time, like mon@09:00")
        return (WEEKDAYS.index(parse_weekday(day)), parse_clock_time(at))

    @field_validator("report", mode="before")
    @classmethod
    def _report(cls, value: object) -> object:
        if not isinstance(value, str) or value.strip().lower() in NONE_WORDS:
            return "none" if isinstance(value, str) else value
        return parse_report_schedule(value).setting

    @field_validator("nudges", mode="before")
    @classmethod
    def _nudges(cls, value: object) -> object:
        return parse_clock_time(value) if isinstance(value, str) else value

    @field_validator("quiet", mode="before")
    @classmethod
    def _quiet(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        word = value.strip().lower()
        if word in ("weekends", "weekend"):
            return True
        if word in NONE_WORDS:
            return False
        raise ValueError(f"“{value}” is not a quiet setting; use weekends or none")

    @field_validator("anonymity", mode="before")
    @classmethod
    def _anonymity(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError(f"“{value}” is not a whole number from 5 to 20")
        return value

    @field_validator("retention", mode="before")
    @classmethod
    def _retention(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        match = re.fullmatch(r"(\d{1,3})\s*(m|months?|y|years?)?", value.strip().lower())
        if not match:
            raise ValueError(
                f"“{value}” is not a period; give months or years, like 24m or 2y "
                "(1 month to 10 years)"
            )
        number = int(match[1])
        return number * 12 if (match[2] or "m").startswith("y") else number

    @field_validator("issues", mode="before")
    @classmethod
    def _issues(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        match = re.fullmatch(r"(\d{1,3})\s*(d|days?|w|weeks?)?", value.strip().lower())
        if not match:
            raise ValueError(
                f"“{value}” is not a number of days; give days or weeks, like 14d or 2w "
                "(1 day to 365 days)"
            )
        number = int(match[1])
        return number * 7 if (match[2] or "d").startswith("w") else number

    @property
    def is_empty(self) -> bool:
        values = (
            self.tz,
            self.digest,
            self.nudges,
            self.quiet,
            self.anonymity,
            self.retention,
            self.issues,
            self.report,
        )
        return all(v is None for v in values)


class MemberSettingsChange(Input):
    """A person's own working pattern: `days:mon,tue,thu away:2026-12-24|none tz:Europe/London`.

    `away` stays text: the use case reads it as a date in the person's timezone.
    A field left out keeps its current value; `none` clears `away` and `tz`.
    """

    plan_id: int | None = None
    days: tuple[str, ...] | None = None
    away: str | None = Field(None, min_length=1, max_length=40)
    tz: str | None = None

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            value = ",".join(str(day) for day in value)
        return parse_working_days(value) if isinstance(value, str) else value

    @field_validator("tz")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return "none" if value.lower() in NONE_WORDS else check_timezone(value)

    @property
    def is_empty(self) -> bool:
        return self.days is None and self.away is None and self.tz is None
