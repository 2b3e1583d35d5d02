"""Tables for issues, the partners each affects, the actions linked to it, and its
append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.actions.models import Action
from governance.orm import Base, UTCDateTime, utcnow
from governance.parsing.references import format_ref
from governance.people_functions.models import PeopleFunction
from governance.plans.models import Partner
from governance.risks.models import Risk

TITLE_MAX = 200
DESCRIPTION_MAX = 3000


class Issue(Base):
    """A plan issue `I-<n>`: a problem happening now; `risk_id` is the risk it was before."""

    __tablename__ = "issues"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("status IN ('open', 'resolved')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    function_id: Mapped[int | None] = mapped_column(ForeignKey("people_functions.id"))
    severity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="open")
    resolution: Mapped[str] = mapped_column(Text, default="")
    # A risk becomes at most one issue; the risk's card finds its issue through this.
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), unique=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(32))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    function: Mapped[PeopleFunction | None] = relationship()
    risk: Mapped[Risk | None] = relationship()
    partners: Mapped[list[IssuePartner]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="IssuePartner.id"
    )
    actions: Mapped[list[IssueAction]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="IssueAction.id"
    )
    history: Mapped[list[IssueHistoryEntry]] = relationship(
        back_populates="issue", order_by="IssueHistoryEntry.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def ref(self) -> str:
        return format_ref("I", self.number)


class IssuePartner(Base):
    """A partner the issue affects; from a materialised risk, with its share of the risk."""

    __tablename__ = "issue_partners"
    __table_args__ = (
        UniqueConstraint("issue_id", "partner_id"),
        CheckConstraint("percent IS NULL OR percent BETWEEN 1 AND 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    percent: Mapped[int | None] = mapped_column(Integer)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    issue: Mapped[Issue] = relationship(back_populates="partners")
    partner: Mapped[Partner] = relationship()


class IssueAction(Base):
    """An action of the same plan linked to the issue: work that deals with it."""

    __tablename__ = "issue_actions"
    __table_args__ = (UniqueConstraint("issue_id", "action_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)

    issue: Mapped[Issue] = relationship(back_populates="actions")
    action: Mapped[Action] = relationship()


class IssueHistoryEntry(Base):
    """One entry of an issue's history: who did what (`event`), when, what changed and why."""

    __tablename__ = "issue_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "opened", "materialised", "updated" or "resolved".
    event: Mapped[str] = mapped_column(String(16))
    # Fields changed, as {"field": [old, new]} in plain strings.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    issue: Mapped[Issue] = relationship(back_populates="history")
