"""The board_papers table: the figures each paper was made from, one row per plan and period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from governance.orm import Base, UTCDateTime, utcnow


class BoardPaper(Base):
    """A paper's snapshot: plain JSON figures, so re-making a past period's paper reproduces
    its numbers after the plan has moved on. `draft` while its period had not ended."""

    __tablename__ = "board_papers"
    __table_args__ = (UniqueConstraint("plan_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    # The reporting period's key: a calendar month, `2026-11`.
    period: Mapped[str] = mapped_column(String(16))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    made_by: Mapped[str] = mapped_column(String(32))
    draft: Mapped[bool] = mapped_column(Boolean, default=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
