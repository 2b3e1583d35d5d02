"""Validated inputs for the measure use cases.

Values and periods stay as the user typed them until the use case knows the measure's unit
and frequency; units, directions and frequencies are checked here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator

from governance.inputs import Input
from governance.measures.rules import BETTER, FREQUENCIES, GRACE_DAYS_MAX, UNITS
from governance.parsing.references import parse_ref

NAME_MAX = 200
SOURCE_MAX = 200
NOTE_MAX = 3000
VALUE_TEXT_MAX = 40
BASELINE_MAX = 120
FORM_MEASURES_MAX = 40


def _measure_number(value: object) -> object:
    return parse_ref(value, "M") if isinstance(value, str) else value


def _one_of(choices: tuple[str, ...], what: str):  # type: ignore[no-untyped-def]
    typed = ", ".join(choices)

    def read(value: object) -> object:
        if value is None:
            return None
        text = str(value).strip()
        for choice in choices:
            if text.lower() == choice.lower():
                return choice
        raise ValueError(f"must be one of: {typed} (not “{text}”); it is the {what}")

    return BeforeValidator(read)


MeasureNumber = Annotated[int, BeforeValidator(_measure_number), Field(ge=1)]
Unit = Annotated[str, _one_of(UNITS, "measure's unit")]
BetterWay = Annotated[str, _one_of(BETTER, "direction that is better")]
Frequency = Annotated[str, _one_of(FREQUENCIES, "how often it is measured")]
ValueText = Annotated[str, Field(min_length=1, max_length=VALUE_TEXT_MAX)]


class MeasureAdd(Input):
    """`measure add "Name" unit:% better:down [target:8] [preset:x] [partner:"Org"] …`."""

    plan_id: int | None = None
    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    preset: str | None = None
    unit: Unit | None = None
    better: BetterWay | None = None
    target: ValueText | None = None
    frequency: Frequency | None = None
    source: str | None = Field(None, max_length=SOURCE_MAX)
    partner: str | None = None
    function: str | None = None
    owner_id: str | None = None
    baseline: int | None = Field(None, ge=2, le=BASELINE_MAX)


class MeasureRecord(Input):
    """`measure record M-1 9.2 [period:2026-11] ["note"]`."""

    plan_id: int | None = None
    number: MeasureNumber
    value: ValueText
    period: str | None = None
    note: str = Field("", max_length=NOTE_MAX)


class MeasureFormRecord(Input):
    """The monthly form: a value typed (or left blank) for each measure, by its number."""

    plan_id: int | None = None
    values: tuple[tuple[int, str], ...] = Field(max_length=FORM_MEASURES_MAX)
    period: str | None = None

    @field_validator("values")
    @classmethod
    def _typed_only(cls, values: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
        return tuple((number, text.strip()) for number, text in values if text and text.strip())


class MeasureList(Input):
    """`measure list [retired|all]`."""

    plan_id: int | None = None
    shown: Literal["active", "retired", "all"] = "active"


class MeasureShow(Input):
    plan_id: int | None = None
    number: MeasureNumber


class MeasureRebase(Input):
    """`measure rebase M-1 from:2026-04 "why"`."""

    plan_id: int | None = None
    number: MeasureNumber
    period: str = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=NOTE_MAX)


class MeasureRetire(Input):
    """`measure retire M-1 ["why"]`."""

    plan_id: int | None = None
    number: MeasureNumber
    note: str = Field("", max_length=NOTE_MAX)


class MeasureGrace(Input):
    """`measure grace 5`: days after a period ends before a missing value is nudged for."""

    plan_id: int | None = None
    days: int = Field(ge=0, le=GRACE_DAYS_MAX)
