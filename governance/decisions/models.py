"""Tables for decisions and what each one rests on or affects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.orm import Base, UTCDateTime, utcnow
from governance.parsing.references import format_ref

TITLE_MAX = 200
FORUM_MAX = 200


class Decision(Base):
    """A decision `D-<n>`: proposed by a member, agreed, rejected or deferred by a chair or
    lead at a forum; `version` makes two people deciding at once record one outcome."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("status IN ('proposed', 'agreed', 'rejected', 'deferred')", name="status"),
        Index("ix_decisions_plan_id_status", "plan_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    proposal: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    proposed_by: Mapped[str] = mapped_column(String(32))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forum: Mapped[str] = mapped_column(String(FORUM_MAX), default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    deferred_until: Mapped[date | None] = mapped_column(Date)
    # The earlier decision this one replaces once it is agreed.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    links: Mapped[list[DecisionLink]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="DecisionLink.id"
    )
    supersedes: Mapped[Decision | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def ref(self) -> str:
        return format_ref("D", self.number)


class DecisionLink(Base):
    """One thing a decision rests on (`informed-by`) or affects: a measure, risk, issue,
    feedback, action or partner of the same plan, by its table's id."""

    __tablename__ = "decision_links"
    __table_args__ = (
        UniqueConstraint("decision_id", "role", "kind", "target_id"),
        CheckConstraint("role IN ('informed-by', 'affects')", name="role"),
        CheckConstraint(
            "kind IN ('measure', 'risk', 'issue', 'feedback', 'action', 'partner')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)

    decision: Mapped[Decision] = relationship(back_populates="links")
