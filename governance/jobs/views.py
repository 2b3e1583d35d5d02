"""Plain data the scheduled jobs hand to the Slack side: nudges, escalations, the digest.

Each message a job sends is one of these, carrying whom it goes to and the claim keys that
make it go once (`kind`, `recipient`, `claim_keys`); `only(keys)` narrows a message to the
parts whose claims are among `keys`, or None when no part is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Generic, TypeVar

from governance.actions.rules import is_closed
from governance.actions.status import ActionStatus
from governance.decisions.views import DigestDecisionView
from governance.dependencies.views import BlockedActionView
from governance.feedback.views import FeedbackSummaryView
from governance.issues.views import IssueView
from governance.measures.spc import Variation
from governance.measures.views import MeasureView
from governance.risks.rules import RiskGrade

T = TypeVar("T")

# Each item takes two blocks (text and a button) of the 50 a message may hold.
ALERT_ITEM_LIMIT = 20


@dataclass(frozen=True)
class NudgeActionView:
    """An action in its owner's nudge, with every reason it is there."""

    plan_id: int
    ref: str
    title: str
    status: ActionStatus
    progress: int
    due_date: date | None
    days_overdue: int | None
    due_in_days: int | None
    days_since_update: int | None

    @property
    def button_value(self) -> str:
        return f"{self.plan_id}:{self.ref}"


@dataclass(frozen=True)
class NudgeRiskView:
    """A risk whose review date has passed, in its owner's nudge."""

    plan_id: int
    ref: str
    title: str
    score: int
    grade: RiskGrade
    review_date: date
    days_past_review: int

    @property
    def button_value(self) -> str:
        return f"{self.plan_id}:{self.ref}"


@dataclass(frozen=True)
class NudgeMeasureView:
    """A measure whose value for a period is missing after the plan's grace period."""

    plan_id: int
    ref: str
    title: str
    period_key: str
    period_name: str
    days_late: int


@dataclass(frozen=True)
class NudgeIssueView:
    """An open issue in its owner's nudge: open issues come up every working day until
    resolved."""

    plan_id: int
    ref: str
    title: str
    severity: int
    severity_word: str
    days_open: int


@dataclass(frozen=True)
class NudgeView:
    """One owner's nudge for one plan on one of their working days."""

    plan_id: int
    plan_name: str
    owner_id: str
    day: date
    actions: tuple[NudgeActionView, ...]
    risks: tuple[NudgeRiskView, ...]
    # Items beyond what one message holds; the owner finds them with `action list mine`.
    more: int = 0
    measures: tuple[NudgeMeasureView, ...] = ()
    # Their actions held up by an action they wait on, told once (notices not yet told).
    blocked: tuple[BlockedActionView, ...] = ()
    issues: tuple[NudgeIssueView, ...] = ()

    kind = "nudge"

    @property
    def recipient(self) -> str:
        return self.owner_id

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return (f"plan-{self.plan_id}/{self.owner_id}/{self.day.isoformat()}",)

    def only(self, keys: tuple[str, ...]) -> NudgeView | None:
        return self if set(self.claim_keys) <= set(keys) else None

    @property
    def item_count(self) -> int:
        return (
            len(self.actions)
            + len(self.risks)
            + len(self.measures)
            + len(self.blocked)
            + len(self.issues)
            + self.more
        )


@dataclass(frozen=True)
class LateItemView:
    """An action long overdue, a risk long past review or an issue long open, for the plan's
    leads."""

    plan_id: int
    ref: str
    title: str
    owner_id: str | None
    # The due date of an action, the review date of a risk, the day an issue was opened.
    late_since: date
    days_late: int
    # The ISO week it crossed the line in: it goes to each lead once for that crossing.
    week: str
    status: ActionStatus | None = None
    score: int | None = None
    severity: int | None = None

    @property
    def button_value(self) -> str:
        return f"{self.plan_id}:{self.ref}"


@dataclass(frozen=True)
class LeadAlertView:
    """One lead's direct message listing late items: kind "escalation" (actions overdue
    more than 14 days), "risk-review" (risks 14 days or more past review) or
    "issue-escalation" (issues open longer than the plan's limit)."""

    kind: str
    plan_id: int
    plan_name: str
    lead_id: str
    day: date
    items: tuple[LateItemView, ...]
    more: int = 0

    @property
    def recipient(self) -> str:
        return self.lead_id

    def key_of(self, item: LateItemView) -> str:
        return f"plan-{self.plan_id}/{item.ref}/{item.week}/{self.lead_id}"

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return tuple(self.key_of(item) for item in self.items)

    def only(self, keys: tuple[str, ...]) -> LeadAlertView | None:
        """The items among `keys`, as many as one message holds; the rest are counted in
        `more` and, never claimed here, come in the next message."""
        wanted = set(keys)
        items = tuple(i for i in self.items if self.key_of(i) in wanted)
        if not items:
            return None
        shown = items[:ALERT_ITEM_LIMIT]
        return replace(self, items=shown, more=len(items) - len(shown))


@dataclass(frozen=True)
class DigestWinView:
    ref: str
    text: str
    function_name: str | None
    people: tuple[str, ...]
    partners: tuple[str, ...]


@dataclass(frozen=True)
class DigestActionView:
    ref: str
    title: str
    owner_id: str | None
    status: ActionStatus
    due_date: date | None
    overdue: bool
    completed_at: datetime | None = None


@dataclass(frozen=True)
class DigestRiskView:
    ref: str
    title: str
    owner_id: str | None
    score: int
    grade: RiskGrade


@dataclass(frozen=True)
class DigestChallengeView:
    subject_ref: str
    subject_title: str
    asked_by: str
    question: str
    asked_at: datetime


@dataclass(frozen=True)
class DigestFunctionView:
    """A people function's actions by status; `number` None gathers actions with none."""

    number: int | None
    key: str | None
    name: str
    counts: dict[ActionStatus, int]
    percent_complete: int | None

    @property
    def total(self) -> int:
        return sum(count for status, count in self.counts.items() if status.value != "cancelled")

    @property
    def active(self) -> int:
        return sum(count for status, count in self.counts.items() if not is_closed(status))

    @property
    def is_gap(self) -> bool:
        """A function with no open action: a gap the board should see."""
        return self.number is not None and self.active == 0

    def count(self, status: ActionStatus) -> int:
        return self.counts.get(status, 0)


@dataclass(frozen=True)
class ListedView(Generic[T]):
    """The first few of a list, and how many there are in all (the rest are summarised)."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class DigestView:
    """The weekly digest for a plan's board channel, celebrating success first."""

    plan_id: int
    plan_name: str
    board_channel_id: str | None
    # The ISO week of a scheduled digest; None for a preview or a digest posted on demand.
    week: str | None
    since: datetime
    until: datetime
    first: bool
    wins: ListedView[DigestWinView]
    completed: ListedView[DigestActionView]
    functions: tuple[DigestFunctionView, ...]
    attention: ListedView[DigestActionView]
    overdue_total: int
    red_total: int
    extreme_risks: ListedView[DigestRiskView]
    open_challenges: ListedView[DigestChallengeView]
    feedback: FeedbackSummaryView
    # The key a posted digest is claimed under, set for scheduled and on-demand posts.
    key: str | None = None
    # Active measures, those showing special cause concern first.
    measures: tuple[MeasureView, ...] = ()
    # Decisions awaiting the board, and those taken (agreed or rejected) since the last digest.
    decisions_needed: ListedView[DigestDecisionView] = ListedView((), 0)
    decided: ListedView[DigestDecisionView] = ListedView((), 0)
    # Open actions waiting on red, overdue or cancelled ones.
    blocked: ListedView[BlockedActionView] = ListedView((), 0)
    # Open issues, most severe first.
    issues: ListedView[IssueView] = ListedView((), 0)

    kind = "digest"

    @property
    def recipient(self) -> str:
        return self.board_channel_id or ""

    @property
    def claim_keys(self) -> tuple[str, ...]:
        return (self.key,) if self.key else ()

    def only(self, keys: tuple[str, ...]) -> DigestView | None:
        return self if self.claim_keys and set(self.claim_keys) <= set(keys) else None

    @property
    def measures_of_concern(self) -> tuple[MeasureView, ...]:
        return tuple(m for m in self.measures if m.variation is Variation.CONCERN)

    @property
    def gaps(self) -> tuple[DigestFunctionView, ...]:
        return tuple(f for f in self.functions if f.is_gap)

    @property
    def summarised(self) -> bool:
        """Whether any list was cut short, so the message points to `plan export`."""
        return any(
            listed.more > 0
            for listed in (
                self.wins,
                self.completed,
                self.attention,
                self.extreme_risks,
                self.open_challenges,
                self.decisions_needed,
                self.decided,
                self.blocked,
                self.issues,
            )
        )
