"""Plain data the issue use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.actions.status import ActionStatus
from governance.issues.rules import IssueStatus, severity_word


@dataclass(frozen=True)
class IssuePartnerView:
    """A partner the issue affects; `percent` is its share of the risk the issue was."""

    partner: str
    percent: int | None
    is_lead: bool


@dataclass(frozen=True)
class IssueActionView:
    """A linked action and where it stands now."""

    ref: str
    title: str
    status: ActionStatus
    owner_id: str | None


@dataclass(frozen=True)
class IssueHistoryEntryView:
    """One history entry; `changes` holds (field, old, new)."""

    user_id: str
    at: datetime
    event: str
    changes: tuple[tuple[str, str, str], ...]
    note: str


@dataclass(frozen=True)
class IssueView:
    plan_id: int
    ref: str
    title: str
    description: str
    owner_id: str | None
    function_key: str | None
    function_name: str | None
    severity: int
    status: IssueStatus
    resolution: str
    # The risk the issue was, when it came from `risk materialise`.
    risk_ref: str | None
    partners: tuple[IssuePartnerView, ...]
    actions: tuple[IssueActionView, ...]
    opened_at: datetime
    opened_on: date
    days_open: int
    resolved_by: str | None
    resolved_at: datetime | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.status is IssueStatus.OPEN

    @property
    def severity_word(self) -> str:
        return severity_word(self.severity)

    @property
    def lead_partner(self) -> str | None:
        return next((p.partner for p in self.partners if p.is_lead), None)


@dataclass(frozen=True)
class IssueDetailView:
    """`issue show`: the issue and its whole history, oldest first."""

    issue: IssueView
    history: tuple[IssueHistoryEntryView, ...]


@dataclass(frozen=True)
class IssueListView:
    plan_id: int
    plan_name: str
    shown: str  # "open", "resolved" or "all"
    issues: tuple[IssueView, ...]


@dataclass(frozen=True)
class IssueChangeView:
    """An issue added, changed or resolved; `notify_owner` is set when someone else made it
    theirs, `changes` names what an update changed."""

    issue: IssueView
    event: str
    changes: tuple[tuple[str, str, str], ...]
    notify_owner: str | None
    plan_name: str


@dataclass(frozen=True)
class MaterialisedView:
    """A risk that has happened, and the issue it became."""

    risk_ref: str
    risk_title: str
    issue: IssueView


@dataclass(frozen=True)
class IssueFormView:
    """What the add-issue form offers: the plan it adds to, its partners and open actions."""

    plan_id: int
    plan_name: str
    partners: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]
