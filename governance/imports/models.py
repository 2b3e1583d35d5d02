"""Tables for imports: a preview kept until it is applied or expires, and which record each
of a file's own ids became, so importing the same file again adds nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from governance.orm import Base, UTCDateTime, utcnow

FILE_NAME_MAX = 200
SOURCE_ID_MAX = 64


class ImportPreview(Base):
    """What importing a file would do, kept as worked out so applying does exactly that."""

    __tablename__ = "import_previews"
    __table_args__ = (
        CheckConstraint("kind IN ('actions', 'risks')", name="kind"),
        CheckConstraint("state IN ('previewed', 'applied', 'cancelled')", name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_MAX))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="previewed")
    # {"add": [...], "update": [...], "partners": [...]}: the rows as they will be written.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the preview said beyond the changes ({"refused": n}), for the answer to repeat.
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportedRecord(Base):
    """A file's own id (`ACT-012`, `7`) and the record of the plan it was imported as."""

    __tablename__ = "imported_records"
    __table_args__ = (
        UniqueConstraint("plan_id", "kind", "source_id"),
        CheckConstraint("kind IN ('actions', 'risks')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    source_id: Mapped[str] = mapped_column(String(SOURCE_ID_MAX))
    number: Mapped[int] = mapped_column(Integer)
