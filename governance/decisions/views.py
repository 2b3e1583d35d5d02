"""Plain data the decision use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.actions.status import ActionStatus
from governance.decisions.rules import DecisionStatus, LinkKind, LinkRole, is_awaiting
from governance.measures.views import MeasureView
from governance.risks.rules import RiskGrade


@dataclass(frozen=True)
class DecisionLinkView:
    """One thing a decision rests on or affects, with its state now: a measure's latest SPC
    reading, a risk's score, grade and status, an action's status; `ref` is None for a
    partner."""

    role: LinkRole
    kind: LinkKind
    ref: str | None
    title: str
    state: str
    action_status: ActionStatus | None = None
    risk_grade: RiskGrade | None = None
    measure: MeasureView | None = None

    @property
    def label(self) -> str:
        return f"{self.ref} {self.title}" if self.ref else self.title


@dataclass(frozen=True)
class DecisionBriefView:
    """Another decision named by this one (what it supersedes, or what supersedes it)."""

    ref: str
    title: str
    status: DecisionStatus
    decided_at: datetime | None


@dataclass(frozen=True)
class DecisionView:
    plan_id: int
    plan_name: str
    ref: str
    title: str
    proposal: str
    reasons: str
    status: DecisionStatus
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    forum: str
    outcome_note: str
    deferred_until: date | None
    supersedes: DecisionBriefView | None
    # Later decisions proposed or agreed to replace this one.
    superseded_by: tuple[DecisionBriefView, ...]
    informed_by: tuple[DecisionLinkView, ...]
    affects: tuple[DecisionLinkView, ...]
    link_count: int
    version: int

    @property
    def is_awaiting(self) -> bool:
        return is_awaiting(self.status)

    @property
    def replaced_by(self) -> DecisionBriefView | None:
        """The agreed decision that superseded this one, if any."""
        return next((d for d in self.superseded_by if d.status is DecisionStatus.AGREED), None)


@dataclass(frozen=True)
class DecisionListView:
    plan_id: int
    plan_name: str
    shown: str  # "proposed" (awaiting: proposed or deferred), "agreed" or "all"
    decisions: tuple[DecisionView, ...]


@dataclass(frozen=True)
class DecisionFormView:
    """What the propose form needs: the plan it proposes to."""

    plan_id: int
    plan_name: str


@dataclass(frozen=True)
class DigestDecisionView:
    ref: str
    title: str
    status: DecisionStatus
    proposed_by: str
    decided_by: str | None
    decided_at: datetime | None
    forum: str
    deferred_until: date | None


@dataclass(frozen=True)
class MyDecisionView:
    """A decision awaiting the board of a plan the person chairs or leads, for App Home."""

    plan_name: str
    decision: DigestDecisionView
