"""Tables for risks and each partner's share of a risk."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
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
from governance.risks.rules import grade, score


class Risk(Base):
    """A plan risk `R-<n>` scored on the 5x5 matrix."""

    __tablename__ = "risks"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact"),
        CheckConstraint("target_score IS NULL OR target_score BETWEEN 1 AND 25", name="target"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    function_id: Mapped[int | None] = mapped_column(ForeignKey("people_functions.id"))
    likelihood: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    target_score: Mapped[int | None] = mapped_column(Integer)
    mitigation: Mapped[str] = mapped_column(Text, default="")
    review_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    close_note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    function: Mapped[PeopleFunction | None] = relationship()
    shares: Mapped[list[RiskShare]] = relationship(
        back_populates="risk", cascade="all, delete-orphan", order_by="RiskShare.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def ref(self) -> str:
        return format_ref("R", self.number)

    @property
    def score(self) -> int:
        return score(self.likelihood, self.impact)

    @property
    def grade(self):  # type: ignore[no-untyped-def]
        return grade(self.score)


class RiskShare(Base):
    """One partner's agreed share of a risk, in whole percent; one share is the lead."""

    __tablename__ = "risk_shares"
    __table_args__ = (
        UniqueConstraint("risk_id", "partner_id"),
        CheckConstraint("percent BETWEEN 1 AND 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    percent: Mapped[int] = mapped_column(Integer)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)

    risk: Mapped[Risk] = relationship(back_populates="shares")
    partner: Mapped[Partner] = relationship()
