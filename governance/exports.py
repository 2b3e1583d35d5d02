"""Exports for board papers: a plan's actions, risks, feedback, measures, decisions or
issues as tables of typed cells, read as CSV text here and written as workbooks by
`documents/workbooks.py`.

`EXPORTS`, at the end, is the one place a kind of export is added: its sheet's name, what it
holds, how its rows are made and who may export it. Feedback is exported only to the people
who may read it, and an anonymous row carries no author: there is none to carry, the
database forbids one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from governance.actions.models import Action
from governance.actions.rules import is_overdue
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.decisions.use_cases import decision_rows
from governance.dependencies.queries import waits_on_by_action
from governance.errors import Invalid, NotAllowed
from governance.export_cells import Cell, cell_text
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
from governance.plans.roles import PlanRole
from governance.risks.models import Risk, RiskShare

Rows = tuple[tuple[str, ...], list[tuple[Cell, ...]]]  # a header, and a row of cells per record

# Columns that hold people's ids; the adapter shows their names instead.
PERSON_COLUMNS = ("Owner", "Author", "Answered by", "Proposed by", "Decided by")

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _slug(plan_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plan_name.lower()).strip("-")[:60] or "plan"


@dataclass(frozen=True)
class ExportTableView:
    kind: str
    plan_name: str
    on: date  # the day of the export, in the plan's timezone
    header: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]  # typed: dates, whole numbers, measured values, text

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The cells as CSV shows them."""
        return tuple(tuple(cell_text(cell) for cell in row) for row in self.cells)

    @property
    def sheet_name(self) -> str:
        return EXPORTS[self.kind].sheet_name

    @property
    def about(self) -> str:
        return EXPORTS[self.kind].about

    @property
    def person_columns(self) -> tuple[int, ...]:
        """Indexes of the columns whose cells are people's ids (empty when nobody)."""
        return tuple(i for i, name in enumerate(self.header) if name in PERSON_COLUMNS)

    @property
    def person_ids(self) -> set[str]:
        """The ids in the person columns."""
        return {
            cell
            for row in self.cells
            for i in self.person_columns
            if isinstance(cell := row[i], str) and cell
        }

    def with_people_named(self, names: dict[str, str]) -> ExportTableView:
        """The same table with each person's id in a person column replaced by `names[id]`."""
        columns = set(self.person_columns)
        cells = tuple(
            tuple(
                names.get(cell, cell) if i in columns and isinstance(cell, str) else cell
                for i, cell in enumerate(row)
            )
            for row in self.cells
        )
        return ExportTableView(self.kind, self.plan_name, self.on, self.header, cells)

    @property
    def stem(self) -> str:
        """The file's name without its extension: the plan, the kind and the day."""
        return f"{_slug(self.plan_name)}-{self.kind}-{self.on.isoformat()}"

    @property
    def filename(self) -> str:
        return f"{self.stem}.csv"


@dataclass(frozen=True)
class WithheldSheet:
    """A kind left out of a workbook, and why (fit to show the person who asked)."""

    sheet_name: str
    reason: str


@dataclass(frozen=True)
class ExportBookView:
    """Several tables for one workbook: `export all`."""

    plan_name: str
    on: date
    tables: tuple[ExportTableView, ...]
    withheld: tuple[WithheldSheet, ...]

    @property
    def person_ids(self) -> set[str]:
        return set().union(*(table.person_ids for table in self.tables))

    def with_people_named(self, names: dict[str, str]) -> ExportBookView:
        tables = tuple(table.with_people_named(names) for table in self.tables)
        return ExportBookView(self.plan_name, self.on, tables, self.withheld)

    def has(self, kind: str) -> bool:
        return any(table.kind == kind for table in self.tables)

    @property
    def stem(self) -> str:
        return f"{_slug(self.plan_name)}-all-{self.on.isoformat()}"


def export_rows(
    uow: UnitOfWork, actor: Actor, kind: str, plan_id: int | None = None
) -> ExportTableView:
    """The plan's actions, risks, feedback, measures, decisions or issues as a header and
    rows, oldest first."""
    if kind not in EXPORTS:
        raise Invalid(
            f"“{kind}” is not something I can export.",
            hint=Hint(
                "Use " + ", ".join(["{}"] * (len(EXPORTS) - 1)) + " or {}.",
                *(Command("plan", f"export {known}") for known in EXPORTS),
            ),
        )
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return _table(session, actor, plan, kind, local_today(uow.now(), plan.timezone))


def export_book(
    uow: UnitOfWork, actor: Actor, kinds: Sequence[str] | None = None, plan_id: int | None = None
) -> ExportBookView:
    """Every kind (or `kinds`) in one transaction, for one workbook; a kind the actor may not
    export is left out and named with the reason."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        today = local_today(uow.now(), plan.timezone)
        tables: list[ExportTableView] = []
        withheld: list[WithheldSheet] = []
        for kind in kinds or EXPORT_KINDS:
            try:
                tables.append(_table(session, actor, plan, kind, today))
            except NotAllowed as refused:
                withheld.append(WithheldSheet(EXPORTS[kind].sheet_name, refused.message))
        return ExportBookView(plan.name, today, tuple(tables), tuple(withheld))


def _table(session: Session, actor: Actor, plan: Plan, kind: str, today: date) -> ExportTableView:
    export = EXPORTS[kind]
    if export.readers:
        require_role(session, plan, actor.user_id, export.readers, doing=f"export {kind}")
    header, rows = export.rows(session, plan, today)
    return ExportTableView(kind, plan.name, today, header, tuple(rows))


def to_csv(table: ExportTableView) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it right), every cell as text, formula
    cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows([_defused(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _defused(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _local_date(instant: datetime | None, plan: Plan) -> date | None:
    return instant.astimezone(ZoneInfo(plan.timezone)).date() if instant else None


def _function(item: Action | Risk | Feedback | Issue) -> str:
    return f"{item.function.number} {item.function.key}" if item.function else ""


def _action_rows(session: Session, plan: Plan, today: date) -> Rows:
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
        "Waits on",
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
    waits_on = waits_on_by_action(session, plan.id)
    rows: list[tuple[Cell, ...]] = []
    for action in actions:
        status = ActionStatus(action.status)
        overdue = is_overdue(action.due_date, status, today)
        rows.append(
            (
                action.ref,
                action.title,
                status.label,
                action.progress,
                action.owner_id or "",
                action.partner.name if action.partner else "",
                _function(action),
                action.due_date,
                "yes" if overdue else "no",
                ", ".join(waits_on.get(action.id, ())),
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


def _risk_rows(session: Session, plan: Plan, today: date) -> Rows:
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
    rows: list[tuple[Cell, ...]] = [
        (
            risk.ref,
            risk.title,
            risk.status,
            risk.likelihood,
            risk.impact,
            risk.score,
            risk.grade.value,
            risk.target_score,
            risk.owner_id or "",
            _function(risk),
            risk.review_date,
            risk.mitigation,
            share_text(risk.shares),
            risk.description,
        )
        for risk in risks
    ]
    return header, rows


def _issue_rows(session: Session, plan: Plan, today: date) -> Rows:
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
    rows: list[tuple[Cell, ...]] = []
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
                view.opened_on,
                view.days_open if view.is_open else None,
                view.description,
                _local_date(issue.resolved_at, plan),
                view.resolution,
            )
        )
    return header, rows


def _feedback_rows(session: Session, plan: Plan, today: date) -> Rows:
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
    rows: list[tuple[Cell, ...]] = [
        (
            item.ref,
            _local_date(item.created_at, plan),
            item.source,
            _function(item),
            item.service_area or "",
            item.rating,
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


@dataclass(frozen=True)
class Export:
    """A kind of export: its sheet in a workbook, what the sheet holds (for the cover), how
    its rows are made, and who may export it when not every member may."""

    sheet_name: str  # at most 31 characters, none of []:*?/\ (a workbook's rule)
    about: str
    rows: Callable[[Session, Plan, date], Rows]
    readers: tuple[PlanRole, ...] = ()


# The one place to add a kind: `/plan export <kind>`, its CSV file and its workbook sheet
# all follow from its entry here.
EXPORTS: dict[str, Export] = {
    "actions": Export(
        "Actions",
        "Every action: status in words, progress, owner, partner, people function and due date",
        _action_rows,
    ),
    "risks": Export(
        "Risks",
        "Every risk: likelihood × impact, score and grade, target, owner, review date, "
        "mitigation and how the partners share it",
        _risk_rows,
    ),
    "feedback": Export(
        "Feedback",
        "Feedback from staff, service users, carers and partners, with the answers given; "
        "anonymous feedback has no author",
        _feedback_rows,
        readers=FEEDBACK_READERS,
    ),
    "measures": Export(
        "Measures",
        "One row per value of every measure, with the mean, process limits and readings",
        measure_rows,
    ),
    "decisions": Export(
        "Decisions",
        "Every decision: what was proposed and why, its evidence and what it affects, "
        "the outcome, who decided, when and where",
        decision_rows,
    ),
    "issues": Export(
        "Issues",
        "Every issue: severity, owner, partners, linked actions, the risk it was, how long it "
        "was open and how it was resolved",
        _issue_rows,
    ),
}
EXPORT_KINDS: tuple[str, ...] = tuple(EXPORTS)
