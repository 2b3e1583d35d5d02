"""Use cases for measures `M-<n>`: add, record values (one or a month's at once), list,
show, rebase and retire; and the reads the digest, App Home, nudges and exports share.

Data leads, leads and chairs keep measures; every member of the plan reads them. Every
change is audited, a correction with its old and new value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import InputInvalid, Invalid, NotFound
from governance.export_cells import Cell
from governance.hints import Command, Hint
from governance.inputs import about
from governance.local_time import local_time, local_today
from governance.measures.inputs import (
    MeasureAdd,
    MeasureFormRecord,
    MeasureGrace,
    MeasureList,
    MeasureRebase,
    MeasureRecord,
    MeasureRetire,
    MeasureShow,
)
from governance.measures.models import Measure, MeasureCorrection, MeasureValue
from governance.measures.models import MeasureRebase as RebaseRow
from governance.measures.presets import find_preset
from governance.measures.rules import (
    MEASURE_KEEPERS,
    due_period,
    format_value,
    parse_period,
    period_key,
    period_name,
    read_value,
    refuse_future,
)
from governance.measures.spc import assurance, xmr
from governance.measures.views import (
    MeasureFormLineView,
    MeasureFormRecordedView,
    MeasureFormView,
    MeasureGraceView,
    MeasureListView,
    MeasurePointView,
    MeasureRebaseView,
    MeasureRecordedView,
    MeasureView,
)
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.people_functions.lookup import find_function
from governance.plans.membership import plan_for, role_of, users_with_role
from governance.plans.models import Plan
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import find_partner
from governance.plans.permissions import MANAGERS, require_role
from governance.plans.roles import PlanRole

ADD_HINT = Hint(
    "Name it and say its unit and better direction: {}, or start from a preset: {}.",
    Command("measure", 'add "Vacancy rate" unit:% better:down'),
    Command("measure", "add preset:vacancy-rate"),
)


def add_measure(uow: UnitOfWork, actor: Actor, data: MeasureAdd) -> MeasureView:
    """A data lead, lead or chair adds a measure, from a preset or from scratch."""
    preset = find_preset(data.preset) if data.preset else None
    name = data.name or (preset.name if preset else None)
    unit = data.unit or (preset.unit if preset else None)
    better = data.better or (preset.better if preset else None)
    if not name or not unit or not better:
        missing = [w for w, v in (("a name", name), ("a unit", unit), ("better:", better)) if not v]
        raise Invalid(f"A measure needs {', '.join(missing)}.", hint=ADD_HINT)
    for text in (name, data.source or ""):
        refuse_patient_identifiers(text)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MEASURE_KEEPERS, doing="add measures")
        with about("target"):
            target = read_value(data.target, unit) if data.target is not None else None
        with about("partner"):
            partner = find_partner(session, plan, data.partner) if data.partner else None
        function_key = data.function or (preset.function if preset else None)
        with about("function"):
            function = find_function(function_key) if function_key else None
        now = uow.now()
        measure = Measure(
            plan_id=plan.id,
            number=next_number(session, plan.id, "measure"),
            name=name,
            unit=unit,
            better=better,
            target=target,
            frequency=data.frequency or (preset.frequency if preset else "monthly"),
            source=data.source if data.source is not None else (preset.source if preset else ""),
            partner_id=partner.id if partner else None,
            function_id=function.number if function else None,
            owner_id=data.owner_id or _default_owner(session, plan, actor),
            baseline_periods=data.baseline,
            status="active",
            created_by=actor.user_id,
            created_at=now,
            updated_by=actor.user_id,
            updated_at=now,
        )
        session.add(measure)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="measure",
            ref=measure.ref,
            verb="add",
            name=name,
            unit=unit,
            better=better,
            target=target,
            frequency=measure.frequency,
            preset=preset.key if preset else None,
            partner=partner.name if partner else None,
            owner=measure.owner_id,
        )
        return _measure_view(session, plan, measure, local_today(now, plan.timezone))


def record_value(uow: UnitOfWork, actor: Actor, data: MeasureRecord) -> MeasureRecordedView:
    """Record a measure's value for a period (the one due, unless named); a second value
    for a period corrects the first, which history and the audit keep."""
    refuse_patient_identifiers(data.note)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MEASURE_KEEPERS, doing="record measure values")
        today = local_today(uow.now(), plan.timezone)
        measure = _measure(session, plan, data.number)
        recorded = _record(uow, session, plan, actor, measure, data.value, data.period, data.note)
        return _recorded(session, plan, measure, today, recorded)


def record_values(
    uow: UnitOfWork, actor: Actor, data: MeasureFormRecord
) -> MeasureFormRecordedView:
    """The monthly form: each value typed is checked, then all are recorded together, or
    none when one is refused (the refusal names the measure, as `M-<n>`)."""
    if not data.values:
        raise Invalid("Type at least one value.", hint="Leave blank the measures you skip.")
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MEASURE_KEEPERS, doing="record measure values")
        today = local_today(uow.now(), plan.timezone)
        done = []
        for number, text in data.values:
            try:
                measure = _measure(session, plan, number)
                recorded = _record(uow, session, plan, actor, measure, text, data.period, "")
            except (Invalid, NotFound) as exc:
                # About the measure's own input on the form, whichever part of it was wrong.
                raise InputInvalid(f"M-{number}", exc.message, hint=exc.hint) from exc
            done.append((measure, recorded))
        return MeasureFormRecordedView(
            plan_id=plan.id,
            plan_name=plan.name,
            recorded=tuple(_recorded(session, plan, m, today, r) for m, r in done),
        )


def measure_form(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> MeasureFormView:
    """Every active measure with its last value, for the monthly form (keepers only)."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        require_role(session, plan, actor.user_id, MEASURE_KEEPERS, doing="record measure values")
        today = local_today(uow.now(), plan.timezone)
        measures = _loaded(session, [plan.id], active_only=True)
        if not measures:
            raise Invalid("This plan has no active measures yet.", hint=ADD_HINT)
        values = _value_rows(session, measures)
        lines = []
        for measure in measures:
            due = due_period(today, measure.frequency)
            mine = values.get(measure.id, [])
            last = mine[-1] if mine else None
            due_value = next((v for v in mine if v.period_start == due), None)
            lines.append(
                MeasureFormLineView(
                    number=measure.number,
                    ref=measure.ref,
                    title=measure_title(measure),
                    unit=measure.unit,
                    frequency=measure.frequency,
                    last_value_text=format_value(last.value, measure.unit) if last else None,
                    last_period_name=period_name(last.period_start, measure.frequency)
                    if last
                    else None,
                    due_period_key=period_key(due, measure.frequency),
                    due_period_name=period_name(due, measure.frequency),
                    due_value_text=format_value(due_value.value, measure.unit)
                    if due_value
                    else None,
                )
            )
        return MeasureFormView(plan_id=plan.id, plan_name=plan.name, lines=tuple(lines))


def list_measures(uow: UnitOfWork, actor: Actor, data: MeasureList) -> MeasureListView:
    """The plan's measures with their latest reading; any member may look."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        measures = _loaded(session, [plan.id], active_only=data.shown == "active")
        if data.shown == "retired":
            measures = [m for m in measures if m.status == "retired"]
        return MeasureListView(
            plan_id=plan.id,
            plan_name=plan.name,
            shown=data.shown,
            measures=_views(session, plan, measures, today),
        )


def show_measure(uow: UnitOfWork, actor: Actor, data: MeasureShow) -> MeasureView:
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        measure = _measure(session, plan, data.number, with_values=False)
        return _views(session, plan, [measure], local_today(uow.now(), plan.timezone))[0]


def rebase_measure(uow: UnitOfWork, actor: Actor, data: MeasureRebase) -> MeasureView:
    """New process limits from a period on, with the reason (keepers only, audited)."""
    refuse_patient_identifiers(data.reason)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MEASURE_KEEPERS, doing="rebase measures")
        today = local_today(uow.now(), plan.timezone)
        measure = _measure(session, plan, data.number)
        with about("from"):
            start = parse_period(data.period, measure.frequency)
            refuse_future(start, measure.frequency, today)
        shown = period_name(start, measure.frequency)
        if not any(v.period_start == start for v in measure.values):
            raise InputInvalid(
                "from",
                f"{measure.ref} has no value for {shown}, so its limits can't start there.",
                hint=Hint(
                    "Rebase from a period that has a value; {} lists them.",
                    Command("measure", f"show {measure.ref}"),
                ),
            )
        if any(r.period_start == start for r in measure.rebases):
            raise Invalid(f"{measure.ref} is already rebased from {shown}.")
        now = uow.now()
        measure.rebases.append(
            RebaseRow(
                period_start=start, reason=data.reason, rebased_by=actor.user_id, rebased_at=now
            )
        )
        _touch(measure, actor, now)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="measure",
            ref=measure.ref,
            verb="rebase",
            period=period_key(start, measure.frequency),
            reason=data.reason,
        )
        return _measure_view(session, plan, measure, today)


def retire_measure(uow: UnitOfWork, actor: Actor, data: MeasureRetire) -> MeasureView:
    """A retired measure keeps its values but takes no new ones and leaves the digest."""
    refuse_patient_identifiers(data.note)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MEASURE_KEEPERS, doing="retire measures")
        measure = _measure(session, plan, data.number)
        if measure.status == "retired":
            raise Invalid(f"{measure.ref} is already retired.")
        now = uow.now()
        measure.status = "retired"
        _touch(measure, actor, now)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="measure",
            ref=measure.ref,
            verb="retire",
            note=data.note,
        )
        return _measure_view(session, plan, measure, local_today(now, plan.timezone))


def set_grace(uow: UnitOfWork, actor: Actor, data: MeasureGrace) -> MeasureGraceView:
    """Leads and chairs set how many days after a period ends owners are nudged for it."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(
            session, plan, actor.user_id, MANAGERS, doing="set when missing values are nudged"
        )
        before = plan.measure_grace_days
        if before != data.days:
            plan.measure_grace_days = data.days
            record(
                session,
                plan,
                actor_id=actor.user_id,
                at=uow.now(),
                entity="plan",
                ref=str(plan.id),
                verb="settings",
                changes={"measure-grace": [before, data.days]},
            )
            session.flush()
        return MeasureGraceView(plan_name=plan.name, days=plan.measure_grace_days)


def plan_measures(session: Session, plan: Plan, today: date) -> tuple[MeasureView, ...]:
    """The plan's active measures read as SPC charts, in three queries however many values
    (the digest and the board's exports)."""
    return _views(session, plan, _loaded(session, [plan.id], active_only=True), today)


def measures_by_id(
    session: Session, plan: Plan, ids: Iterable[int], today: date
) -> dict[int, MeasureView]:
    """The plan's measures with these ids read as SPC charts, by id (a decision's evidence)."""
    wanted = list(ids)
    if not wanted:
        return {}
    measures = list(
        session.scalars(
            select(Measure)
            .where(Measure.plan_id == plan.id, Measure.id.in_(wanted))
            .options(*_LOADS)
            .order_by(Measure.number)
        )
    )
    views = _views(session, plan, measures, today)
    return {measure.id: view for measure, view in zip(measures, views, strict=True)}


EXPORT_HEADER = (
    "Ref",
    "Measure",
    "Partner",
    "Unit",
    "Better",
    "Period",
    "Value",
    "Mean",
    "Lower process limit",
    "Upper process limit",
    "Variation",
    "Special cause rules",
    "Target",
    "Assurance",
    "Limits rebased here",
    "Corrections",
    "Note",
)


def measure_rows(
    session: Session, plan: Plan, today: date
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """One row per value of every measure (retired ones too) with the SPC module's mean,
    limits and readings, for the analysts who check the sums."""
    rows: list[tuple[Cell, ...]] = []
    for view in _views(session, plan, _loaded(session, [plan.id], active_only=False), today):
        for p in view.points:
            rows.append(
                (
                    view.ref,
                    view.name,
                    view.partner or "",
                    view.unit,
                    view.better,
                    p.period_key,
                    p.value,
                    p.mean,
                    p.lower,
                    p.upper,
                    p.variation.words,
                    "; ".join(rule.words for rule in p.rules),
                    view.target,
                    p.assurance.words if p.assurance else "",
                    "yes" if p.starts_segment else "no",
                    p.corrections,
                    p.note,
                )
            )
    return EXPORT_HEADER, rows


def measures_due(
    session: Session, plans: Sequence[Plan], today_of: dict[int, date]
) -> list[tuple[Plan, Measure, date]]:
    """Active measures with no value yet for the period due in each plan: (plan, measure,
    the period's first day), for App Home and nudges."""
    by_id = {plan.id: plan for plan in plans}
    measures = _loaded(session, list(by_id), active_only=True)
    periods = {m.id: due_period(today_of[m.plan_id], m.frequency) for m in measures}
    if not periods:
        return []
    # Only values recent enough to be for a period due: never the whole history.
    recorded = {
        (measure_id, start)
        for measure_id, start in session.execute(
            select(MeasureValue.measure_id, MeasureValue.period_start).where(
                MeasureValue.measure_id.in_(list(periods)),
                MeasureValue.period_start >= min(periods.values()),
            )
        )
    }
    return [
        (by_id[m.plan_id], m, periods[m.id])
        for m in measures
        if (m.id, periods[m.id]) not in recorded
    ]


# -- inside the transaction ------------------------------------------------------------


def _record(
    uow: UnitOfWork,
    session: Session,
    plan: Plan,
    actor: Actor,
    measure: Measure,
    text: str,
    period_text: str | None,
    note: str,
) -> tuple[date, float, float | None]:
    """Record (or correct) one value; returns the period, the value and what it replaced."""
    today = local_today(uow.now(), plan.timezone)
    if measure.status != "active":
        raise Invalid(
            f"{measure.ref} is retired, so it takes no new values.",
            hint=Hint(
                f"Add a new measure with {{}}; {measure.ref}'s values stay readable.",
                Command("measure", "add"),
            ),
        )
    with about("value"):
        value = read_value(text, measure.unit)
    with about("period"):
        if period_text:
            start = parse_period(period_text, measure.frequency)
            refuse_future(start, measure.frequency, today)
        else:
            start = due_period(today, measure.frequency)
    now = uow.now()
    existing = next((v for v in measure.values if v.period_start == start), None)
    key = period_key(start, measure.frequency)
    if existing is None:
        measure.values.append(
            MeasureValue(
                period_start=start,
                value=value,
                note=note,
                recorded_by=actor.user_id,
                recorded_at=now,
            )
        )
        measure.values.sort(key=lambda v: v.period_start)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="measure",
            ref=measure.ref,
            verb="record",
            period=key,
            value=value,
            note=note,
        )
        return start, value, None
    old = existing.value
    if old == value:
        return start, value, old
    existing.corrections.append(
        MeasureCorrection(
            old_value=old, new_value=value, note=note, corrected_by=actor.user_id, corrected_at=now
        )
    )
    existing.value = value
    existing.note = note or existing.note
    existing.recorded_by = actor.user_id
    existing.recorded_at = now
    session.flush()
    record(
        session,
        plan,
        actor_id=actor.user_id,
        at=now,
        entity="measure",
        ref=measure.ref,
        verb="correct",
        period=key,
        before=old,
        after=value,
        note=note,
    )
    return start, value, old


def _recorded(
    session: Session,
    plan: Plan,
    measure: Measure,
    today: date,
    recorded: tuple[date, float, float | None],
) -> MeasureRecordedView:
    start, value, previous = recorded
    return MeasureRecordedView(
        measure=_measure_view(session, plan, measure, today),
        period_key=period_key(start, measure.frequency),
        period_name=period_name(start, measure.frequency),
        value_text=format_value(value, measure.unit),
        previous_text=None if previous is None else format_value(previous, measure.unit),
        unchanged=previous == value,
    )


def _default_owner(session: Session, plan: Plan, actor: Actor) -> str:
    """A data lead owns a measure: the actor if they are one, else the plan's first."""
    if role_of(session, plan, actor.user_id) == PlanRole.DATA_LEAD:
        return actor.user_id
    leads = users_with_role(session, plan, PlanRole.DATA_LEAD)
    return leads[0] if leads else actor.user_id


def _touch(measure: Measure, actor: Actor, now) -> None:  # type: ignore[no-untyped-def]
    measure.updated_by = actor.user_id
    measure.updated_at = now


def _measure(session: Session, plan: Plan, number: int, *, with_values: bool = True) -> Measure:
    """The plan's measure M-`number`; `with_values` loads its values as ORM objects, which
    recording changes (a read uses `_views`' plain rows instead)."""
    loads = (selectinload(Measure.values), *_LOADS) if with_values else _LOADS
    measure = session.scalar(
        select(Measure).where(Measure.plan_id == plan.id, Measure.number == number).options(*loads)
    )
    if measure is None:
        raise NotFound(
            f"There is no measure M-{number} in this plan.",
            hint=Hint("{} shows the plan's measures.", Command("measure", "list")),
        )
    return measure


_LOADS = (
    selectinload(Measure.rebases),
    selectinload(Measure.partner),
    selectinload(Measure.function),
)


class _ValueLike(Protocol):
    id: int
    period_start: date
    value: float
    note: str


def _loaded(session: Session, plan_ids: Iterable[int], *, active_only: bool) -> list[Measure]:
    """The plans' measures with their rebases, partner and function (values come apart, from
    `_value_rows`): a fixed number of queries, whatever the number of measures."""
    query = select(Measure).where(Measure.plan_id.in_(list(plan_ids)))
    if active_only:
        query = query.where(Measure.status == "active")
    return list(session.scalars(query.options(*_LOADS).order_by(Measure.plan_id, Measure.number)))


def measure_title(measure: Measure) -> str:
    """The name with the partner it is about."""
    return f"{measure.name} ({measure.partner.name})" if measure.partner else measure.name


def _correction_counts(session: Session, measures: Sequence[Measure]) -> dict[int, int]:
    """How many times each value of `measures` was corrected, in one query (values never
    corrected are left out)."""
    if not measures:
        return {}
    rows = session.execute(
        select(MeasureCorrection.value_id, func.count())
        .join(MeasureValue, MeasureValue.id == MeasureCorrection.value_id)
        .where(MeasureValue.measure_id.in_([m.id for m in measures]))
        .group_by(MeasureCorrection.value_id)
    )
    return {value_id: count for value_id, count in rows}


def _value_rows(session: Session, measures: Sequence[Measure]) -> dict[int, list[_ValueLike]]:
    """Every value of `measures` by measure, oldest first, in one query: plain rows, since
    thousands of ORM objects cost the digest more than all its arithmetic."""
    rows: dict[int, list[_ValueLike]] = defaultdict(list)
    if not measures:
        return rows
    for row in session.execute(
        select(
            MeasureValue.measure_id,
            MeasureValue.id,
            MeasureValue.period_start,
            MeasureValue.value,
            MeasureValue.note,
        )
        .where(MeasureValue.measure_id.in_([m.id for m in measures]))
        .order_by(MeasureValue.measure_id, MeasureValue.period_start)
    ):
        rows[row.measure_id].append(row)  # type: ignore[arg-type]
    return rows


def _views(
    session: Session, plan: Plan, measures: Sequence[Measure], today: date
) -> tuple[MeasureView, ...]:
    counts = _correction_counts(session, measures)
    values = _value_rows(session, measures)
    return tuple(
        _measure_view(session, plan, m, today, counts, values.get(m.id, [])) for m in measures
    )


def _measure_view(
    session: Session,
    plan: Plan,
    measure: Measure,
    today: date,
    corrections: dict[int, int] | None = None,
    rows: Sequence[_ValueLike] | None = None,
) -> MeasureView:
    counts = _correction_counts(session, [measure]) if corrections is None else corrections
    values = sorted(measure.values if rows is None else rows, key=lambda v: v.period_start)
    starts = [v.period_start for v in values]
    rebase_at = [
        next((i for i, s in enumerate(starts) if s >= r.period_start), len(starts))
        for r in measure.rebases
    ]
    reading = xmr(
        [v.value for v in values],
        better=measure.better,  # type: ignore[arg-type]
        target=measure.target,
        rebase_at=rebase_at,
        baseline=measure.baseline_periods,
    )
    frequency, unit, target = measure.frequency, measure.unit, measure.target
    due = due_period(today, frequency)
    points = tuple(
        MeasurePointView(
            period_start=v.period_start,
            period_key=period_key(v.period_start, frequency),
            period_name=period_name(v.period_start, frequency),
            value=v.value,
            value_text=format_value(v.value, unit),
            note=v.note,
            mean=p.mean,
            lower=p.lower,
            upper=p.upper,
            rules=tuple(sorted(p.rules)),
            variation=p.variation,
            assurance=assurance(p, reading.better, target),
            starts_segment=p.starts_segment,
            corrections=counts.get(v.id, 0),
        )
        for v, p in zip(values, reading.points, strict=True)
    )
    return MeasureView(
        plan_id=plan.id,
        plan_name=plan.name,
        ref=measure.ref,
        name=measure.name,
        unit=measure.unit,
        better=measure.better,
        target=measure.target,
        target_text=format_value(measure.target, measure.unit),
        frequency=frequency,
        source=measure.source,
        partner=measure.partner.name if measure.partner else None,
        function_key=measure.function.key if measure.function else None,
        function_name=measure.function.name if measure.function else None,
        owner_id=measure.owner_id,
        baseline=measure.baseline_periods,
        status=measure.status,
        points=points,
        variation=reading.variation,
        assurance=reading.assurance,
        reliable=reading.reliable,
        limit_points=reading.limit_points,
        rebases=tuple(
            MeasureRebaseView(
                period_key=period_key(r.period_start, frequency),
                period_name=period_name(r.period_start, frequency),
                reason=r.reason,
                rebased_by=r.rebased_by,
                rebased_at=local_time(r.rebased_at, plan.timezone),
            )
            for r in measure.rebases
        ),
        due_period_key=period_key(due, frequency),
        due_period_name=period_name(due, frequency),
        due_missing=measure.status == "active" and due not in starts,
    )
