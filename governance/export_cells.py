"""What a cell of an exported table may hold, and how it reads as text.

Rows keep their types (a due date is a date, a score an int) so a workbook can store dates
as dates and numbers as numbers; a CSV file reads every cell through `cell_text`.
"""

from __future__ import annotations

from datetime import date

Cell = str | int | float | date | None


def cell_text(cell: Cell) -> str:
    """The cell as CSV shows it: ISO dates, whole numbers as written, ten significant figures
    for measured values (enough for an analyst's check, without float noise), nothing for
    no value."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        return format(cell, ".10g")
    return str(cell)
