"""What a spreadsheet is once read: sheets of rows of plain cell values, and the file's bounds.

documents/ reads CSV and XLSX bytes into these; everything after works on plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.errors import Invalid
from governance.hints import Command, Hint

Cell = str | int | float | bool | date | datetime | None

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
FILE_HINT = Hint(
    "Save the sheet as .xlsx or .csv (comma, semicolon or tab separated) and try {} again.",
    Command("plan", "import"),
)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name and its rows, each with its row number as the file counts it."""

    name: str
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


@dataclass(frozen=True)
class Workbook:
    """A file read: its sheets in order (a CSV file has one)."""

    file_name: str
    sheets: tuple[Sheet, ...]


class FileRefused(Invalid):
    """The file cannot be read as a table: too big, empty, protected, corrupt or not a table."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint=FILE_HINT)


def too_big(size: int) -> FileRefused:
    megabytes = size / (1024 * 1024)
    return FileRefused(
        f"The file is {megabytes:.1f} MB; I read files of up to {MAX_BYTES // (1024 * 1024)} MB."
    )


def too_many_rows() -> FileRefused:
    return FileRefused(
        f"The file has more than {MAX_ROWS:,} rows; I import up to {MAX_ROWS:,} at a time. "
        "Split it into smaller files."
    )


def is_blank(cells: tuple[Cell, ...]) -> bool:
    """A row with nothing in it (empty strings and spaces count as nothing)."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)
