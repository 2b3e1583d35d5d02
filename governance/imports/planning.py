"""Working out what each row of a file means for the plan, before anything is written.

Every row is added, matched to a record it updates (by its Ref/ID: a file's own id imported
before, or the plan's `A-3`), left as it is, or refused with the reason. The plan's state
the rows are compared with (`PlanState`) is read by the use case; nothing here touches the
database, so applying later writes exactly what was worked out here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from governance.actions.models import DESCRIPTION_MAX, TITLE_MAX
from governance.actions.rules import DONE_PROGRESS, progress_contradicts_done
from governance.actions.status import ActionStatus
from governance.errors import Invalid
from governance.imports import values
from governance.imports.columns import Columns, Kind
from governance.imports.models import SOURCE_ID_MAX
from governance.imports.table import Cell
from governance.imports.values import RowRefused
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.people_functions.lookup import find_function
from governance.risks.rules import is_possible_score
from governance.risks.share import check_share

PREFIX = {"actions": "A", "risks": "R"}
# The fields an update compares, per kind; text fields are compared as written.
COMPARED = {
    "actions": (
        "title",
        "description",
        "owner_id",
        "partner",
        "function",
        "due",
        "status",
        "progress",
    ),
    "risks": (
        "title",
        "description",
        "owner_id",
        "function",
        "likelihood",
        "impact",
        "target",
        "mitigation",
        "review",
        "status",
        "shares",
    ),
}


@dataclass(frozen=True)
class PlanState:
    """What the rows are compared with: the plan's records by number (each a dict of the
    compared fields and its `version`), the file ids imported before, and the partners."""

    kind: Kind
    today: date
    records: Mapping[int, Mapping[str, Any]]
    sources: Mapping[str, int]
    # A name as written in the file → the plan's partner it names, or None if none does.
    partners: Mapping[str, str | None]
    may_create_partners: bool
    # An owner as written (a mention, a name, an e-mail address) → a user id, or None.
    owners: Mapping[str, str | None]


@dataclass
class Planned:
    """The outcome for every row of the file."""

    add: list[dict[str, Any]] = field(default_factory=list)
    update: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unknown_owners: dict[str, None] = field(default_factory=dict)
    new_partners: dict[str, None] = field(default_factory=dict)


def source_id(cell: Cell) -> str:
    """A file's own id as kept: its text, spaces folded, upper case."""
    return " ".join(values.text(cell).upper().split())[:SOURCE_ID_MAX]


def plan_rows(
    rows: list[tuple[int, tuple[Cell, ...]]],
    columns: Columns,
    state: PlanState,
    progress: Callable[[int], None] = lambda done: None,
) -> Planned:
    """What each row of `rows` (the rows below the header) comes to."""
    planned = Planned()
    seen: dict[str, int] = {}
    functions: dict[str, int] = {}
    read = _read_action if state.kind == "actions" else _read_risk
    for done, (number, cells) in enumerate(rows, start=1):
        if done % 500 == 0:
            progress(done)
        ref = source_id(columns.get(cells, "ref"))
        try:
            if ref and ref in seen:
                raise RowRefused(f"Ref/ID {ref} is also on row {seen[ref]}")
            fields = read(cells, columns, state, functions, planned, number)
        except RowRefused as refused:
            planned.refused.append((number, refused.reason))
            continue
        if ref:
            seen[ref] = number
        _place(planned, state, number, ref, fields)
    return planned


def _place(planned: Planned, state: PlanState, row: int, ref: str, fields: dict[str, Any]) -> None:
    number = _matched(state, ref)
    if number is None:
        if state.kind == "risks" and ("likelihood" not in fields or "impact" not in fields):
            planned.refused.append((row, "a new risk needs a likelihood and an impact (1 to 5)"))
            return
        planned.add.append({"row": row, "source_id": ref or None, **fields})
        return
    current = state.records[number]
    changes = {
        name: value
        for name, value in fields.items()
        if name in COMPARED[state.kind] and current.get(name) != value
    }
    if not changes:
        planned.unchanged += 1
        return
    planned.update.append(
        {"row": row, "number": number, "version": current["version"], "changes": changes}
    )


def _matched(state: PlanState, ref: str) -> int | None:
    """The record a Ref/ID names: a file id imported before, else the plan's own `A-3`."""
    if not ref:
        return None
    if ref in state.sources:
        return state.sources[ref]
    prefix = PREFIX[state.kind]
    if ref.startswith(f"{prefix}-") and ref[2:].isdigit() and int(ref[2:]) in state.records:
        return int(ref[2:])
    return None


def _common(
    cells: tuple[Cell, ...],
    columns: Columns,
    state: PlanState,
    functions: dict[str, int],
    planned: Planned,
    row: int,
) -> dict[str, Any]:
    """Title, description, owner and people function: what actions and risks share."""
    fields: dict[str, Any] = {}
    title = " ".join(values.text(columns.get(cells, "title")).split())
    if not title:
        raise RowRefused("it has no title")
    if len(title) > TITLE_MAX:
        raise RowRefused(f"the title is {len(title)} characters; a title is at most {TITLE_MAX}")
    fields["title"] = title
    if "description" in columns.fields:
        description = values.text(columns.get(cells, "description"))
        if len(description) > DESCRIPTION_MAX:
            raise RowRefused(f"the description is longer than {DESCRIPTION_MAX} characters")
        fields["description"] = description
    _refuse_identifiers(title, fields.get("description", ""))
    owner = values.text(columns.get(cells, "owner"))
    if owner:
        owner_id = state.owners.get(owner)
        if owner_id is None:
            planned.unknown_owners[owner] = None
            planned.warnings.append(
                (row, f"no one in the workspace matches owner “{owner}”; left unowned")
            )
        else:
            fields["owner_id"] = owner_id
    function = values.text(columns.get(cells, "function"))
    if function:
        if function not in functions:
            try:
                functions[function] = find_function(function).number
            except Invalid as exc:
                raise RowRefused(_lowered(exc.message)) from None
        fields["function"] = functions[function]
    return fields


def _read_action(
    cells: tuple[Cell, ...],
    columns: Columns,
    state: PlanState,
    functions: dict[str, int],
    planned: Planned,
    row: int,
) -> dict[str, Any]:
    fields = _common(cells, columns, state, functions, planned, row)
    due = values.read_date(columns.get(cells, "due"), "due date", state.today)
    if due is not None:
        fields["due"] = due.isoformat()
    status = values.read_status(columns.get(cells, "status"))
    progress = values.read_progress(columns.get(cells, "progress"))
    if status is not None:
        fields["status"] = status.value
    if progress is not None:
        fields["progress"] = progress
    if status is ActionStatus.DONE and progress is None:
        fields["progress"] = DONE_PROGRESS
    if status is not None and progress is not None and progress_contradicts_done(status, progress):
        raise RowRefused(f"it is marked done but {progress}% complete; done is 100%")
    partner = values.text(columns.get(cells, "partner"))
    if partner:
        known = _partner(partner, state, planned, row)
        if known is not None:
            fields["partner"] = known
    return fields


def _read_risk(
    cells: tuple[Cell, ...],
    columns: Columns,
    state: PlanState,
    functions: dict[str, int],
    planned: Planned,
    row: int,
) -> dict[str, Any]:
    fields = _common(cells, columns, state, functions, planned, row)
    likelihood = values.read_scale(columns.get(cells, "likelihood"), "likelihood")
    impact = values.read_scale(columns.get(cells, "impact"), "impact")
    score = values.read_score(columns.get(cells, "score"), "score")
    if score is not None and likelihood and impact and score != likelihood * impact:
        raise RowRefused(
            f"score {score} is not likelihood {likelihood} × impact {impact} "
            f"= {likelihood * impact}"
        )
    if score is not None and (likelihood is None or impact is None):
        raise RowRefused(f"score {score} is given without both its likelihood and impact")
    if likelihood is not None and impact is not None:
        fields["likelihood"], fields["impact"] = likelihood, impact
    target = values.read_score(columns.get(cells, "target"), "target score")
    if target is not None:
        if not is_possible_score(target):
            raise RowRefused(f"target score {target} is not a score the 5 × 5 matrix can give")
        fields["target"] = target
    if "mitigation" in columns.fields:
        mitigation = values.text(columns.get(cells, "mitigation"))
        if len(mitigation) > DESCRIPTION_MAX:
            raise RowRefused(f"the mitigation is longer than {DESCRIPTION_MAX} characters")
        _refuse_identifiers(mitigation)
        fields["mitigation"] = mitigation
    review = values.read_date(columns.get(cells, "review"), "review date", state.today)
    if review is not None:
        fields["review"] = review.isoformat()
    status = values.read_risk_status(columns.get(cells, "status"))
    if status is not None:
        fields["status"] = status.value
    lines = values.read_shares(columns.get(cells, "shares"))
    if lines:
        try:
            check_share(lines)
        except Invalid as exc:
            raise RowRefused(_lowered(exc.message)) from None
        shares = []
        for name, percent in lines:
            known = _partner(name, state, planned, row, needed=True)
            shares.append([known, percent])
        fields["shares"] = shares
    return fields


def _partner(
    name: str, state: PlanState, planned: Planned, row: int, *, needed: bool = False
) -> str | None:
    """The plan's partner `name` names, or `name` as a partner to create (a lead's import);
    otherwise a warning (or, for a risk share, which needs it, a refusal)."""
    known = state.partners.get(name)
    if known is not None:
        return known
    if state.may_create_partners:
        planned.new_partners[name] = None
        return name
    reason = f"“{name}” is not a partner in this plan, and only a lead can add partners"
    if needed:
        raise RowRefused(reason)
    planned.warnings.append((row, f"{reason}; imported without a partner"))
    return None


def _refuse_identifiers(*texts: str) -> None:
    for typed in texts:
        try:
            refuse_patient_identifiers(typed)
        except Invalid as exc:
            raise RowRefused(_lowered(exc.message)) from None


def _lowered(message: str) -> str:
    message = message.rstrip(".")
    return message[:1].lower() + message[1:] if message[1:2].islower() else message
