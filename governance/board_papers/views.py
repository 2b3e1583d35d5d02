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
from governance.decisions.rules import DecisionStatus
from governance.dependencies.rules import BlockReason
from governance.feedback.views import FeedbackView
from governance.measures.views import MeasureView
from governance.risks.rules import RiskGrade

# The section a paper kept before govbot recorded issues and decisions leaves out when it is
# re-made from its figures: named in the closing note, never faked.
ISSUES_AND_DECISIONS = "Issues and decisions"

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
    """A partner's share of a risk; of an issue, the share of the risk it was (if any)."""

    partner: str
    percent: int | None
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


class PaperIssue(_Stored):
    ref: str
    title: str
    severity: int
    severity_word: str
    owner_id: str | None
    partners: tuple[PaperShare, ...]
    opened_on: date
    days_open: int
    # The risk the issue was, when it came from `risk materialise`.
    risk_ref: str | None
    resolution: str = ""
    resolved_on: date | None = None


class PaperLink(_Stored):
    """What a decision rests on or affects, with its state when the paper was made."""

    label: str
    state: str


class PaperDecision(_Stored):
    ref: str
    title: str
    status: DecisionStatus
    proposal: str
    reasons: str
    proposed_by: str
    proposed_on: date
    decided_by: str | None
    decided_on: date | None
    forum: str
    outcome_note: str
    deferred_until: date | None
    supersedes: str | None
    informed_by: tuple[PaperLink, ...]
    affects: tuple[PaperLink, ...]


class PaperBlocker(_Stored):
    ref: str
    title: str
    owner_id: str | None
    reasons: tuple[BlockReason, ...]


class PaperBlocked(_Stored):
    """An open action waiting on actions that are red, overdue or cancelled."""

    ref: str
    title: str
    owner_id: str | None
    blockers: tuple[PaperBlocker, ...]


class Listed(_Stored, Generic[T]):
    """The first few of a list, and how many there are in all."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


class PaperRaid(_Stored):
    """Section 5: open issues (most severe first) and their count by severity, issues
    resolved in the period; decisions awaiting the board and decisions taken in the period."""

    issues_by_severity: dict[int, int]
    open_issues: Listed[PaperIssue]
    resolved_issues: Listed[PaperIssue]
    decisions_needed: Listed[PaperDecision]
    decisions_made: Listed[PaperDecision]

    @property
    def open_issue_total(self) -> int:
        return sum(self.issues_by_severity.values())


class Figures(_Stored):
    """Everything a paper says, as it was when the paper was made.

    `raid` and `blocked` are None in papers kept before govbot recorded issues, decisions and
    dependencies: re-made, those papers leave them out and say so."""

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
    raid: PaperRaid | None = None
    blocked: Listed[PaperBlocked] | None = None

    @property
    def actions_total(self) -> int:
        return sum(n for s, n in self.actions_by_status.items() if s is not ActionStatus.CANCELLED)

    @property
    def open_risks(self) -> int:
        return sum(self.risks_by_grade.values())

    @property
    def gaps(self) -> tuple[PaperFunction, ...]:
        return tuple(f for f in self.functions if f.gap)

    def people_named(self) -> list[str | None]:
        """The user ids the paper names (owners, proposers, deciders), for their names."""
        named = [r.owner_id for r in self.top_risks.items]
        named += [a.owner_id for a in (*self.attention.items, *self.completed.items)]
        if self.raid:
            issues = (*self.raid.open_issues.items, *self.raid.resolved_issues.items)
            named += [i.owner_id for i in issues]
            for d in (*self.raid.decisions_needed.items, *self.raid.decisions_made.items):
                named += [d.proposed_by, d.decided_by]
        for b in self.blocked.items if self.blocked else ():
            named += [b.owner_id, *(blocker.owner_id for blocker in b.blockers)]
        return named

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
            **(
                {
                    "issues": self.raid.open_issue_total,
                    "decisions-needed": self.raid.decisions_needed.total,
                }
                if self.raid
                else {}
            ),
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
    key: str | None = None
    kind: str = field(default="board-paper")

    @property
    def draft(self) -> bool:
        return self.figures.draft

    @property
    def left_out(self) -> tuple[str, ...]:
        """Sections the figures cannot fill: kept before their concept was recorded."""
        return () if self.figures.raid is not None else (ISSUES_AND_DECISIONS,)

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
        """How much a summary number moved since the previous paper; None for the first, or
        when either paper did not count it (one kept before govbot recorded it)."""
        if self.previous is None:
            return None
        now, before = self.figures.counted(), self.previous.counted()
        if name not in now or name not in before:
            return None
        return now[name] - before[name]

    @property
    def recipient(self) -> str:
        return self.board_channel_id or ""

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return (self.key,) if self.key else ()

    def only(self, keys: tuple[str, ...]) -> BoardPaperView | None:
        return self if self.claim_keys and set(self.claim_keys) <= set(keys) else None
