"""Tables for workspaces, plans, plan channels, roles, partners and member preferences."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.orm import Base, UTCDateTime, utcnow

SECTORS = ("nhs", "council", "social-care", "vcse", "primary-care")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ANONYMITY_THRESHOLD = 11
# Feedback text is kept this many months by default, then erased (counts stay): two years
# covers two annual planning cycles and the board papers that quote them.
DEFAULT_FEEDBACK_RETENTION_MONTHS = 24
FEEDBACK_RETENTION_MONTHS_RANGE = (1, 120)
# An issue open longer than this many days goes to the plan's leads (a lead may change it).
DEFAULT_ISSUE_ESCALATION_DAYS = 14
ISSUE_ESCALATION_DAYS_RANGE = (1, 365)


class Workspace(Base):
    """A Slack team, known to the domain only by its opaque id."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Plan(Base):
    """An integrated workforce plan, governed from the channels linked to it."""

    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("digest_weekday BETWEEN 0 AND 6", name="digest_weekday"),
        CheckConstraint("anonymity_threshold BETWEEN 5 AND 20", name="anonymity_threshold"),
        CheckConstraint(
            "feedback_retention_months BETWEEN 1 AND 120", name="feedback_retention_months"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    board_channel_id: Mapped[str | None] = mapped_column(String(32))
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)
    digest_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    nudge_time: Mapped[time] = mapped_column(Time, default=time(9, 0))
    quiet_weekends: Mapped[bool] = mapped_column(Boolean, default=True)
    anonymity_threshold: Mapped[int] = mapped_column(Integer, default=DEFAULT_ANONYMITY_THRESHOLD)
    feedback_retention_months: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_FEEDBACK_RETENTION_MONTHS
    )
    # Per-plan reference counters, bumped with an atomic UPDATE so numbers never repeat.
    next_action_number: Mapped[int] = mapped_column(Integer, default=1)
    next_risk_number: Mapped[int] = mapped_column(Integer, default=1)
    next_feedback_number: Mapped[int] = mapped_column(Integer, default=1)
    next_win_number: Mapped[int] = mapped_column(Integer, default=1)
    next_measure_number: Mapped[int] = mapped_column(Integer, default=1)
    # Days after a period ends before a missing measure value is nudged for.
    measure_grace_days: Mapped[int] = mapped_column(Integer, default=5)
    next_feedback_link_number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    next_decision_number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # When the board paper is posted, as `plan settings report:` takes it (`first-mon@08:00`);
    # None: never on a schedule (governance/board_papers/schedule.py reads it).
    report_schedule: Mapped[str | None] = mapped_column(String(32))
    next_issue_number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    issue_escalation_days: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_ISSUE_ESCALATION_DAYS, server_default="14"
    )
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workspace: Mapped[Workspace] = relationship()
    channels: Mapped[list[PlanChannel]] = relationship(back_populates="plan")


class PlanChannel(Base):
    """A channel a plan is linked to; a channel belongs to at most one plan."""

    __tablename__ = "plan_channels"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))

    plan: Mapped[Plan] = relationship(back_populates="channels")


class Role(Base):
    """A person's role in one plan; it gives nothing in any other plan."""

    __tablename__ = "roles"
    __table_args__ = (
        UniqueConstraint("plan_id", "user_id"),
        CheckConstraint("role IN ('chair', 'lead', 'data-lead', 'member')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))


class Partner(Base):
    """A partner organisation in the plan: a trust, council, care provider, VCSE or practice."""

    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("plan_id", "name"),
        CheckConstraint(
            "sector IN ('nhs', 'council', 'social-care', 'vcse', 'primary-care')", name="sector"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(16))


class MemberPreference(Base):
    """An owner's own working pattern, so part-time and shift staff are nudged on their days."""

    __tablename__ = "member_preferences"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    # Comma-separated weekday keys from WEEKDAYS, e.g. "mon,tue,thu", that the person chose;
    # empty until they do, meaning the plan's days (see governance.jobs.schedule.plan_days).
    working_days: Mapped[str] = mapped_column(String(32), default="")
    away_until: Mapped[date | None] = mapped_column(Date)
    # The person's own timezone (from their Slack profile); it wins over the plan's.
    timezone: Mapped[str | None] = mapped_column(String(64))
