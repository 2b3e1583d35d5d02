"""Tables for measures, their values by period, corrections of a value, and rebases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from governance.orm import Base, UTCDateTime, utcnow
from governance.people_functions.models import PeopleFunction
from governance.plans.models import Partner


class Measure(Base):
    """A workforce measure `M-<n>` the data lead tracks, one value a period."""

    __tablename__ = "measures"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("better IN ('up', 'down', 'neither')", name="better"),
        CheckConstraint("frequency IN ('monthly', 'weekly', 'quarterly')", name="frequency"),
        CheckConstraint("status IN ('active', 'retired')", name="status"),
        CheckConstraint("baseline_periods IS NULL OR baseline_periods >= 2", name="baseline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    # One of rules.UNITS; checked by the domain, since "%" would need escaping in DDL.
    unit: Mapped[str] = mapped_column(String(8))
    better: Mapped[str] = mapped_column(String(8))
    target: Mapped[float | None] = mapped_column(Float)
    frequency: Mapped[str] = mapped_column(String(10), default="monthly")
    source: Mapped[str] = mapped_column(String(200), default="")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    function_id: Mapped[int | None] = mapped_column(ForeignKey("people_functions.id"))
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    baseline_periods: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="active")
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    partner: Mapped[Partner | None] = relationship()
    function: Mapped[PeopleFunction | None] = relationship()
    values: Mapped[list[MeasureValue]] = relationship(
        back_populates="measure", order_by="MeasureValue.period_start"
    )
    rebases: Mapped[list[MeasureRebase]] = relationship(order_by="MeasureRebase.period_start")

    __mapper_args__ = {"version_id_col": version}

    @property
    def ref(self) -> str:
        return f"M-{self.number}"


class MeasureValue(Base):
    """The value of a measure for one period (identified by the period's first day)."""

    __tablename__ = "measure_values"
    __table_args__ = (UniqueConstraint("measure_id", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    measure: Mapped[Measure] = relationship(back_populates="values")
    corrections: Mapped[list[MeasureCorrection]] = relationship(
        cascade="all, delete-orphan", order_by="MeasureCorrection.id"
    )

    __mapper_args__ = {"version_id_col": version}


class MeasureCorrection(Base):
    """A value replaced by a later one for the same period: both are kept."""

    __tablename__ = "measure_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("measure_values.id"), index=True)
    old_value: Mapped[float] = mapped_column(Float)
    new_value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    corrected_by: Mapped[str] = mapped_column(String(32))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeasureRebase(Base):
    """New process limits from a period on, because the process changed there."""

    __tablename__ = "measure_rebases"
    __table_args__ = (UniqueConstraint("measure_id", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    rebased_by: Mapped[str] = mapped_column(String(32))
    rebased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
