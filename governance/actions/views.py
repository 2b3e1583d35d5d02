"""Plain data the action use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.actions.rules import is_closed
from governance.actions.status import ActionStatus
from governance.challenges.views import ChallengeView
from governance.dependencies.views import ActionLinksView


@dataclass(frozen=True)
class ActionUpdateEntryView:
    """One history entry; `changes` holds (field, old, new) for due date, owner and the like."""

    user_id: str
    at: datetime
    status_from: ActionStatus | None
    status_to: ActionStatus | None
    progress_from: int | None
    progress_to: int | None
    changes: tuple[tuple[str, str, str], ...]
    note: str


@dataclass(frozen=True)
class ActionView:
    plan_id: int
    ref: str
    title: str
    description: str
    owner_id: str | None
    partner: str | None
    function_key: str | None
    function_name: str | None
    due_date: date | None
    status: ActionStatus
    progress: int
    overdue: bool
    version: int
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    completed_at: datetime | None
    last_update: ActionUpdateEntryView | None
    # The permalink of the Slack message it was added from, if it was.
    source_link: str | None = None

    @property
    def closed(self) -> bool:
        return is_closed(self.status)

    @property
    def button_value(self) -> str:
        """What the Update / Done / Challenge buttons carry: `<plan_id>:A-<n>`."""
        return f"{self.plan_id}:{self.ref}"


@dataclass(frozen=True)
class ActionDetailView:
    """`action show`: the action, its whole history (oldest first), its open challenges and
    what it waits on and what waits on it."""

    action: ActionView
    history: tuple[ActionUpdateEntryView, ...]
    open_challenges: tuple[ChallengeView, ...]
    links: ActionLinksView = ActionLinksView()


@dataclass(frozen=True)
class ActionListView:
    plan_id: int
    plan_name: str
    # The first actions matching, in order (all of them unless the list was limited)...
    actions: tuple[ActionView, ...]
    # ...and how many match in all.
    total: int
    # The filters as words a person reads, e.g. ("mine", "overdue", "function supply").
    filters: tuple[str, ...]
    # The owner filtered on, kept apart from the words so it can be shown as a mention.
    owner_id: str | None = None


@dataclass(frozen=True)
class ActionChangeView:
    """An added or changed action; `notify_owner` is set when someone else made it theirs."""

    action: ActionView
    update: ActionUpdateEntryView | None
    notify_owner: str | None
    # The plan's name, for the direct message to a newly assigned owner.
    plan_name: str


@dataclass(frozen=True)
class ActionFormView:
    """What the add-action form offers: the plan it adds to and that plan's partners."""

    plan_id: int
    plan_name: str
    partners: tuple[str, ...]
