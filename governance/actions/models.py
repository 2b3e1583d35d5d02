"""Tables for actions and their append-only update history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.orm import Base, UTCDateTime, utcnow
from governance.parsing.references import format_ref
from governance.people_functions.models import PeopleFunction
from governance.plans.models import Partner

TITLE_MAX = 200
DESCRIPTION_MAX = 3000
# A Slack permalink is well under this; longer is not one.
SOURCE_LINK_MAX = 500


class Action(Base):
    """A plan action `A-<n>`; `version` guards against silently lost concurrent edits."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        CheckConstraint(
            "status IN ('not-started', 'on-track', 'at-risk', 'off-track', 'done', 'cancelled')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    function_id: Mapped[int | None] = mapped_column(ForeignKey("people_functions.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not-started")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    # The message it was added from ("Add as action"): its permalink.
    source_link: Mapped[str | None] = mapped_column(String(SOURCE_LINK_MAX))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    partner: Mapped[Partner | None] = relationship()
    function: Mapped[PeopleFunction | None] = relationship()
    updates: Mapped[list[ActionUpdateEntry]] = relationship(
        back_populates="action", order_by="ActionUpdateEntry.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def ref(self) -> str:
        return format_ref("A", self.number)


class ActionUpdateEntry(Base):
    """One entry of an action's history: who changed what, when, and why."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_from: Mapped[str | None] = mapped_column(String(16))
    status_to: Mapped[str | None] = mapped_column(String(16))
    progress_from: Mapped[int | None] = mapped_column(Integer)
    progress_to: Mapped[int | None] = mapped_column(Integer)
    # Other fields changed in this update, as {"field": [old, new]} in plain strings.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[Action] = relationship(back_populates="updates")
