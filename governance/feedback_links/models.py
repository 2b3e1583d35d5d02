"""The feedback_links table. A link holds only what its page needs: its plan, its service
area and its unguessable token; nothing about the people who use it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from governance.orm import Base, UTCDateTime, utcnow

TOKEN_LENGTH = 32


class FeedbackLink(Base):
    __tablename__ = "feedback_links"
    __table_args__ = (UniqueConstraint("plan_id", "number"), UniqueConstraint("token"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH))
    service_area: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by: Mapped[str | None] = mapped_column(String(32))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def ref(self) -> str:
        return f"L-{self.number}"
