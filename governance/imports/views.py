"""Plain data an import shows: the preview before, and what was done after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ImportFormView:
    """The plan the import form imports into."""

    plan_id: int
    plan_name: str


@dataclass(frozen=True)
class RowNote:
    """Something about one row of the file: why it is refused, or a warning."""

    row: int
    text: str


@dataclass(frozen=True)
class ColumnUse:
    """A header of the file and what it was recognised as."""

    header: str
    field: str


@dataclass(frozen=True)
class ImportPreviewView:
    """What importing the file would do. `ref` (`U-3`) is None for a dry run, kept nowhere."""

    plan_id: int
    plan_name: str
    ref: str | None
    kind: str
    file_name: str
    sheet: str
    header_row: int
    rows: int
    added: int
    updated: int
    unchanged: int
    refused: tuple[RowNote, ...]
    warnings: tuple[RowNote, ...]
    columns: tuple[ColumnUse, ...]
    ignored: tuple[str, ...]
    unknown_owners: tuple[str, ...]
    new_partners: tuple[str, ...]
    partners_created: bool
    expires_at: datetime | None

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.updated)


@dataclass(frozen=True)
class ImportAppliedView:
    """An import done: what was added and updated, and the partners made for it."""

    plan_name: str
    ref: str
    kind: str
    file_name: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    new_partners: tuple[str, ...]
    # Rows of the file the preview refused, so not imported.
    left_out: int


@dataclass(frozen=True)
class ImportCancelledView:
    plan_name: str
    ref: str
    file_name: str
