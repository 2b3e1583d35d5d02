"""The challenges table: exactly one of action or risk is challenged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from governance.orm import Base, UTCDateTime, utcnow


class Challenge(Base):
    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint("(action_id IS NULL) <> (risk_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), index=True)
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risks.id"), index=True)
    asked_by: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
