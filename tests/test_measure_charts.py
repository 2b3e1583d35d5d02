"""Measure charts are real PNGs that mark special cause by colour and by shape."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from documents.measure_chart import (
    MARKERS,
    concern_chart_png,
    measure_chart_alt_text,
    measure_chart_png,
)
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.measures.inputs import MeasureAdd, MeasureRecord, MeasureShow
from governance.measures.spc import Variation
from governance.measures.use_cases import add_measure, record_value, show_measure
from governance.measures.views import MeasureView
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock

LEAD = Actor("T0GOVBOT", "U0LEAD", "C0PLAN")
STEADY = [8.4, 8.7, 8.2, 8.6, 8.9, 8.3, 8.5, 8.8, 8.1, 8.6, 8.4, 8.7, 8.3, 8.6, 8.5, 8.2]
RISING = [9.6, 9.9, 10.1, 10.4, 10.2, 10.6, 10.9, 11.3]


def measure_with(uow: UnitOfWork, clock: Clock, values: list[float]) -> MeasureView:
    setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    add_measure(uow, LEAD, validate(MeasureAdd, preset="vacancy-rate", target="9"))
    clock.set(datetime(2026, 11, 23, 10, tzinfo=UTC))
    for index, value in enumerate(values):
        month = f"{2024 + index // 12}-{index % 12 + 1:02d}"
        record_value(
            uow, LEAD, validate(MeasureRecord, number="M-1", value=str(value), period=month)
        )
    return show_measure(uow, LEAD, validate(MeasureShow, number="M-1"))


def pixels_near(png: bytes, colour: str) -> int:
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    raw = image.tobytes()
    return sum(
        1 for i in range(0, len(raw), 3) if all(abs(raw[i + k] - target[k]) < 12 for k in range(3))
    )


def test_a_chart_is_a_png_of_a_readable_size(uow: UnitOfWork, clock: Clock) -> None:
    png = measure_chart_png(measure_with(uow, clock, STEADY))
    image = Image.open(io.BytesIO(png))
    image.verify()
    assert image.format == "PNG" and image.size == (900, 480)


def test_concern_is_drawn_orange_only_when_there_is_concern(uow: UnitOfWork, clock: Clock) -> None:
    orange = MARKERS[Variation.CONCERN][0]
    steady = measure_with(uow, clock, STEADY)
    assert steady.variation is Variation.COMMON_CAUSE
    assert pixels_near(measure_chart_png(steady), orange) == 0
    concern = record_all(uow, RISING, start=len(STEADY))
    assert concern.variation is Variation.CONCERN
    assert pixels_near(measure_chart_png(concern), orange) > 100


def test_each_reading_has_its_own_marker_shape_and_legend_words() -> None:
    shapes = [marker for _, marker, _ in MARKERS.values()]
    words = [label for _, _, label in MARKERS.values()]
    assert len(set(shapes)) == len(shapes) == len(set(words)) == len(Variation)


def test_the_alt_text_says_the_reading_and_the_limits(uow: UnitOfWork, clock: Clock) -> None:
    measure_with(uow, clock, STEADY)
    concern = record_all(uow, RISING, start=len(STEADY))
    words = measure_chart_alt_text(concern)
    assert "special cause concern" in words and "process limits" in words
    assert "Target 9%" in words


def test_the_digest_chart_of_concern_measures_is_one_png(uow: UnitOfWork, clock: Clock) -> None:
    measure_with(uow, clock, STEADY)
    concern = record_all(uow, RISING, start=len(STEADY))
    image = Image.open(io.BytesIO(concern_chart_png([concern, concern, concern])))
    image.verify()
    assert image.format == "PNG" and image.size[0] == 1200


def record_all(uow: UnitOfWork, values: list[float], *, start: int) -> MeasureView:
    for index, value in enumerate(values, start=start):
        month = f"{2024 + index // 12}-{index % 12 + 1:02d}"
        record_value(
            uow, LEAD, validate(MeasureRecord, number="M-1", value=str(value), period=month)
        )
    return show_measure(uow, LEAD, validate(MeasureShow, number="M-1"))
