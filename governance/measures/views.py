"""Plain data the measure use cases hand back for rendering and drawing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.measures.spc import Assurance, Rule, Variation


@dataclass(frozen=True)
class MeasurePointView:
    """One period's value with the SPC reading of it and the limits of its segment."""

    period_start: date
    period_key: str
    period_name: str
    value: float
    value_text: str
    note: str
    mean: float
    lower: float | None
    upper: float | None
    rules: tuple[Rule, ...]
    variation: Variation
    assurance: Assurance | None
    starts_segment: bool
    corrections: int


@dataclass(frozen=True)
class MeasureRebaseView:
    period_key: str
    period_name: str
    reason: str
    rebased_by: str
    rebased_at: datetime


@dataclass(frozen=True)
class MeasureView:
    """A measure `M-<n>` with every value read as an XmR chart."""

    plan_id: int
    plan_name: str
    ref: str
    name: str
    unit: str
    better: str
    target: float | None
    target_text: str
    frequency: str
    source: str
    partner: str | None
    function_key: str | None
    function_name: str | None
    owner_id: str | None
    baseline: int | None
    status: str
    points: tuple[MeasurePointView, ...]
    variation: Variation | None
    assurance: Assurance | None
    reliable: bool
    limit_points: int
    rebases: tuple[MeasureRebaseView, ...]
    due_period_key: str
    due_period_name: str
    due_missing: bool

    @property
    def latest(self) -> MeasurePointView | None:
        return self.points[-1] if self.points else None

    @property
    def title(self) -> str:
        """The name with the partner it is about, as lists and charts show it."""
        return f"{self.name} ({self.partner})" if self.partner else self.name

    def recent(self, count: int) -> tuple[MeasurePointView, ...]:
        return self.points[-count:]


@dataclass(frozen=True)
class MeasureRecordedView:
    """A value recorded; `previous_text` is the value it corrected, if it was a correction."""

    measure: MeasureView
    period_key: str
    period_name: str
    value_text: str
    previous_text: str | None
    unchanged: bool = False


@dataclass(frozen=True)
class MeasureFormRecordedView:
    """The monthly form's values, all recorded in one transaction."""

    plan_id: int
    plan_name: str
    recorded: tuple[MeasureRecordedView, ...]


@dataclass(frozen=True)
class MeasureListView:
    plan_id: int
    plan_name: str
    shown: str
    measures: tuple[MeasureView, ...]


@dataclass(frozen=True)
class MeasureFormLineView:
    number: int
    ref: str
    title: str
    unit: str
    frequency: str
    last_value_text: str | None
    last_period_name: str | None
    due_period_key: str
    due_period_name: str
    due_value_text: str | None


@dataclass(frozen=True)
class MeasureFormView:
    """What the monthly form offers: every active measure with its last value."""

    plan_id: int
    plan_name: str
    lines: tuple[MeasureFormLineView, ...]


@dataclass(frozen=True)
class MeasureGraceView:
    plan_name: str
    days: int
