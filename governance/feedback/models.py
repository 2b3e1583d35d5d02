"""The feedback table. An anonymous row has no author: the database itself forbids one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.orm import Base, UTCDateTime, utcnow
from governance.parsing.references import format_ref
from governance.people_functions.models import PeopleFunction

SOURCES = ("staff", "service-user", "carer", "partner")
TEXT_MAX = 3000
ERASED_TEXT = "(erased: given before the plan's retention period)"


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("source IN ('staff', 'service-user', 'carer', 'partner')", name="source"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint("NOT anonymous OR author_id IS NULL", name="anonymous_has_no_author"),
        # The digest counts a week's feedback and its answers: without these it reads every
        # row the plan ever had (benchmarks/digest_scale.py).
        Index("ix_feedback_plan_id_created_at", "plan_id", "created_at"),
        Index("ix_feedback_plan_id_answered_at", "plan_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    function_id: Mapped[int | None] = mapped_column(ForeignKey("people_functions.id"))
    service_area: Mapped[str | None] = mapped_column(String(100))
    rating: Mapped[int | None] = mapped_column(Integer)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    # A lead may make the answer public: it then shows on the plan's feedback form pages.
    answer_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The feedback link (web form) it came through, if any.
    link_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_links.id"))
    # Set when the plan's retention period erased `text`; the row stays for the counts.
    text_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    function: Mapped[PeopleFunction | None] = relationship()

    @property
    def ref(self) -> str:
        return format_ref("F", self.number)

    @property
    def text_kept(self) -> str:
        """The text, or a note that retention erased it (its counts and answer stay)."""
        return ERASED_TEXT if self.text_erased_at is not None else self.text
