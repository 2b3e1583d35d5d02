"""Reading one cell's value as people write it in a spreadsheet: dates (Excel's, ISO, UK
day-first text), BRAG letters and words, progress as `40`, `40%` or `0.4`, scores and shares.

Each reader returns the value or raises RowRefused with words for the preview
("due date 31/02/2027 is not a date").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from governance.actions.status import ActionStatus, parse_status
from governance.errors import Invalid
from governance.imports.table import Cell
from governance.parsing.dates import parse_date
from governance.risks.rules import IMPACT_WORDS, LIKELIHOOD_WORDS, RiskStatus

# Excel counts days from 30 December 1899; serials in this range are dates from 1954 to 2119.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIALS = range(20_000, 80_000)
_SHARE = re.compile(r"(.+?)\s*[=:]?\s*(\d{1,3}(?:\.\d+)?)\s*%?")
_LEAD_TAG = re.compile(r"\s*\(\s*lead\s*\)\s*$", re.IGNORECASE)
# Status words spreadsheets use beyond the BRAG set.
_STATUS_WORDS = {
    "in progress": ActionStatus.ON_TRACK,
    "ongoing": ActionStatus.ON_TRACK,
    "delivered": ActionStatus.DONE,
    "not yet started": ActionStatus.NOT_STARTED,
}
# The words govbot's own exports write (`Amber (issues being managed)`), read back.
_STATUS_LABELS = {status.label.lower(): status for status in ActionStatus}


class RowRefused(Exception):
    """One row cannot be imported; `reason` says why, without the row number."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def text(cell: Cell) -> str:
    """A cell as text, trimmed; numbers that are whole are written without `.0`."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def _shown(cell: Cell) -> str:
    shown = " ".join(text(cell).split())
    return shown if len(shown) <= 40 else shown[:39] + "…"


def read_date(cell: Cell, what: str, today: date) -> date | None:
    """A date cell (Excel's own, a serial number, ISO or UK day-first text); None when empty."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer() and int(cell) in _EXCEL_SERIALS:
            return _EXCEL_EPOCH + timedelta(days=int(cell))
        raise RowRefused(f"{what} {_shown(cell)} is not a date")
    typed = text(cell)
    if not typed:
        return None
    try:
        return parse_date(typed, today)
    except Invalid:
        raise RowRefused(f"{what} {_shown(cell)} is not a date") from None


def read_status(cell: Cell) -> ActionStatus | None:
    """A BRAG status: `R`, `A`, `G`, `B`, `Red`, `Amber`, `Complete`, `Not started`…, or
    as an export words it: `Amber (issues being managed)`."""
    typed = text(cell)
    if not typed:
        return None
    folded = " ".join(typed.lower().split())
    known = _STATUS_WORDS.get(folded) or _STATUS_LABELS.get(folded)
    if known is not None:
        return known
    try:
        return parse_status(typed)
    except Invalid:
        raise RowRefused(
            f"status {_shown(cell)} is not one I know (R, A, G, B, Red, Amber, Green, Blue, "
            "Complete, Not started, Cancelled)"
        ) from None


def read_progress(cell: Cell) -> int | None:
    """Progress as `40`, `40%` or a fraction `0.4` (what a percent-formatted cell holds)."""
    typed = text(cell)
    if not typed:
        return None
    percent = typed.endswith("%")
    try:
        value = float(typed.removesuffix("%").strip())
    except ValueError:
        raise RowRefused(f"progress {_shown(cell)} is not a percentage") from None
    if not percent and 0 < value < 1:
        value *= 100
    if not 0 <= value <= 100:
        raise RowRefused(f"progress {_shown(cell)} is not from 0% to 100%")
    return round(value)


def read_scale(cell: Cell, what: str) -> int | None:
    """Likelihood or impact: 1–5, or its word (`likely`, `major`)."""
    typed = text(cell).lower()
    if not typed:
        return None
    words = LIKELIHOOD_WORDS if what == "likelihood" else IMPACT_WORDS
    if typed in words:
        return words.index(typed) + 1
    leading = re.match(r"([1-5])\b", typed)
    if leading:
        return int(leading[1])
    raise RowRefused(f"{what} {_shown(cell)} is not 1 to 5 (or {', '.join(words)})")


def read_score(cell: Cell, what: str) -> int | None:
    """A risk score 1–25 (the first number written: `20 (extreme)` is 20)."""
    typed = text(cell)
    if not typed:
        return None
    leading = re.match(r"(\d{1,2})\b", typed)
    if leading is None or not 1 <= int(leading[1]) <= 25:
        raise RowRefused(f"{what} {_shown(cell)} is not a score from 1 to 25")
    return int(leading[1])


def read_risk_status(cell: Cell) -> RiskStatus | None:
    typed = text(cell).lower()
    if not typed:
        return None
    if typed in ("open", "live", "active", "current"):
        return RiskStatus.OPEN
    if typed in ("closed", "close", "retired", "archived"):
        return RiskStatus.CLOSED
    raise RowRefused(f"risk status {_shown(cell)} is neither open nor closed")


def read_shares(cell: Cell) -> list[tuple[str, int]]:
    """A share written `Torbay Council 60%; RD&E 40%` (also `=60` or `: 60`, `,` or `;`),
    the lead partner first: the first listed, or the one tagged `(lead)` as exports write it
    (`RD&E 40% (lead); Torbay Council 60%`)."""
    typed = text(cell)
    if not typed:
        return []
    lines: list[tuple[str, int]] = []
    leads: list[tuple[str, int]] = []
    for part in re.split(r"[;\n]|,(?=\s*[^\d\s])", typed):
        part = part.strip().strip('"“”')
        tagged = _LEAD_TAG.search(part)
        part = part[: tagged.start()] if tagged else part
        if not part:
            continue
        match = _SHARE.fullmatch(part)
        if match is None or not float(match[2]).is_integer():
            raise RowRefused(
                f"risk share “{_shown(part)}” is not a partner and a whole percent "
                "(write it like Torbay Council 60%; RD&E 40%)"
            )
        line = (match[1].strip().strip('"“”'), int(float(match[2])))
        (leads if tagged else lines).append(line)
    if len(leads) > 1:
        raise RowRefused(
            f"risk share “{_shown(typed)}” names {len(leads)} lead partners; a share has one"
        )
    return leads + lines
