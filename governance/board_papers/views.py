"""Plain data a board paper is drawn from.

`Figures` is what a paper stores (JSON, through pydantic) and re-reads to reproduce itself;
`BoardPaperView` is one paper as made: its figures, the previous paper's to show change,
and what is read live (the "you said, we did" answers, the measures' charts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from governance.actions.status import ActionStatus
from governance.board_papers.periods import Period
from governance.feedback.views import FeedbackView
from governance.measures.views import MeasureView
from governance.risks.rules import RiskGrade

# Sections of the issue whose concept has not landed yet: left out, and named in the
# closing note, never faked.
NOT_YET_LANDED = ("Issues and decisions",)

T = TypeVar("T")


class _Stored(BaseModel):
    model_config = ConfigDict(frozen=True)


class PaperAction(_Stored):
    ref: str
    title: str
    owner_id: str | None
    status: ActionStatus
    due_date: date | None
    overdue: bool
    completed_on: date | None = None


class PaperFunction(_Stored):
    """A people function's actions by status; `number` None gathers actions with none."""

    number: int | None
    name: str
    counts: dict[ActionStatus, int]
    percent_complete: int | None
    active: int
    gap: bool


class PaperShare(_Stored):
    partner: str
    percent: int
    lead: bool


class PaperRisk(_Stored):
    ref: str
    title: str
    owner_id: str | None
    likelihood: int
    impact: int
    score: int
    grade: RiskGrade
    target_score: int | None
    review_date: date | None
    mitigation: str
    shares: tuple[PaperShare, ...]


class PaperWin(_Stored):
    ref: str
    text: str
    function_name: str | None


class PaperChallenge(_Stored):
    subject_ref: str
    subject_title: str
    question: str
    asked_on: date


class PaperCount(_Stored):
    """A feedback group's count as the digest shows it: a number, or "fewer than 5"."""

    label: str
    shown: str


class PaperFeedback(_Stored):
    threshold: int
    total: PaperCount
    by_source: tuple[PaperCount, ...]
    by_function: tuple[PaperCount, ...]


class PaperMeasure(_Stored):
    ref: str
    title: str
    latest: str | None
    latest_period: str | None
    variation: str | None
    assurance: str | None
    target: str


class Listed(_Stored, Generic[T]):
    """The first few of a list, and how many there are in all."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


class Figures(_Stored):
    """Everything a paper says, as it was when the paper was made."""

    period: str
    made_at: datetime
    draft: bool
    actions_by_status: dict[ActionStatus, int]
    percent_complete: int | None
    overdue: int
    red: int
    functions: tuple[PaperFunction, ...]
    risks_by_grade: dict[RiskGrade, int]
    targets_by_grade: dict[RiskGrade, int]
    # Open risks by likelihood (rows, 1-5) and impact (columns, 1-5).
    heat: tuple[tuple[int, ...], ...]
    top_risks: Listed[PaperRisk]
    wins: Listed[PaperWin]
    completed: Listed[PaperAction]
    attention: Listed[PaperAction]
    challenges: Listed[PaperChallenge]
    feedback: PaperFeedback
    measures: tuple[PaperMeasure, ...]

    @property
    def actions_total(self) -> int:
        return sum(n for s, n in self.actions_by_status.items() if s is not ActionStatus.CANCELLED)

    @property
    def open_risks(self) -> int:
        return sum(self.risks_by_grade.values())

    @property
    def gaps(self) -> tuple[PaperFunction, ...]:
        return tuple(f for f in self.functions if f.gap)

    def counted(self) -> dict[str, int]:
        """The summary's numbers by name, which the next paper compares itself with."""
        return {
            **{f"actions:{s.value}": n for s, n in self.actions_by_status.items()},
            "actions": self.actions_total,
            "percent-complete": self.percent_complete or 0,
            "overdue": self.overdue,
            "red": self.red,
            "risks": self.open_risks,
            **{f"risks:{g.value}": n for g, n in self.risks_by_grade.items()},
        }


@dataclass(frozen=True)
class BoardPaperView:
    """One board paper for one plan and period, ready to draw."""

    plan_id: int
    plan_name: str
    partners: tuple[str, ...]
    timezone: str
    board_channel_id: str | None
    period: Period
    figures: Figures
    # The latest earlier paper's figures, to show change; None for the first.
    previous: Figures | None
    previous_period: str | None
    # Whether this reader may read feedback text ("you said, we did"), by /feedback list's rule.
    with_feedback_text: bool
    answers: tuple[FeedbackView, ...]
    # The active measures with their points up to the period's end, for the charts.
    measures: tuple[MeasureView, ...]
    # True when these figures were read back from the paper already made for the period.
    reproduced: bool = False
    left_out: tuple[str, ...] = NOT_YET_LANDED
    key: str | None = None
    kind: str = field(default="board-paper")

    @property
    def draft(self) -> bool:
        return self.figures.draft

    @property
    def filename(self) -> str:
        draft = "-draft" if self.draft else ""
        return f"board-paper-{self.period.key}{draft}.pdf"

    @property
    def title(self) -> str:
        return f"{self.plan_name}: board paper, {self.period.name}" + (
            " (draft)" if self.draft else ""
        )

    def change(self, name: str) -> int | None:
        """How much a summary number moved since the previous paper; None for the first."""
        if self.previous is None:
            return None
        return self.figures.counted().get(name, 0) - self.previous.counted().get(name, 0)

    @property
    def recipient(self) -> str:
        return self.board_channel_id or ""

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return (self.key,) if self.key else ()

    def only(self, keys: tuple[str, ...]) -> BoardPaperView | None:
        return self if self.claim_keys and set(self.claim_keys) <= set(keys) else None
