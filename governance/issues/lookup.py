"""Finding a plan's issues: by number (`I-3`), and the issue each risk became."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.errors import NotFound
from governance.hints import Command, Hint
from governance.issues.models import Issue
from governance.parsing.references import format_ref
from governance.plans.models import Plan

LIST_HINT = Hint("{} shows them.", Command("issue", "list all"))


def find_issue(session: Session, plan: Plan, number: int, *, lock: bool = False) -> Issue:
    """The plan's issue `I-<number>`, or NotFound saying which issues the plan has."""
    query = select(Issue).where(Issue.plan_id == plan.id, Issue.number == number)
    issue = session.scalar(query.with_for_update() if lock else query)
    if issue is None:
        raise NotFound(
            f"There is no {format_ref('I', number)} in this plan; "
            + what_exists(session, plan, Issue, "I", "issue"),
            hint=LIST_HINT,
        )
    return issue


def issue_for_risk(session: Session, risk_ids: Iterable[int]) -> dict[int, str]:
    """The issue each of these risks became, by risk id: `{risk_id: "I-3"}`."""
    ids = list(risk_ids)
    if not ids:
        return {}
    rows = session.execute(select(Issue.risk_id, Issue.number).where(Issue.risk_id.in_(ids)))
    return {risk_id: format_ref("I", number) for risk_id, number in rows if risk_id is not None}


def what_exists(session: Session, plan: Plan, model: type, prefix: str, kind: str) -> str:
    """What a plan has of a numbered kind: `its issues are I-1 to I-4.`, or none yet."""
    low, high, count = session.execute(
        select(func.min(model.number), func.max(model.number), func.count()).where(  # type: ignore[attr-defined]
            model.plan_id == plan.id  # type: ignore[attr-defined]
        )
    ).one()
    if not count:
        return f"it has no {kind}s yet."
    if low == high:
        return f"its only {kind} is {format_ref(prefix, low)}."
    return f"its {kind}s are {format_ref(prefix, low)} to {format_ref(prefix, high)}."
