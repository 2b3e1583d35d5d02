"""Excel workbooks of a plan's exports: one table, or every kind with a cover sheet.

A sheet's header row is frozen and filtered and its columns sized to what they hold; dates
are dates and numbers are numbers, so a board paper's author can sort and sum. Every text
cell is stored as text, never as a formula, whatever it starts with: the CSV's defused
prefix is not needed, and a cell that starts like a formula is also marked to stay text if
someone edits it in Excel.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from governance.actor import Actor
from governance.database import UnitOfWork
from governance.export_cells import Cell as Value
from governance.export_cells import cell_text
from governance.exports import (
    FORMULA_STARTS,
    ExportBookView,
    ExportTableView,
    WithheldSheet,
    export_book,
)

DATE_FORMAT = "d mmm yyyy"  # 1 Nov 2026: no reader takes the day for the month
WHOLE_NUMBER_FORMAT = "0"
COVER_SHEET = "About"
# Column widths in characters: room for a date or a grade at least, and long text wraps
# rather than running off the screen.
MIN_WIDTH = 8
MAX_WIDTH = 60
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")


def table_workbook(table: ExportTableView) -> bytes:
    """One table as a workbook of one sheet."""
    book = Workbook()
    _fill_sheet(book.active, table)
    _describe(book, f"{table.plan_name}: {table.sheet_name.lower()}")
    return _saved(book)


def book_workbook(book: ExportBookView) -> bytes:
    """A cover sheet (the plan, the day, what each sheet holds and what was left out), then
    one sheet per table."""
    workbook = Workbook()
    _fill_cover(workbook.active, book)
    for table in book.tables:
        _fill_sheet(workbook.create_sheet(), table)
    _describe(workbook, f"{book.plan_name}: exports")
    return _saved(workbook)


def actions_and_risks_workbook(
    uow: UnitOfWork,
    actor: Actor,
    names: Mapping[str, str] | None = None,
    plan_id: int | None = None,
) -> bytes:
    """The plan's actions and risks as `/plan export all xlsx` writes them, with owners by
    `names` (a person's id to the name or e-mail address people would type), for moving a
    plan into another through a spreadsheet."""
    book = export_book(uow, actor, kinds=("actions", "risks"), plan_id=plan_id)
    return book_workbook(book.with_people_named(dict(names or {})))


def _fill_sheet(sheet: Worksheet, table: ExportTableView) -> None:
    sheet.title = table.sheet_name
    for column, name in enumerate(table.header, start=1):
        _put(sheet.cell(row=1, column=column), name).font = BOLD
    for row_number, row in enumerate(table.cells, start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=row_number, column=column), value)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(table.header))
    sheet.auto_filter.ref = f"A1:{last}{len(table.cells) + 1}"
    for column, name in enumerate(table.header, start=1):
        values = [row[column - 1] for row in table.cells]
        _size(sheet, column, [name, *values])


def _fill_cover(sheet: Worksheet, book: ExportBookView) -> None:
    sheet.title = COVER_SHEET
    _put(sheet.cell(row=1, column=1), book.plan_name).font = Font(bold=True, size=14)
    _put(sheet.cell(row=2, column=1), "Exported").font = BOLD
    _put(sheet.cell(row=2, column=2), book.on)
    header = ("Sheet", "What it holds", "Rows")
    for column, name in enumerate(header, start=1):
        _put(sheet.cell(row=4, column=column), name).font = BOLD
    lines: list[tuple[Value, ...]] = [
        (table.sheet_name, table.about, len(table.cells)) for table in book.tables
    ]
    lines += [_withheld_line(left_out) for left_out in book.withheld]
    for row_number, line in enumerate(lines, start=5):
        for column, value in enumerate(line, start=1):
            _put(sheet.cell(row=row_number, column=column), value)
    for column in range(1, len(header) + 1):
        _size(sheet, column, [header[column - 1], *(line[column - 1] for line in lines)])


def _withheld_line(left_out: WithheldSheet) -> tuple[Value, ...]:
    return (left_out.sheet_name, f"Not in this workbook. {left_out.reason}", None)


def _put(cell: Cell, value: Value) -> Cell:
    if isinstance(value, str):
        if not value:
            return cell
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl takes a leading "=" for a formula; this is text
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int):
        cell.value = value
        cell.number_format = WHOLE_NUMBER_FORMAT
    elif value is not None:
        cell.value = value
    return cell


def _size(sheet: Worksheet, column: int, values: list[Value]) -> None:
    """Wide enough for the longest line in the column, up to MAX_WIDTH; wider text wraps."""
    longest = max((len(line) for value in values for line in _shown(value).splitlines()), default=0)
    width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
    letter = get_column_letter(column)
    sheet.column_dimensions[letter].width = width
    if longest + 2 > MAX_WIDTH:
        for (cell,) in sheet.iter_rows(min_col=column, max_col=column, min_row=2):
            cell.alignment = WRAPPED


def _shown(value: Value) -> str:
    """About as many characters as the cell shows."""
    return "30 Nov 2026" if isinstance(value, date) else cell_text(value)


def _describe(book: Workbook, title: str) -> None:
    book.properties.title = title
    book.properties.creator = "govbot"


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
