"""Tables for dependencies between a plan's actions, and the notices they raise."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from governance.orm import Base, UTCDateTime, utcnow


class ActionDependency(Base):
    """Action `action_id` waits on action `depends_on_id`, both of plan `plan_id`."""

    __tablename__ = "action_dependencies"
    __table_args__ = (CheckConstraint("action_id <> depends_on_id", name="not_itself"),)

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), primary_key=True)
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id"), primary_key=True, index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DependencyNotice(Base):
    """That `blocker_id`, which `action_id` waits on, is red, overdue or cancelled.

    Raised once per (waiting action, blocker, reason) while the reason holds; `told_at` is
    set when the nudge carrying it is sent, so its owner hears once. When the reason stops
    holding the notice goes, so a later recurrence is told again.
    """

    __tablename__ = "dependency_notices"
    __table_args__ = (
        UniqueConstraint("action_id", "blocker_id", "reason"),
        CheckConstraint("reason IN ('red', 'overdue', 'cancelled')", name="reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"))
    blocker_id: Mapped[int] = mapped_column(ForeignKey("actions.id"))
    reason: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
