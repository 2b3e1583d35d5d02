"""The former_members table: one row per erased person, numbering their pseudonym.

It holds no trace of who the person was, only when they were erased.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from governance.orm import Base, UTCDateTime, utcnow


class FormerMember(Base):
    __tablename__ = "former_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def pseudonym(self) -> str:
        return f"former member {self.id}"
