"""Exports for board papers: a plan's actions, risks, feedback, measures or issues as CSV rows.

Feedback is exported only to the people who may read it, and an anonymous row carries no
author: there is none to carry, the database forbids one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.actions.models import Action
from governance.actions.rules import is_overdue
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import Invalid
from governance.feedback.models import Feedback
from governance.hints import Command, Hint
from governance.issues.models import Issue
from governance.issues.use_cases import issue_view, loaded_issues
from governance.local_time import local_today
from governance.measures.use_cases import measure_rows
from governance.parsing.references import format_ref
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.permissions import FEEDBACK_READERS, require_role
from governance.risks.models import Risk, RiskShare

ExportKind = Literal["actions", "risks", "feedback", "measures", "issues"]
EXPORT_KINDS: tuple[str, ...] = get_args(ExportKind)

# Columns that hold people's ids; the adapter shows their names instead.
PERSON_COLUMNS = ("Owner", "Author", "Answered by")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportTableView:
    kind: str
    plan_name: str
    on: date  # the day of the export, in the plan's timezone
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def person_columns(self) -> tuple[int, ...]:
        """Indexes of the columns whose cells are people's ids (empty when nobody)."""
        return tuple(i for i, name in enumerate(self.header) if name in PERSON_COLUMNS)

    def with_people_named(self, names: dict[str, str]) -> ExportTableView:
        """The same table with each person's id in a person column replaced by `names[id]`."""
        columns = set(self.person_columns)
        rows = tuple(
            tuple(names.get(cell, cell) if i in columns else cell for i, cell in enumerate(row))
            for row in self.rows
        )
        return ExportTableView(self.kind, self.plan_name, self.on, self.header, rows)

    @property
    def filename(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.plan_name.lower()).strip("-")[:60] or "plan"
        return f"{slug}-{self.kind}-{self.on.isoformat()}.csv"


def export_rows(
    uow: UnitOfWork, actor: Actor, kind: str, plan_id: int | None = None
) -> ExportTableView:
    """The plan's actions, risks, feedback, measures or issues as a header and rows of text,
    oldest first."""
    if kind not in EXPORT_KINDS:
        raise Invalid(
            f"“{kind}” is not something I can export.",
            hint=Hint(
                "Use {}, {}, {}, {} or {}.",
                Command("plan", "export actions"),
                Command("plan", "export risks"),
                Command("plan", "export feedback"),
                Command("plan", "export measures"),
                Command("plan", "export issues"),
            ),
        )
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        today = local_today(uow.now(), plan.timezone)
        if kind == "actions":
            header, rows = _action_rows(session, plan, today)
        elif kind == "risks":
            header, rows = _risk_rows(session, plan)
        elif kind == "measures":
            header, rows = measure_rows(session, plan, today)
        elif kind == "issues":
            header, rows = _issue_rows(session, plan, today)
        else:
            require_role(session, plan, actor.user_id, FEEDBACK_READERS, doing="export feedback")
            header, rows = _feedback_rows(session, plan)
        return ExportTableView(kind, plan.name, today, header, tuple(rows))


def to_csv(table: ExportTableView) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it right), formula cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_defused(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _defused(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _local_date(instant: datetime | None, plan: Plan) -> str:
    return instant.astimezone(ZoneInfo(plan.timezone)).date().isoformat() if instant else ""


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _function(item: Action | Risk | Feedback | Issue) -> str:
    return f"{item.function.number} {item.function.key}" if item.function else ""


def _action_rows(
    session: Session, plan: Plan, today: date
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    header: tuple[str, ...] = (
        "Ref",
        "Title",
        "Status",
        "Progress %",
        "Owner",
        "Partner",
        "People function",
        "Due",
        "Overdue",
        "Description",
        "Created",
        "Updated",
    )
    actions = session.scalars(
        select(Action)
        .where(Action.plan_id == plan.id)
        .options(joinedload(Action.partner), joinedload(Action.function))
        .order_by(Action.number)
    )
    rows: list[tuple[str, ...]] = []
    for action in actions:
        status = ActionStatus(action.status)
        overdue = is_overdue(action.due_date, status, today)
        rows.append(
            (
                action.ref,
                action.title,
                status.label,
                str(action.progress),
                action.owner_id or "",
                action.partner.name if action.partner else "",
                _function(action),
                _iso(action.due_date),
                "yes" if overdue else "no",
                action.description,
                _local_date(action.created_at, plan),
                _local_date(action.updated_at, plan),
            )
        )
    return header, rows


def share_text(shares: list[RiskShare]) -> str:
    """`Org A 60% (lead); Org B 40%`, the lead partner first."""
    ordered = sorted(shares, key=lambda share: not share.is_lead)
    return "; ".join(
        f"{s.partner.name} {s.percent}%" + (" (lead)" if s.is_lead else "") for s in ordered
    )


def _risk_rows(session: Session, plan: Plan) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    header: tuple[str, ...] = (
        "Ref",
        "Title",
        "Status",
        "Likelihood",
        "Impact",
        "Score",
        "Grade",
        "Target score",
        "Owner",
        "People function",
        "Review date",
        "Mitigation",
        "Risk share",
        "Description",
    )
    risks = session.scalars(
        select(Risk)
        .where(Risk.plan_id == plan.id)
        .options(
            joinedload(Risk.function),
            selectinload(Risk.shares).joinedload(RiskShare.partner),
        )
        .order_by(Risk.number)
    )
    rows: list[tuple[str, ...]] = [
        (
            risk.ref,
            risk.title,
            risk.status,
            str(risk.likelihood),
            str(risk.impact),
            str(risk.score),
            risk.grade.value,
            str(risk.target_score) if risk.target_score is not None else "",
            risk.owner_id or "",
            _function(risk),
            _iso(risk.review_date),
            risk.mitigation,
            share_text(risk.shares),
            risk.description,
        )
        for risk in risks
    ]
    return header, rows


def _issue_rows(
    session: Session, plan: Plan, today: date
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    header: tuple[str, ...] = (
        "Ref",
        "Title",
        "Status",
        "Severity",
        "Owner",
        "People function",
        "Partners",
        "Linked actions",
        "Was risk",
        "Opened",
        "Days open",
        "Description",
        "Resolved",
        "How it was resolved",
    )
    issues = session.scalars(
        loaded_issues(select(Issue).where(Issue.plan_id == plan.id)).order_by(Issue.number)
    )
    rows: list[tuple[str, ...]] = []
    for issue in issues:
        view = issue_view(issue, plan, today)
        rows.append(
            (
                view.ref,
                view.title,
                view.status.value,
                f"{view.severity} {view.severity_word}",
                view.owner_id or "",
                _function(issue),
                "; ".join(
                    p.partner
                    + (f" {p.percent}%" if p.percent else "")
                    + (" (lead)" if p.is_lead else "")
                    for p in view.partners
                ),
                "; ".join(f"{a.ref} ({a.status.label})" for a in view.actions),
                view.risk_ref or "",
                view.opened_on.isoformat(),
                str(view.days_open) if view.is_open else "",
                view.description,
                _local_date(issue.resolved_at, plan),
                view.resolution,
            )
        )
    return header, rows


def _feedback_rows(session: Session, plan: Plan) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    header: tuple[str, ...] = (
        "Ref",
        "Date",
        "Source",
        "People function",
        "Service area",
        "Rating",
        "Anonymous",
        "Author",
        "Text",
        "You said, we did",
        "Answered by",
        "Action",
    )
    action_refs = dict(
        session.execute(select(Action.id, Action.number).where(Action.plan_id == plan.id)).all()
    )
    items = session.scalars(
        select(Feedback)
        .where(Feedback.plan_id == plan.id)
        .options(joinedload(Feedback.function))
        .order_by(Feedback.number)
    )
    rows: list[tuple[str, ...]] = [
        (
            item.ref,
            _local_date(item.created_at, plan),
            item.source,
            _function(item),
            item.service_area or "",
            str(item.rating) if item.rating is not None else "",
            "yes" if item.anonymous else "no",
            "" if item.anonymous else (item.author_id or ""),
            item.text_kept,
            item.answer or "",
            item.answered_by or "",
            format_ref("A", action_refs[item.answer_action_id]) if item.answer_action_id else "",
        )
        for item in items
    ]
    return header, rows
