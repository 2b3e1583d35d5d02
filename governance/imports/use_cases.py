"""Use cases for imports: preview a file of actions or risks, then apply or cancel the preview.

A preview works out every row against the plan as it is and keeps the outcome (not the file)
for a day; applying writes exactly that in one transaction, refusing if a record it updates
was changed since, and audits it as one import. Owners are found by `find_owner`, given by
the adapter (a mention, a name or an e-mail address → a user id, or None).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, selectinload

from governance.actions.models import Action, ActionUpdateEntry
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import Conflict, Invalid, NotAllowed, NotFound
from governance.hints import Command, Hint
from governance.imports import values
from governance.imports.columns import (
    FIELD_NAMES,
    SYNONYMS,
    Columns,
    Kind,
    match_columns,
    names_kind,
)
from governance.imports.inputs import ImportFile, ImportRef
from governance.imports.models import ImportedRecord, ImportPreview
from governance.imports.planning import PREFIX, Planned, PlanState, plan_rows
from governance.imports.table import MAX_ROWS, FileRefused, Sheet, Workbook, is_blank, too_many_rows
from governance.imports.views import (
    ColumnUse,
    ImportAppliedView,
    ImportCancelledView,
    ImportFormView,
    ImportPreviewView,
    RowNote,
)
from governance.local_time import local_time, local_today
from governance.parsing.references import format_ref
from governance.plans.membership import plan_for
from governance.plans.models import Partner, Plan, Role
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import find_partner
from governance.plans.permissions import MANAGERS, require_role
from governance.plans.roles import PlanRole
from governance.risks.models import Risk
from governance.risks.rules import default_review_date, score
from governance.risks.share import ResolvedShare, apply_share, in_display_order
from governance.risks.use_cases import audited_fields

FindOwner = Callable[[str], "str | None"]
Progress = Callable[[str], None]

PREVIEW_LIFETIME = timedelta(days=1)
# New actions written per INSERT statement.
_BATCH = 1000
AGAIN_HINT = Hint("Upload the file again with {} for a fresh preview.", Command("plan", "import"))
DOING = "import actions or risks"
# Words that put a new partner in its sector; the first that matches wins.
_SECTOR_WORDS = (
    ("council", ("council", "borough", "county", "city of")),
    ("primary-care", ("practice", "surgery", "pcn", "primary care", "medical centre")),
    ("nhs", ("nhs", "trust", "hospital", "icb", "foundation", "rd&e", "rduh", "ambulance")),
    ("social-care", ("care", "homes", "home ")),
)


def import_form(uow: UnitOfWork, actor: Actor) -> ImportFormView:
    """The plan a file would be imported into; only its leads and chairs import."""
    with uow.transaction() as session:
        plan = plan_for(session, actor)
        require_role(session, plan, actor.user_id, MANAGERS, DOING)
        return ImportFormView(plan_id=plan.id, plan_name=plan.name)


def plan_people(uow: UnitOfWork, actor: Actor, plan_id: int) -> tuple[str, ...]:
    """Everyone the plan knows of (roles and owners), for matching owners written by name."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        people = set(session.scalars(select(Role.user_id).where(Role.plan_id == plan.id)))
        for model in (Action, Risk):
            people.update(
                session.scalars(
                    select(model.owner_id)
                    .where(model.plan_id == plan.id, model.owner_id.is_not(None))
                    .distinct()
                )
            )
        return tuple(sorted(person for person in people if person))


def no_progress(_text: str) -> None:
    """Where progress goes when no one is waiting to hear it."""


def choose_sheet(workbook: Workbook, kind: Kind, sheet: str | None) -> tuple[Sheet, Columns]:
    """The sheet named, else the first that looks like a table of `kind` (a sheet whose name
    says it holds them, "Risks" or "Risk register", before any other), and its columns."""
    sheets = tuple(sorted(workbook.sheets, key=lambda s: not names_kind(s.name, kind)))
    if sheet:
        wanted = " ".join(sheet.lower().split())
        sheets = tuple(s for s in sheets if " ".join(s.name.lower().split()) == wanted)
        if not sheets:
            names = ", ".join(f"“{s.name}”" for s in workbook.sheets)
            raise Invalid(f"The file has no sheet called “{sheet}”; its sheets are {names}.")
    for candidate in sheets:
        columns = match_columns(candidate, kind)
        if columns is not None:
            return candidate, columns
    titles = ", ".join(SYNONYMS[kind]["title"])
    raise FileRefused(
        f"I found no header row in {workbook.file_name}: I look in the first rows of "
        f"{'the sheet' if sheet else 'each sheet'} for a row with a title column "
        f"(one of: {titles}, description)."
    )


def _data_rows(sheet: Sheet, columns: Columns) -> list[tuple[int, tuple[Any, ...]]]:
    rows = [
        (number, cells)
        for number, cells in sheet.rows
        if number > columns.header_row and not is_blank(cells)
    ]
    if len(rows) > MAX_ROWS:
        raise too_many_rows()
    if not rows:
        raise FileRefused(f"The sheet {sheet.name} has a header row but no rows below it.")
    return rows


def preview_import(
    uow: UnitOfWork,
    actor: Actor,
    data: ImportFile,
    workbook: Workbook,
    find_owner: FindOwner,
    *,
    keep: bool = True,
    progress: Progress = no_progress,
) -> ImportPreviewView:
    """What importing `workbook` into the plan would do; kept as `U-<n>` unless `keep` is off."""
    sheet, columns = choose_sheet(workbook, data.kind, data.sheet)
    rows = _data_rows(sheet, columns)
    progress(f"Read {len(rows):,} rows from {sheet.name}; matching owners…")
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, DOING)
    owners = {text: find_owner(text) for text in _distinct(rows, columns, "owner")}
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        role = require_role(session, plan, actor.user_id, MANAGERS, DOING)
        now = uow.now()
        state = PlanState(
            kind=data.kind,
            today=local_today(now, plan.timezone),
            records=_records(session, plan, data.kind),
            sources=_sources(session, plan, data.kind),
            partners=_partners(session, plan, rows, columns),
            may_create_partners=role is PlanRole.LEAD,
            owners=owners,
        )
        planned = plan_rows(
            rows, columns, state, lambda done: progress(f"Checked {done:,} of {len(rows):,} rows…")
        )
        new_partners = [[name, guess_sector(name)] for name in planned.new_partners]
        ref = None
        expires_at = None
        if keep:
            preview = ImportPreview(
                plan_id=plan.id,
                kind=data.kind,
                file_name=data.file_name,
                created_by=actor.user_id,
                created_at=now,
                expires_at=now + PREVIEW_LIFETIME,
                state="previewed",
                changes={"add": planned.add, "update": planned.update, "partners": new_partners},
                report={"refused": len(planned.refused)},
            )
            session.add(preview)
            session.flush()
            ref = format_ref("U", preview.id)
            expires_at = local_time(preview.expires_at, plan.timezone)
        return _preview_view(
            plan, ref, data, sheet, columns, rows, planned, new_partners, expires_at
        )


def _preview_view(
    plan: Plan,
    ref: str | None,
    data: ImportFile,
    sheet: Sheet,
    columns: Columns,
    rows: list[tuple[int, tuple[Any, ...]]],
    planned: Planned,
    new_partners: list[list[str]],
    expires_at: Any,
) -> ImportPreviewView:
    return ImportPreviewView(
        plan_id=plan.id,
        plan_name=plan.name,
        ref=ref,
        kind=data.kind,
        file_name=data.file_name,
        sheet=sheet.name,
        header_row=columns.header_row,
        rows=len(rows),
        added=len(planned.add),
        updated=len(planned.update),
        unchanged=planned.unchanged,
        refused=tuple(RowNote(row, text) for row, text in planned.refused),
        warnings=tuple(RowNote(row, text) for row, text in planned.warnings),
        columns=tuple(
            ColumnUse(header=columns.headers[field], field=FIELD_NAMES[field])
            for field in sorted(columns.fields, key=lambda f: columns.fields[f])
        ),
        ignored=columns.ignored,
        unknown_owners=tuple(planned.unknown_owners),
        new_partners=tuple(f"{name} ({sector})" for name, sector in new_partners),
        partners_created=bool(new_partners),
        expires_at=expires_at,
    )


def _distinct(rows: list[tuple[int, tuple[Any, ...]]], columns: Columns, field: str) -> list[str]:
    found = {values.text(columns.get(cells, field)): None for _, cells in rows}
    found.pop("", None)
    return list(found)


def _partners(
    session: Session, plan: Plan, rows: list[tuple[int, tuple[Any, ...]]], columns: Columns
) -> dict[str, str | None]:
    """Each partner name written in the file (alone or in a share) → the plan's partner."""
    names = _distinct(rows, columns, "partner")
    for _, cells in rows:
        try:
            names += [name for name, _ in values.read_shares(columns.get(cells, "shares"))]
        except values.RowRefused:
            continue
    found: dict[str, str | None] = {}
    for name in dict.fromkeys(names):
        try:
            found[name] = find_partner(session, plan, name).name
        except (NotFound, Invalid):
            found[name] = None
    return found


def guess_sector(name: str) -> str:
    """The sector a new partner most likely belongs to, by its name (a lead can see it in the
    preview); voluntary sector when nothing says otherwise."""
    lowered = f"{name.lower()} "
    for sector, words in _SECTOR_WORDS:
        if any(word in lowered for word in words):
            return sector
    return "vcse"


def _records(session: Session, plan: Plan, kind: Kind) -> dict[int, dict[str, Any]]:
    if kind == "actions":
        actions = session.scalars(
            select(Action).where(Action.plan_id == plan.id).options(selectinload(Action.partner))
        )
        return {a.number: _action_fields(a) for a in actions}
    risks = session.scalars(
        select(Risk).where(Risk.plan_id == plan.id).options(selectinload(Risk.shares))
    )
    return {r.number: _risk_fields(r) for r in risks}


def _action_fields(action: Action) -> dict[str, Any]:
    return {
        "version": action.version,
        "title": action.title,
        "description": action.description,
        "owner_id": action.owner_id,
        "partner": action.partner.name if action.partner else None,
        "function": action.function_id,
        "due": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "progress": action.progress,
    }


def _risk_fields(risk: Risk) -> dict[str, Any]:
    return {
        "version": risk.version,
        "title": risk.title,
        "description": risk.description,
        "owner_id": risk.owner_id,
        "function": risk.function_id,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "target": risk.target_score,
        "mitigation": risk.mitigation,
        "review": risk.review_date.isoformat() if risk.review_date else None,
        "status": risk.status,
        "shares": [[s.partner.name, s.percent] for s in in_display_order(risk.shares)],
    }


def _sources(session: Session, plan: Plan, kind: Kind) -> dict[str, int]:
    rows = session.execute(
        select(ImportedRecord.source_id, ImportedRecord.number).where(
            ImportedRecord.plan_id == plan.id, ImportedRecord.kind == kind
        )
    )
    return {source: number for source, number in rows}


def _preview(
    session: Session, actor: Actor, data: ImportRef, now: Any
) -> tuple[Plan, ImportPreview]:
    plan = plan_for(session, actor, data.plan_id)
    preview = session.scalar(
        select(ImportPreview)
        .where(ImportPreview.id == data.number, ImportPreview.plan_id == plan.id)
        .with_for_update()
    )
    if preview is None:
        raise NotFound(f"There is no import {data.ref} in the plan “{plan.name}”.", hint=AGAIN_HINT)
    if preview.created_by != actor.user_id:
        raise NotAllowed(
            f"Only the person who previewed {preview.file_name} can import or cancel it.",
            hint=AGAIN_HINT,
        )
    if preview.state == "applied":
        raise Invalid(f"{preview.file_name} was already imported ({data.ref}).")
    if preview.state == "cancelled":
        raise Invalid(f"The import of {preview.file_name} was cancelled.", hint=AGAIN_HINT)
    if now >= preview.expires_at:
        raise Invalid(
            f"The preview of {preview.file_name} is more than a day old, so nothing was "
            "imported: the plan may have changed since.",
            hint=AGAIN_HINT,
        )
    return plan, preview


def cancel_import(uow: UnitOfWork, actor: Actor, data: ImportRef) -> ImportCancelledView:
    """Forget a preview: nothing of it is imported."""
    with uow.transaction() as session:
        plan, preview = _preview(session, actor, data, uow.now())
        preview.state = "cancelled"
        preview.changes = {}
        return ImportCancelledView(plan_name=plan.name, ref=data.ref, file_name=preview.file_name)


def apply_import(
    uow: UnitOfWork, actor: Actor, data: ImportRef, progress: Progress = no_progress
) -> ImportAppliedView:
    """Write what the preview showed, all of it or nothing, audited as one import."""
    with uow.transaction() as session:
        now = uow.now()
        plan, preview = _preview(session, actor, data, now)
        role = require_role(session, plan, actor.user_id, MANAGERS, DOING)
        kind: Kind = "actions" if preview.kind == "actions" else "risks"
        changes = preview.changes
        if changes["partners"] and role is not PlanRole.LEAD:
            raise NotAllowed("Only the plan's leads can add the partners this import names.")
        partners = _make_partners(session, plan, changes["partners"])
        _refuse_conflicts(session, plan, kind, changes)
        writer = _ActionWriter if kind == "actions" else _RiskWriter
        write = writer(session, plan, actor, now, preview.file_name, partners)
        added = write.add_all(changes["add"], progress)
        updated = [write.update(change) for change in changes["update"]]
        sources = [
            {"plan_id": plan.id, "kind": kind, "source_id": row["source_id"], "number": number}
            for row, number in zip(changes["add"], added, strict=True)
            if row["source_id"]
        ]
        if sources:
            session.execute(insert(cast(Table, ImportedRecord.__table__)), sources)
        preview.state = "applied"
        preview.changes = {}
        prefix = PREFIX[kind]
        added_refs = tuple(format_ref(prefix, n) for n in added)
        updated_refs = tuple(format_ref(prefix, n) for n in updated)
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="import",
            ref=data.ref,
            verb="apply",
            file=preview.file_name,
            kind=kind,
            added=list(added_refs),
            updated=list(updated_refs),
            partners=[name for name, _ in changes["partners"]],
        )
        return ImportAppliedView(
            plan_name=plan.name,
            ref=data.ref,
            kind=kind,
            file_name=preview.file_name,
            added=added_refs,
            updated=updated_refs,
            new_partners=tuple(name for name, _ in changes["partners"]),
            left_out=int(preview.report.get("refused", 0)),
        )


def _make_partners(session: Session, plan: Plan, wanted: list[list[str]]) -> dict[str, Partner]:
    """Every partner of the plan by name, with the new ones the preview listed added (or, if
    someone added one since, that one)."""
    existing = {
        p.name: p for p in session.scalars(select(Partner).where(Partner.plan_id == plan.id))
    }
    for name, sector in wanted:
        try:
            existing[name] = find_partner(session, plan, name)
        except (NotFound, Invalid):
            partner = Partner(plan_id=plan.id, name=name, sector=sector)
            session.add(partner)
            session.flush()
            existing[name] = partner
    return existing


def _refuse_conflicts(session: Session, plan: Plan, kind: Kind, changes: dict[str, Any]) -> None:
    """A record the preview updates changed since, or a file id imported since: refuse."""
    model = Action if kind == "actions" else Risk
    wanted = {change["number"]: change["version"] for change in changes["update"]}
    now = (
        dict(
            session.execute(
                select(model.number, model.version).where(
                    model.plan_id == plan.id, model.number.in_(list(wanted))
                )
            ).all()
        )
        if wanted
        else {}
    )
    moved = [n for n, version in wanted.items() if now.get(n) != version]
    sources = [row["source_id"] for row in changes["add"] if row["source_id"]]
    taken = (
        set(
            session.scalars(
                select(ImportedRecord.source_id).where(
                    ImportedRecord.plan_id == plan.id,
                    ImportedRecord.kind == kind,
                    ImportedRecord.source_id.in_(sources),
                )
            )
        )
        if sources
        else set()
    )
    if moved or taken:
        prefix = PREFIX[kind]
        what = ", ".join(format_ref(prefix, n) for n in sorted(moved)[:5]) if moved else ""
        raise Conflict(
            (
                "Since the preview, "
                + (f"{what} changed" if moved else "")
                + (" and " if moved and taken else "")
                + (f"{len(taken)} of the file's rows were imported" if taken else "")
                + ", so nothing was imported."
            ),
            hint=AGAIN_HINT,
        )


class _Writer:
    def __init__(
        self,
        session: Session,
        plan: Plan,
        actor: Actor,
        now: Any,
        file_name: str,
        partners: dict[str, Partner],
    ) -> None:
        self.session = session
        self.plan = plan
        self.actor = actor
        self.now = now
        self.note = f"Imported from {file_name}"
        self.partners = partners
        self.today = local_today(now, plan.timezone)


class _ActionWriter(_Writer):
    def add_all(self, rows: list[dict[str, Any]], progress: Progress) -> list[int]:
        """Every new action in bulk: one multi-row INSERT per thousand, not one per action."""
        first = next_number(self.session, self.plan.id, "action", count=len(rows)) if rows else 0
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            # The table, not the class: the ORM's bulk insert would group the rows by which
            # values are None and send hundreds of small statements.
            self.session.execute(
                insert(cast(Table, Action.__table__)),
                [self._values(first + start + offset, row) for offset, row in enumerate(batch)],
            )
            progress(f"Added {start + len(batch):,} of {len(rows):,} actions…")
        return [first + offset for offset in range(len(rows))]

    def _values(self, number: int, row: dict[str, Any]) -> dict[str, Any]:
        status = row.get("status", ActionStatus.NOT_STARTED.value)
        partner = self.partners.get(row["partner"]) if row.get("partner") else None
        return {
            "plan_id": self.plan.id,
            "number": number,
            "title": row["title"],
            "description": row.get("description", ""),
            "owner_id": row.get("owner_id"),
            "partner_id": partner.id if partner else None,
            "function_id": row.get("function"),
            "due_date": date.fromisoformat(row["due"]) if row.get("due") else None,
            "status": status,
            "progress": row.get("progress", 0),
            "created_by": self.actor.user_id,
            "created_at": self.now,
            "updated_by": self.actor.user_id,
            "updated_at": self.now,
            "completed_at": self.now if status == ActionStatus.DONE.value else None,
            "version": 1,
        }

    def update(self, change: dict[str, Any]) -> int:
        action = self.session.scalar(
            select(Action).where(Action.plan_id == self.plan.id, Action.number == change["number"])
        )
        assert action is not None  # checked by _refuse_conflicts in this transaction
        fields = change["changes"]
        before = _action_fields(action)
        others: dict[str, list[Any]] = {}
        for field, value in fields.items():
            if field not in ("status", "progress"):
                others[field] = [before[field], value]
        if "title" in fields:
            action.title = fields["title"]
        if "description" in fields:
            action.description = fields["description"]
        if "owner_id" in fields:
            action.owner_id = fields["owner_id"]
        if "partner" in fields:
            partner = self.partners.get(fields["partner"]) if fields["partner"] else None
            action.partner_id = partner.id if partner else None
        if "function" in fields:
            action.function_id = fields["function"]
        if "due" in fields:
            action.due_date = date.fromisoformat(fields["due"]) if fields["due"] else None
        if "status" in fields:
            action.status = fields["status"]
            if fields["status"] == ActionStatus.DONE.value:
                action.completed_at = self.now
        if "progress" in fields:
            action.progress = fields["progress"]
        action.updated_by = self.actor.user_id
        action.updated_at = self.now
        self.session.add(
            ActionUpdateEntry(
                action_id=action.id,
                user_id=self.actor.user_id,
                at=self.now,
                status_from=before["status"] if "status" in fields else None,
                status_to=fields.get("status"),
                progress_from=before["progress"] if "progress" in fields else None,
                progress_to=fields.get("progress"),
                changes={k: [_plain(o), _plain(n)] for k, (o, n) in others.items()},
                note=self.note,
            )
        )
        return action.number


class _RiskWriter(_Writer):
    def add_all(self, rows: list[dict[str, Any]], progress: Progress) -> list[int]:
        first = next_number(self.session, self.plan.id, "risk", count=len(rows)) if rows else 0
        for offset, row in enumerate(rows):
            risk_score = score(row["likelihood"], row["impact"])
            review = row.get("review")
            risk = Risk(
                plan_id=self.plan.id,
                number=first + offset,
                title=row["title"],
                description=row.get("description", ""),
                owner_id=row.get("owner_id"),
                function_id=row.get("function"),
                likelihood=row["likelihood"],
                impact=row["impact"],
                target_score=row.get("target"),
                mitigation=row.get("mitigation", ""),
                review_date=(
                    date.fromisoformat(review)
                    if review
                    else default_review_date(risk_score, self.today)
                ),
                status=row.get("status", "open"),
                closed_at=self.now if row.get("status") == "closed" else None,
                created_by=self.actor.user_id,
                created_at=self.now,
                updated_by=self.actor.user_id,
                updated_at=self.now,
            )
            self.session.add(risk)
            if row.get("shares"):
                apply_share(risk, self._shares(row["shares"]))
            if (offset + 1) % 1000 == 0:
                self.session.flush()
                progress(f"Added {offset + 1:,} of {len(rows):,} risks…")
        self.session.flush()
        return [first + offset for offset in range(len(rows))]

    def _shares(self, lines: list[list[Any]]) -> list[ResolvedShare]:
        return [
            ResolvedShare(partner=self.partners[name], percent=percent, is_lead=index == 0)
            for index, (name, percent) in enumerate(lines)
        ]

    def update(self, change: dict[str, Any]) -> int:
        risk = self.session.scalar(
            select(Risk).where(Risk.plan_id == self.plan.id, Risk.number == change["number"])
        )
        assert risk is not None  # checked by _refuse_conflicts in this transaction
        fields = change["changes"]
        before = _risk_history(risk)
        simple = {
            "title": "title",
            "description": "description",
            "owner_id": "owner_id",
            "function": "function_id",
            "likelihood": "likelihood",
            "impact": "impact",
            "target": "target_score",
            "mitigation": "mitigation",
            "status": "status",
        }
        for field, column in simple.items():
            if field in fields:
                setattr(risk, column, fields[field])
        if "review" in fields:
            risk.review_date = date.fromisoformat(fields["review"]) if fields["review"] else None
        if fields.get("status") == "closed":
            risk.closed_at = self.now
        if "shares" in fields:
            apply_share(risk, self._shares(fields["shares"]))
        risk.updated_by = self.actor.user_id
        risk.updated_at = self.now
        after = _risk_history(risk)
        changed = [key for key in after if after[key] != before[key]]
        # The risk's own history, as `risk update` keeps it, beside the import's entry.
        record(
            self.session,
            self.plan,
            actor_id=self.actor.user_id,
            at=self.now,
            entity="risk",
            ref=risk.ref,
            verb="update",
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
            note=self.note,
        )
        return risk.number


def _risk_history(risk: Risk) -> dict[str, object]:
    """What a risk's history records, with the description and status an import may change."""
    return {**audited_fields(risk), "description": risk.description, "status": risk.status}


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def plan_lead(uow: UnitOfWork, plan_name: str) -> tuple[Actor, int]:
    """For the admin's command line: the plan called `plan_name` and its first lead, who is
    the importing person (so the import is audited to someone who may make it)."""
    from_name = " ".join(plan_name.split()).lower()
    with uow.transaction() as session:
        plans = list(session.scalars(select(Plan).where(func.lower(Plan.name) == from_name)))
        if not plans:
            raise NotFound(f"There is no plan called “{plan_name}”.")
        if len(plans) > 1:
            raise Invalid(f"{len(plans)} plans are called “{plan_name}”; rename one first.")
        plan = plans[0]
        lead = session.scalar(
            select(Role.user_id)
            .where(Role.plan_id == plan.id, Role.role == PlanRole.LEAD.value)
            .order_by(Role.id)
        )
        if lead is None:
            raise NotFound(f"The plan “{plan.name}” has no lead to import as.")
        team_id = plan.workspace.team_id
        return Actor(team_id=team_id, user_id=lead, channel_id=""), plan.id
