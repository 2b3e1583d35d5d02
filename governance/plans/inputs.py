"""Validated inputs for plan use cases."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from governance.inputs import Input


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"“{value}” is not a timezone I know (try Europe/London)") from None
    return value


class PlanSetup(Input):
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Europe/London"

    _timezone = field_validator("timezone")(check_timezone)
