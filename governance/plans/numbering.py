"""Per-plan reference numbers (A-1, R-1, F-1, W-1, M-1, L-1, D-1, I-1) that never repeat,
even under races."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import update
from sqlalchemy.orm import Session

from governance.plans.models import Plan

Counter = Literal[
    "action", "risk", "feedback", "win", "measure", "feedback_link", "decision", "issue"
]


def next_number(session: Session, plan_id: int, counter: Counter, count: int = 1) -> int:
    """Take the next number of `counter` in this plan (or the first of the next `count`).

    One atomic UPDATE ... RETURNING: concurrent transactions queue on the plan row, so two
    adds never share a number.
    """
    column = getattr(Plan, f"next_{counter}_number")
    taken = session.execute(
        update(Plan)
        .where(Plan.id == plan_id)
        .values({column: column + count})
        .returning(column)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return int(taken) - count
