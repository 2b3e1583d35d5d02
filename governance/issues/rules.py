"""The rules of an issue, each written once: its severity on the NHS consequence scale (the
same 1-5 words as a risk's impact), open or resolved, how open issues are ordered, and when
an open issue has been open long enough to go to the plan's leads."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement

from governance.issues.models import Issue
from governance.risks.rules import IMPACT_WORDS

# An issue is a consequence that has arrived, so it is graded on the consequence scale.
SEVERITY_WORDS = IMPACT_WORDS


class IssueStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


def severity_word(severity: int) -> str:
    """`4` is "major"."""
    if not 1 <= severity <= 5:
        raise ValueError(f"a severity is 1 to 5, not {severity}")
    return SEVERITY_WORDS[severity - 1]


def is_open(status: IssueStatus | str) -> bool:
    return IssueStatus(status) is IssueStatus.OPEN


def is_open_clause() -> ColumnElement[bool]:
    """SQL: the issue is not resolved yet."""
    return Issue.status == IssueStatus.OPEN.value


def days_open(opened_on: date, today: date) -> int:
    """Whole days since the issue was opened (0 on the day itself)."""
    return (today - opened_on).days


def is_escalated(opened_on: date, status: IssueStatus | str, limit_days: int, today: date) -> bool:
    """Open longer than the plan's limit: the leads should hear of it."""
    return is_open(status) and days_open(opened_on, today) > limit_days
