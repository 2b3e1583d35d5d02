"""Tables for wins, the people credited and the partners involved."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.orm import Base, UTCDateTime, utcnow
from governance.parsing.references import format_ref
from governance.people_functions.models import PeopleFunction
from governance.plans.models import Partner

TEXT_MAX = 3000


class Win(Base):
    __tablename__ = "wins"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    function_id: Mapped[int | None] = mapped_column(ForeignKey("people_functions.id"))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    function: Mapped[PeopleFunction | None] = relationship()
    people: Mapped[list[WinPerson]] = relationship(
        cascade="all, delete-orphan", order_by="WinPerson.id"
    )
    partners: Mapped[list[WinPartner]] = relationship(
        cascade="all, delete-orphan", order_by="WinPartner.id"
    )

    @property
    def ref(self) -> str:
        return format_ref("W", self.number)


class WinPerson(Base):
    __tablename__ = "win_people"
    __table_args__ = (UniqueConstraint("win_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    win_id: Mapped[int] = mapped_column(ForeignKey("wins.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))


class WinPartner(Base):
    __tablename__ = "win_partners"
    __table_args__ = (UniqueConstraint("win_id", "partner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    win_id: Mapped[int] = mapped_column(ForeignKey("wins.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))

    partner: Mapped[Partner] = relationship()
