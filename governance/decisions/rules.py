"""The rules of a decision, each written once: its statuses and which of them are taken, who
may decide, and what a decision may rest on (`informed-by`) or affect (`affects`).

The links are a closed set. Issues (`I-`) belong to it so the data model is ready for them,
but until issues exist in this plan's database they are refused by name (`LINKABLE_NOW`).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement

from governance.decisions.models import Decision
from governance.plans.permissions import MANAGERS
from governance.plans.roles import PlanRole


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    REJECTED = "rejected"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Outcome(StrEnum):
    """What a chair or lead can decide, and the status each leaves."""

    AGREE = "agree"
    REJECT = "reject"
    DEFER = "defer"

    @property
    def status(self) -> DecisionStatus:
        return _OUTCOME_STATUS[self]


_OUTCOME_STATUS = {
    Outcome.AGREE: DecisionStatus.AGREED,
    Outcome.REJECT: DecisionStatus.REJECTED,
    Outcome.DEFER: DecisionStatus.DEFERRED,
}

# A deferred decision is still the board's to take; agreed and rejected ones are taken.
AWAITING = (DecisionStatus.PROPOSED, DecisionStatus.DEFERRED)
TAKEN = (DecisionStatus.AGREED, DecisionStatus.REJECTED)
DECIDERS: tuple[PlanRole, ...] = MANAGERS


class LinkRole(StrEnum):
    INFORMED_BY = "informed-by"
    AFFECTS = "affects"


class LinkKind(StrEnum):
    MEASURE = "measure"
    RISK = "risk"
    ISSUE = "issue"
    FEEDBACK = "feedback"
    ACTION = "action"
    PARTNER = "partner"


# Each reference letter's kind of link.
KIND_OF_LETTER = {
    "M": LinkKind.MEASURE,
    "R": LinkKind.RISK,
    "I": LinkKind.ISSUE,
    "F": LinkKind.FEEDBACK,
    "A": LinkKind.ACTION,
}
# What each role may name (the closed set), and of that what this database can hold now.
LINKABLE = {
    LinkRole.INFORMED_BY: (LinkKind.MEASURE, LinkKind.RISK, LinkKind.ISSUE, LinkKind.FEEDBACK),
    LinkRole.AFFECTS: (LinkKind.ACTION, LinkKind.RISK, LinkKind.PARTNER),
}


def is_awaiting(status: DecisionStatus | str) -> bool:
    """Proposed or deferred: the board still has it to decide."""
    return DecisionStatus(status) in AWAITING


def is_awaiting_clause() -> ColumnElement[bool]:
    """The SQL twin of `is_awaiting`."""
    return Decision.status.in_([status.value for status in AWAITING])


def is_taken_clause() -> ColumnElement[bool]:
    """Agreed or rejected: the board has decided."""
    return Decision.status.in_([status.value for status in TAKEN])
