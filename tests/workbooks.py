"""Spreadsheets as programme offices keep them, made with openpyxl for the import tests and the
import benchmark: a title row, a merged group header over two header rows, UK dates, BRAG
letters and owners by e-mail address."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook

TITLE = "Devon ICS integrated workforce plan: action log (November 2026)"
# Row 3 groups the two date columns under a merged "Dates" cell; row 4 names them.
GROUP_HEADER = [
    "Ref",
    "Action",
    "Lead",
    "Dates",
    None,
    "RAG",
    "% complete",
    "Workstream",
    "Organisation",
    "Comments",
]
HEADER = [None, None, None, "Due", "Last reviewed", None, None, None, None, None]
FIRST_DATA_ROW = 5


def action_log(rows: Iterable[Sequence[Any]], *, sheets_before: int = 0) -> bytes:
    """An .xlsx action log holding `rows` (Ref, Action, Lead, Due, Last reviewed, RAG,
    % complete, Workstream, Organisation, Comments) from row 5, after a title and headers;
    `sheets_before` notes sheets come first, as real workbooks' cover sheets do."""
    book = Workbook()
    first = book.active
    assert first is not None
    if sheets_before:
        first.title = "Read me"
        first.append(["How to fill in this log"])
        first.append(["Use one row per action."])
        sheet = book.create_sheet("Action log")
    else:
        sheet = first
        sheet.title = "Action log"
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(GROUP_HEADER)
    sheet.append(HEADER)
    sheet.merge_cells("D3:E3")
    for column in ("A", "B", "C", "F", "G", "H", "I", "J"):
        sheet.merge_cells(f"{column}3:{column}4")
    for row in rows:
        sheet.append(list(row))
    # Formatting dragged far below the data leaves empty styled rows and columns behind.
    sheet.cell(row=sheet.max_row + 40, column=14).number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MESSY_ROWS = [
    [
        "ACT-01",
        "Recruit 40 healthcare support workers",
        "sam.jones@devon.nhs.uk",
        "03/04/2027",
        datetime(2026, 11, 2),
        "G",
        0.4,
        "supply",
        "Devon County Council",
        "On plan",
    ],
    [
        "ACT-02",
        "Wellbeing hubs in every acute trust",
        "priya.shah@torbay.gov.uk",
        datetime(2027, 1, 31),
        None,
        "A",
        "40%",
        "1",
        "Torbay Council",
        None,
    ],
    [],
    [
        "ACT-03",
        "Rotational posts across health and social care",
        "sam.jones@devon.nhs.uk",
        "31/02/2027",
        None,
        "R",
        10,
        "Transformation",
        None,
        "date to confirm",
    ],
    [
        "ACT-04",
        "Leadership programme for ward managers",
        "nobody@example.org",
        "2027-06-30",
        None,
        "Not started",
        None,
        "leadership",
        "Devon County Council",
        None,
    ],
    [
        "ACT-05",
        "Reasonable adjustments passport",
        "SAM.JONES@devon.nhs.uk",
        "1/9/26",
        None,
        "B",
        None,
        "inclusion",
        None,
        "Delivered in September",
    ],
]
"""Row 5 on: five actions, one blank row (7), a bad date on row 8 and an unknown owner on 9."""
