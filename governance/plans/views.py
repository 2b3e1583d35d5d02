"""Plain data the plan use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from governance.plans.models import WEEKDAYS
from governance.plans.roles import is_leadership_change

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class PlanView:
    id: int
    name: str
    timezone: str
    board_channel_id: str | None
    channel_ids: tuple[str, ...]
    digest_weekday: int
    digest_time: time
    nudge_time: time
    quiet_weekends: bool
    anonymity_threshold: int
    feedback_retention_months: int
    your_role: str
    # Days an issue may stay open before it goes to the leads.
    issue_escalation_days: int
    # When the board paper is posted (`first-mon@08:00`); None when not on a schedule.
    report_schedule: str | None = None

    @property
    def digest_day_name(self) -> str:
        return WEEKDAY_NAMES[self.digest_weekday]

    @property
    def digest_setting(self) -> str:
        """The digest schedule in the form `plan settings` takes, e.g. `mon@09:00`."""
        return f"{WEEKDAYS[self.digest_weekday]}@{self.digest_time:%H:%M}"


@dataclass(frozen=True)
class PlanOverviewView:
    """A plan at a glance: its settings and counts of what it holds."""

    plan: PlanView
    actions_by_status: dict[str, int]  # every ActionStatus value, in BRAG order, zeros kept
    overdue_actions: int
    open_risks_by_grade: dict[str, int]  # every RiskGrade value, low to extreme, zeros kept
    feedback_count: int
    wins_count: int
    partners_count: int

    @property
    def actions_total(self) -> int:
        return sum(self.actions_by_status.values())

    @property
    def extreme_risks(self) -> int:
        return self.open_risks_by_grade.get("extreme", 0)

    @property
    def open_risks(self) -> int:
        return sum(self.open_risks_by_grade.values())


@dataclass(frozen=True)
class PartnerView:
    id: int
    name: str
    sector: str


@dataclass(frozen=True)
class PartnerListView:
    plan_name: str
    partners: tuple[PartnerView, ...]
    added: PartnerView | None = None


@dataclass(frozen=True)
class RoleChangeView:
    plan_name: str
    user_id: str
    old_role: str
    new_role: str
    changed_by: str

    @property
    def changed(self) -> bool:
        return self.old_role != self.new_role

    @property
    def announced(self) -> bool:
        """A lead or chair made or unmade: told in the plan's channel, not only to the actor."""
        return is_leadership_change(self.old_role, self.new_role)


@dataclass(frozen=True)
class RoleHoldersView:
    role: str
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class RolesView:
    """Everyone with a role in the plan, by role (leads first); everyone else is a member."""

    plan_name: str
    roles: tuple[RoleHoldersView, ...]


@dataclass(frozen=True)
class MemberPreferenceView:
    """A person's own preferences. `working_days` are the days they are nudged on: their
    own when `own_days`, else the plan's."""

    user_id: str
    working_days: tuple[str, ...]
    own_days: bool
    away_until: date | None
    timezone: str | None

    @property
    def chosen_days(self) -> tuple[str, ...] | None:
        """The days the person chose, or None while they follow the plan's."""
        return self.working_days if self.own_days else None


@dataclass(frozen=True)
class SettingsView:
    """The plan's settings and the asking person's own preferences, with what just changed."""

    plan: PlanView
    me: MemberPreferenceView
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanChoiceView:
    """A plan someone may choose, where no channel says which (a global shortcut)."""

    plan_id: int
    name: str
