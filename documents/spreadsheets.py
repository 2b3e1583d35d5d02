"""Uploaded spreadsheets read into rows of plain cells: CSV (UTF-8 with or without a BOM, or
Windows-1252, which Excel's UK "CSV" saves; comma, semicolon or tab separated; quoted line
breaks) and XLSX (read-only, formulas as their cached values, every sheet).

What cannot be a table is refused before anything else happens: too big, empty, a workbook
with a password (Excel encrypts those into an OLE file, not a zip), a corrupt one, or a web
page saved with a .csv name.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from governance.imports.table import (
    MAX_BYTES,
    MAX_ROWS,
    Cell,
    FileRefused,
    Sheet,
    Workbook,
    is_blank,
    too_big,
    too_many_rows,
)

# Excel's encrypted (password-protected) workbooks and old .xls files are OLE compound files.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_HTML = re.compile(rb"^\s*<(?:!doctype|html|head|body|table|meta|\?xml)", re.IGNORECASE)
_SNIFF_BYTES = 64 * 1024
_SEPARATORS = ",;\t|"
# Rows beyond the row limit allowed for a header and titles above it.
_SPARE_ROWS = 50


def read_spreadsheet(content: bytes, file_name: str) -> Workbook:
    """The sheets of an uploaded .csv, .tsv, .txt or .xlsx file, or a FileRefused saying why not."""
    if len(content) > MAX_BYTES:
        raise too_big(len(content))
    if not content.strip():
        raise FileRefused(f"{file_name} is empty.")
    if content.startswith(_OLE):
        raise FileRefused(
            f"{file_name} is password-protected (or an old .xls workbook), so I can't read it. "
            "Remove the password, or save it as .xlsx."
        )
    if content.startswith(_ZIP):
        return _read_xlsx(content, file_name)
    if PurePath(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        raise FileRefused(f"{file_name} is not a workbook Excel could open: it looks damaged.")
    if _HTML.match(content[:1024]):
        raise FileRefused(
            f"{file_name} is a web page, not a spreadsheet (it was probably saved from a browser). "
            "Open it in Excel and save it as .xlsx or .csv."
        )
    return _read_csv(content, file_name)


def _decoded(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; Latin-1 reads every byte.
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            return content.decode("latin-1")


def _read_csv(content: bytes, file_name: str) -> Workbook:
    text = _decoded(content)
    if "\x00" in text:
        raise FileRefused(f"{file_name} is not a text file of rows and columns.")
    dialect = _dialect(text[:_SNIFF_BYTES])
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        # Numbered 1, 2, 3… as Excel shows the file, whatever line breaks quoted cells hold.
        rows = _kept(enumerate((_cells(cells) for cells in reader), start=1))
    except csv.Error as exc:
        raise FileRefused(f"{file_name} is not a CSV file I can read ({exc}).") from None
    return Workbook(file_name=file_name, sheets=(Sheet(name=PurePath(file_name).stem, rows=rows),))


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """csv.Sniffer's guess when it splits the first row into columns; otherwise the separator
    that splits the first rows into the same number of columns most often (the Sniffer can be
    misled by commas inside a semicolon-separated file's text)."""
    try:
        sniffed: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=_SEPARATORS
        )
    except csv.Error:
        sniffed = csv.excel
    if _agreement(sample, sniffed)[0]:
        return sniffed
    best = max(_SEPARATORS, key=lambda separator: _agreement(sample, _Separated(separator)))
    return _Separated(best)


class _Separated(csv.excel):
    def __init__(self, separator: str) -> None:
        super().__init__()
        self.delimiter = separator


def _agreement(sample: str, dialect: type[csv.Dialect] | csv.Dialect) -> tuple[bool, int, int]:
    """Whether the first row has columns, how many of the first rows have as many, and that
    number of columns."""
    try:
        rows = [
            row
            for _, row in zip(
                range(20), csv.reader(io.StringIO(sample, newline=""), dialect), strict=False
            )
            if row
        ]
    except csv.Error:
        return (False, 0, 0)
    if not rows:
        return (False, 0, 0)
    width = len(rows[0])
    return (width > 1, sum(len(row) == width for row in rows), width)


def _cells(cells: list[str]) -> tuple[Cell, ...]:
    """A CSV row's cells, line breaks within them written as a spreadsheet's cell holds them."""
    return tuple(cell.replace("\r\n", "\n") for cell in cells)


def _kept(
    numbered: Iterable[tuple[int, tuple[Cell, ...]]],
) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    """The rows with anything in them, trimmed of empty cells at their end, keeping their
    numbers; refused past the row limit (with room for title and header rows)."""
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    for number, cells in numbered:
        if is_blank(cells):
            continue
        if len(rows) >= MAX_ROWS + _SPARE_ROWS:
            raise too_many_rows()
        rows.append((number, _trimmed(cells)))
    return tuple(rows)


def _read_xlsx(content: bytes, file_name: str) -> Workbook:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRefused(
            f"{file_name} is not a workbook Excel could open: it looks damaged."
        ) from None
    try:
        sheets = []
        for worksheet in book.worksheets:
            numbered = enumerate(worksheet.iter_rows(values_only=True), start=1)
            sheets.append(Sheet(name=worksheet.title, rows=_kept(numbered)))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(
            f"{file_name} is not a workbook Excel could open: it looks damaged."
        ) from None
    finally:
        book.close()
    return Workbook(file_name=file_name, sheets=tuple(sheets))


def _trimmed(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """A row without the empty cells at its end (sheets often carry hundreds)."""
    end = len(cells)
    while end and (cells[end - 1] is None or cells[end - 1] == ""):
        end -= 1
    return cells[:end]
