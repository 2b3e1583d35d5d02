"""Which column is which: headers matched to fields by the names people give them, whatever
their case and punctuation (`% complete`, `Due Date`, `R.A.G.`), and the header row found
under any title rows above it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from governance.imports.table import Cell, Sheet, is_blank

Kind = Literal["actions", "risks"]
KINDS: tuple[Kind, ...] = ("actions", "risks")

# Headers, folded to lower-case letters and digits, by the field they fill.
_SHARED = {
    "ref": ("ref", "reference", "id", "no", "number", "refno", "refnumber"),
    "description": ("description", "details", "detail", "narrative"),
    "owner": ("owner", "lead", "responsible", "leadofficer", "responsibleperson", "assignedto"),
    "function": ("workstream", "peoplefunction", "function", "theme"),
    "status": ("status",),
}
SYNONYMS: Mapping[Kind, Mapping[str, tuple[str, ...]]] = {
    "actions": {
        **_SHARED,
        "ref": (*_SHARED["ref"], "actionid", "actionref", "actionno", "actionnumber"),
        "title": ("title", "action", "actiontitle", "summary"),
        "owner": (*_SHARED["owner"], "actionowner"),
        "due": ("due", "duedate", "deadline", "targetdate", "dueby", "date"),
        "status": ("status", "rag", "brag", "ragstatus", "bragstatus"),
        "progress": ("progress", "complete", "percentcomplete", "progresspercent", "pc"),
        "partner": ("partner", "organisation", "organization", "org", "partnerorganisation"),
    },
    "risks": {
        **_SHARED,
        "ref": (*_SHARED["ref"], "riskid", "riskref", "riskno", "risknumber"),
        "title": ("title", "risk", "risktitle", "summary"),
        "owner": (*_SHARED["owner"], "riskowner"),
        "likelihood": ("likelihood", "l", "probability"),
        "impact": ("impact", "i", "consequence", "c", "severity"),
        "score": ("score", "riskscore", "currentscore", "rating", "lxi", "lxc"),
        "target": ("targetscore", "target", "targetrating"),
        "mitigation": ("mitigation", "mitigations", "controls", "controlsmitigation", "actions"),
        "review": ("review", "reviewdate", "nextreview", "nextreviewdate", "reviewby"),
        "shares": ("share", "shares", "riskshare", "partners", "partnershares"),
    },
}
# What each field is called in a preview.
FIELD_NAMES = {
    "ref": "Ref/ID",
    "title": "title",
    "description": "description",
    "owner": "owner",
    "due": "due date",
    "status": "status",
    "progress": "progress",
    "function": "people function",
    "partner": "partner",
    "likelihood": "likelihood",
    "impact": "impact",
    "score": "score",
    "target": "target score",
    "mitigation": "mitigation",
    "review": "review date",
    "shares": "risk share",
}
# Looked for among this many rows at the top of a sheet.
HEADER_SEARCH_ROWS = 20


def fold(text: str) -> str:
    """A header as compared: lower-case letters and digits only."""
    return "".join(re.findall(r"[a-z0-9]+", text.lower()))


def names_kind(sheet_name: str, kind: Kind) -> bool:
    """Whether a sheet's name says it holds `kind`: "Actions", "Action log", "Risk register"."""
    return kind.removesuffix("s") in fold(sheet_name)


@dataclass(frozen=True)
class Columns:
    """The header row's number, each recognised field's column index and header, and the
    headers ignored."""

    header_row: int
    fields: Mapping[str, int]
    headers: Mapping[str, str]
    ignored: tuple[str, ...]

    def get(self, cells: Sequence[Cell], field: str) -> Cell:
        index = self.fields.get(field)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def _field_for(header: str, kind: Kind) -> str | None:
    folded = fold(header)
    for field, names in SYNONYMS[kind].items():
        if folded in names:
            return field
    return None


def _text(cell: Cell) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def match_columns(sheet: Sheet, kind: Kind) -> Columns | None:
    """The header row of `sheet` (the row among the first few naming the most fields, a title
    among them) and what each column holds; None when no row looks like a header.

    A header cell left empty under a merged cell takes the text above it, and a header not
    recognised alone is tried with the group header above it ("Target" over "date").
    """
    best: Columns | None = None
    above: tuple[Cell, ...] = ()
    for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        if is_blank(cells):
            continue
        columns = _columns(number, cells, above, kind)
        if "title" in columns.fields and (best is None or len(columns.fields) > len(best.fields)):
            best = columns
        above = _carried(above, cells)
    return best


def _carried(above: tuple[Cell, ...], cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """A merged group header spans the empty cells to its right."""
    carried: list[Cell] = []
    last: Cell = None
    for cell in cells:
        last = cell if _text(cell) else last
        carried.append(last)
    return tuple(carried)


def _columns(number: int, cells: tuple[Cell, ...], above: tuple[Cell, ...], kind: Kind) -> Columns:
    fields: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index in range(max(len(cells), len(above))):
        header = _text(cells[index]) if index < len(cells) else ""
        group = _text(above[index]) if index < len(above) else ""
        if not header:
            header = group
            group = ""
        if not header:
            continue
        field = _field_for(header, kind)
        if field is None and group:
            field = _field_for(f"{group} {header}", kind)
            header = f"{group} {header}" if field else header
        if field is None or field in fields:
            ignored.append(header)
            continue
        fields[field] = index
        headers[field] = header
    if "title" not in fields and "description" in fields:
        # A log with only a description column: the description is the action's title.
        fields["title"] = fields.pop("description")
        headers["title"] = headers.pop("description")
    return Columns(number, fields, headers, tuple(ignored))
