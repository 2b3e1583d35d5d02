"""Use cases for decisions `D-<n>`: propose, agree, reject or defer, list and show; and the
reads the digest, App Home and exports share.

Any member proposes; the plan's chairs and leads decide, recording who, when and at which
forum. A decision can supersede an earlier agreed one: the link shows on both, and takes
effect when the later one is agreed. Every change is audited. Two people deciding at once
record one outcome (the row's version); the other is told what was decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from governance.actions.models import Action
from governance.actions.rules import is_overdue
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.decisions.inputs import DecisionDecide, DecisionList, DecisionPropose, DecisionShow
from governance.decisions.models import Decision, DecisionLink
from governance.decisions.rules import (
    DECIDERS,
    KIND_OF_LETTER,
    LINKABLE,
    DecisionStatus,
    LinkKind,
    LinkRole,
    Outcome,
    is_awaiting,
    is_awaiting_clause,
    is_taken_clause,
)
from governance.decisions.views import (
    DecisionBriefView,
    DecisionFormView,
    DecisionLinkView,
    DecisionListView,
    DecisionView,
    DigestDecisionView,
    MyDecisionView,
)
from governance.errors import Invalid, NotFound
from governance.export_cells import Cell
from governance.feedback.models import Feedback
from governance.hints import Command, Hint
from governance.inputs import about
from governance.issues.models import Issue
from governance.issues.rules import severity_word
from governance.jobs.views import ListedView
from governance.local_time import local_time, local_today
from governance.measures.models import Measure
from governance.measures.use_cases import measures_by_id
from governance.parsing.dates import parse_date
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.parsing.references import format_ref, parse_ref
from governance.plans.membership import plan_for
from governance.plans.models import Partner, Plan, Role, Workspace
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import find_partner
from governance.plans.permissions import require_role
from governance.risks.models import Risk

# A reference rather than a partner's name: a letter, then its number (`M-2`, `r 1`, `A#3`).
_LOOKS_LIKE_REF = re.compile(r"[A-Za-z]\s*[-#]?\s*[0-9]{1,12}")
# Items each digest list shows before counting the rest (the digest's other lists do the same).
DIGEST_LIMIT = 8
# How many existing references a refusal names before counting the rest.
NAMED_MAX = 10
LIST_HINT = Hint("{} shows them.", Command("decision", "list all"))
_KIND_WORDS = {
    LinkKind.MEASURE: ("measure", "measures", "M"),
    LinkKind.RISK: ("risk", "risks", "R"),
    LinkKind.ISSUE: ("issue", "issues", "I"),
    LinkKind.FEEDBACK: ("feedback", "feedback", "F"),
    LinkKind.ACTION: ("action", "actions", "A"),
    LinkKind.PARTNER: ("partner", "partners", ""),
}
_TABLES: dict[LinkKind, type[Measure | Risk | Issue | Feedback | Action]] = {
    LinkKind.MEASURE: Measure,
    LinkKind.RISK: Risk,
    LinkKind.ISSUE: Issue,
    LinkKind.FEEDBACK: Feedback,
    LinkKind.ACTION: Action,
}


class AlreadyDecided(Invalid):
    """The decision's outcome was recorded already (perhaps a moment ago, by someone else);
    `current` is the decision as it stands."""

    def __init__(self, message: str, *, current: DecisionView) -> None:
        super().__init__(message)
        self.current = current


def decision_form(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> DecisionFormView:
    """The plan a proposal would go to, for the propose form."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return DecisionFormView(plan_id=plan.id, plan_name=plan.name)


def propose_decision(uow: UnitOfWork, actor: Actor, data: DecisionPropose) -> DecisionView:
    """Any member proposes a decision, with its reasons, evidence and what it affects."""
    for field in ("title", "proposal", "reasons"):
        with about(field):
            refuse_patient_identifiers(getattr(data, field))
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        links: list[tuple[LinkRole, LinkKind, int]] = []
        for role, texts, field in (
            (LinkRole.INFORMED_BY, data.informed_by, "informed_by"),
            (LinkRole.AFFECTS, data.affects, "affects"),
        ):
            with about(field):
                for kind, target_id in _resolve_links(session, plan, role, texts):
                    if (role, kind, target_id) not in links:
                        links.append((role, kind, target_id))
        supersedes = None
        if data.supersedes is not None:
            with about("supersedes"):
                supersedes = _supersedable(session, plan, data.supersedes)
        now = uow.now()
        decision = Decision(
            plan_id=plan.id,
            number=next_number(session, plan.id, "decision"),
            title=data.title,
            proposal=data.proposal,
            reasons=data.reasons,
            status=DecisionStatus.PROPOSED.value,
            proposed_by=actor.user_id,
            proposed_at=now,
            forum="",
            outcome_note="",
            supersedes_id=None if supersedes is None else supersedes.id,
            links=[
                DecisionLink(role=role.value, kind=kind.value, target_id=target_id)
                for role, kind, target_id in links
            ],
        )
        session.add(decision)
        session.flush()
        view = decision_view(session, plan, decision, local_today(now, plan.timezone))
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="decision",
            ref=decision.ref,
            verb="propose",
            title=decision.title,
            informed_by=[link.ref or link.title for link in view.informed_by],
            affects=[link.ref or link.title for link in view.affects],
            supersedes=supersedes.ref if supersedes is not None else None,
        )
        return view


def decide(uow: UnitOfWork, actor: Actor, data: DecisionDecide) -> DecisionView:
    """A chair or lead agrees, rejects or defers (until a date) a decision awaiting the board.

    When two decide at once, the second finds the outcome taken and is refused with it
    (AlreadyDecided); a deferred decision can still be agreed or rejected later.
    """
    for field in ("note", "forum"):
        with about(field):
            refuse_patient_identifiers(getattr(data, field))

    def work(session: Session) -> DecisionView:
        plan = plan_for(session, actor, data.plan_id)
        require_role(
            session, plan, actor.user_id, DECIDERS, doing=f"{data.outcome.value} a decision"
        )
        today = local_today(uow.now(), plan.timezone)
        decision = _decision(session, plan, data.number)
        if not is_awaiting(decision.status):
            raise AlreadyDecided(
                _already(decision, plan),
                current=decision_view(session, plan, decision, today),
            )
        until = _until(data, today)
        if data.outcome is Outcome.AGREE and decision.supersedes is not None:
            with about("supersedes"):
                _supersedable(session, plan, decision.supersedes.number, but=decision)
        now = uow.now()
        decision.status = data.outcome.status.value
        decision.decided_by = actor.user_id
        decision.decided_at = now
        decision.forum = data.forum
        decision.outcome_note = data.note
        decision.deferred_until = until
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="decision",
            ref=decision.ref,
            verb=data.outcome.value,
            note=data.note,
            forum=data.forum,
            until=until.isoformat() if until else None,
            supersedes=decision.supersedes.ref
            if decision.supersedes is not None and data.outcome is Outcome.AGREE
            else None,
        )
        return decision_view(session, plan, decision, today)

    return uow.run(work)


def list_decisions(uow: UnitOfWork, actor: Actor, data: DecisionList) -> DecisionListView:
    """Decisions awaiting the board (or agreed ones, or all), newest first."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        query = select(Decision).where(Decision.plan_id == plan.id)
        if data.shown == "proposed":
            query = query.where(is_awaiting_clause())
        elif data.shown == "agreed":
            query = query.where(Decision.status == DecisionStatus.AGREED.value)
        decisions = list(
            session.scalars(
                query.options(
                    selectinload(Decision.links), selectinload(Decision.supersedes)
                ).order_by(Decision.number.desc())
            )
        )
        later = _superseded_by(session, decisions)
        return DecisionListView(
            plan_id=plan.id,
            plan_name=plan.name,
            shown=data.shown,
            decisions=tuple(_view(plan, d, later.get(d.id, ()), (), ()) for d in decisions),
        )


def show_decision(uow: UnitOfWork, actor: Actor, data: DecisionShow) -> DecisionView:
    """The whole story: who proposed it and why, each piece of evidence as it stands now,
    what it affects, and the outcome."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        decision = _decision(session, plan, data.number)
        return decision_view(session, plan, decision, local_today(uow.now(), plan.timezone))


def decision_view(session: Session, plan: Plan, decision: Decision, today: date) -> DecisionView:
    """The decision with every link's current state, read inside the transaction."""
    states = _link_states(session, plan, decision.links, today)
    return _view(
        plan,
        decision,
        _superseded_by(session, [decision]).get(decision.id, ()),
        tuple(states[link.id] for link in decision.links if link.role == LinkRole.INFORMED_BY),
        tuple(states[link.id] for link in decision.links if link.role == LinkRole.AFFECTS),
    )


def digest_decisions(
    session: Session, plan: Plan, since: datetime, until: datetime
) -> tuple[ListedView[DigestDecisionView], ListedView[DigestDecisionView]]:
    """For the digest: decisions needed (awaiting the board, oldest first) and decisions
    taken (agreed or rejected) between `since` and `until`, in four queries."""
    needed = select(Decision).where(Decision.plan_id == plan.id, is_awaiting_clause())
    decided = select(Decision).where(
        Decision.plan_id == plan.id,
        is_taken_clause(),
        Decision.decided_at >= since,
        Decision.decided_at < until,
    )
    return (
        _listed(session, plan, needed, Decision.number),
        _listed(session, plan, decided, Decision.decided_at),
    )


def paper_decisions(
    session: Session, plan: Plan, since: datetime, until: datetime, today: date, limit: int
) -> tuple[ListedView[DecisionView], ListedView[DecisionView]]:
    """For the board paper: decisions needed (awaiting the board, oldest first) and those
    taken between `since` and `until`, each whole (reasons, evidence in its state now), the
    first `limit` of each; in a fixed number of queries however many there are."""
    needed = select(Decision).where(Decision.plan_id == plan.id, is_awaiting_clause())
    decided = select(Decision).where(
        Decision.plan_id == plan.id,
        is_taken_clause(),
        Decision.decided_at >= since,
        Decision.decided_at < until,
    )
    lists = [
        list(
            session.scalars(
                query.options(selectinload(Decision.links), selectinload(Decision.supersedes))
                .order_by(order, Decision.number)
                .limit(limit)
            )
        )
        for query, order in ((needed, Decision.number), (decided, Decision.decided_at))
    ]
    shown = [d for found in lists for d in found]
    states = _link_states(session, plan, [link for d in shown for link in d.links], today)
    later = _superseded_by(session, shown)

    def view(d: Decision) -> DecisionView:
        return _view(
            plan,
            d,
            later.get(d.id, ()),
            tuple(states[k.id] for k in d.links if k.role == LinkRole.INFORMED_BY),
            tuple(states[k.id] for k in d.links if k.role == LinkRole.AFFECTS),
        )

    needed_view, decided_view = (
        ListedView(
            tuple(view(d) for d in found),
            int(session.scalar(select(func.count()).select_from(query.subquery())) or 0),
        )
        for found, query in zip(lists, (needed, decided), strict=True)
    )
    return needed_view, decided_view


def decisions_awaiting(session: Session, team_id: str, user_id: str) -> tuple[MyDecisionView, ...]:
    """Decisions awaiting the board in every plan of the workspace the person chairs or
    leads, oldest first, for their App Home."""
    rows = session.execute(
        select(Decision, Plan)
        .join(Plan, Plan.id == Decision.plan_id)
        .join(Workspace, Workspace.id == Plan.workspace_id)
        .join(Role, Role.plan_id == Plan.id)
        .where(
            Workspace.team_id == team_id,
            Role.user_id == user_id,
            Role.role.in_([role.value for role in DECIDERS]),
            is_awaiting_clause(),
        )
        .order_by(Plan.id, Decision.number)
    )
    return tuple(MyDecisionView(plan.name, _digest_view(plan, d)) for d, plan in rows)


EXPORT_HEADER = (
    "Ref",
    "Title",
    "Status",
    "Proposed",
    "Proposed by",
    "What is proposed",
    "Reasons",
    "Informed by",
    "Affects",
    "Decided",
    "Decided by",
    "Forum",
    "Note",
    "Deferred until",
    "Supersedes",
    "Superseded by",
)


def decision_rows(
    session: Session, plan: Plan, today: date
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """One row per decision, oldest first, with its links by reference (or partner name)."""
    decisions = list(
        session.scalars(
            select(Decision)
            .where(Decision.plan_id == plan.id)
            .options(selectinload(Decision.links), selectinload(Decision.supersedes))
            .order_by(Decision.number)
        )
    )
    names = _link_names(session, plan, [link for d in decisions for link in d.links])
    later = _superseded_by(session, decisions)
    rows: list[tuple[Cell, ...]] = []
    for d in decisions:
        agreed_later = [b.ref for b in later.get(d.id, ()) if b.status is DecisionStatus.AGREED]
        rows.append(
            (
                d.ref,
                d.title,
                d.status,
                _local_day(d.proposed_at, plan),
                d.proposed_by,
                d.proposal,
                d.reasons,
                "; ".join(names[k.id] for k in d.links if k.role == LinkRole.INFORMED_BY),
                "; ".join(names[k.id] for k in d.links if k.role == LinkRole.AFFECTS),
                _local_day(d.decided_at, plan),
                d.decided_by or "",
                d.forum,
                d.outcome_note,
                d.deferred_until,
                d.supersedes.ref if d.supersedes else "",
                agreed_later[0] if agreed_later else "",
            )
        )
    return EXPORT_HEADER, rows


# -- inside the transaction ------------------------------------------------------------


def _decision(session: Session, plan: Plan, number: int) -> Decision:
    decision = session.scalar(
        select(Decision)
        .where(Decision.plan_id == plan.id, Decision.number == number)
        .options(selectinload(Decision.links), selectinload(Decision.supersedes))
    )
    if decision is None:
        raise NotFound(
            f"There is no D-{number} in this plan. {_existing(session, plan, Decision, 'D')}",
            hint=LIST_HINT,
        )
    return decision


def _already(decision: Decision, plan: Plan) -> str:
    status = DecisionStatus(decision.status)
    when = local_time(decision.decided_at, plan.timezone)
    day = f" on {when.day} {when:%b %Y}" if when else ""
    at = f" at {decision.forum}" if decision.forum else ""
    return (
        f"{decision.ref} was already {status.value}{day}{at}, so your outcome wasn't recorded. "
        "Here it is as it stands."
    )


def _until(data: DecisionDecide, today: date) -> date | None:
    if data.outcome is not Outcome.DEFER:
        if data.until is not None:
            raise Invalid(
                f"`until:` is for deferring a decision, not to {data.outcome.value} one.",
                hint="Leave `until:` out, or defer it instead.",
            )
        return None
    if data.until is None:
        raise Invalid(
            "A deferred decision needs a date to come back to the board.",
            hint="Add `until:`, like `until:2027-02-09` or `until:+4w`.",
        )
    with about("until"):
        until = parse_date(data.until, today)
    if until <= today:
        raise Invalid(
            f"{until.day} {until:%b %Y} isn't after today: a deferral is to a later date.",
            hint="Give a later date, like `until:+4w`.",
        )
    return until


def _supersedable(
    session: Session, plan: Plan, number: int, *, but: Decision | None = None
) -> Decision:
    """The agreed decision `D-<number>`, not already replaced by another agreed one."""
    earlier = _decision(session, plan, number)
    if earlier is but:
        raise Invalid("A decision can't supersede itself.")
    if earlier.status != DecisionStatus.AGREED.value:
        raise Invalid(
            f"{earlier.ref} is {earlier.status}, not agreed, so there is nothing to supersede.",
            hint="Only an agreed decision can be superseded by a later one.",
        )
    replaced = session.scalar(
        select(Decision).where(
            Decision.supersedes_id == earlier.id,
            Decision.status == DecisionStatus.AGREED.value,
            Decision.id != (but.id if but is not None else -1),
        )
    )
    if replaced is not None:
        raise Invalid(
            f"{earlier.ref} was already superseded by {replaced.ref}.",
            hint=f"Supersede {replaced.ref} instead.",
        )
    return earlier


def _resolve_links(
    session: Session, plan: Plan, role: LinkRole, texts: Sequence[str]
) -> list[tuple[LinkKind, int]]:
    """Each reference (or, where it affects one, partner name) as a kind and the id of the
    row it names in this plan; anything else refused naming what exists."""
    allowed = LINKABLE[role]
    resolved: list[tuple[LinkKind, int]] = []
    for text in texts:
        typed = text.strip()
        if not _LOOKS_LIKE_REF.fullmatch(typed):
            if LinkKind.PARTNER not in allowed:
                raise Invalid(
                    f"“{typed}” isn't a reference: `{role.value}:` takes {_kinds_words(allowed)}.",
                    hint=f"Write them like `{role.value}:M-2,R-1`.",
                )
            resolved.append((LinkKind.PARTNER, find_partner(session, plan, typed).id))
            continue
        letter = typed[0].upper()
        kind = KIND_OF_LETTER.get(letter)
        if kind is None or kind not in allowed:
            what = f"{typed} is not something `{role.value}:` takes"
            raise Invalid(f"{what}: it takes {_kinds_words(allowed)}.")
        table = _TABLES[kind]
        number = parse_ref(typed, letter)
        ref = format_ref(letter, number)
        found = session.scalar(
            select(table.id).where(table.plan_id == plan.id, table.number == number)
        )
        if found is None:
            raise NotFound(
                f"There is no {ref} in this plan. {_existing(session, plan, table, letter)}"
            )
        resolved.append((kind, found))
    return resolved


def _kinds_words(kinds: Iterable[LinkKind]) -> str:
    words = [
        f"{_KIND_WORDS[k][1]} ({_KIND_WORDS[k][2]}-)" if _KIND_WORDS[k][2] else "partners by name"
        for k in kinds
    ]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


def _existing(session: Session, plan: Plan, table: Any, letter: str) -> str:
    """What this plan has of a kind, by reference: "Its risks are R-1, R-2 and R-5."."""
    column = table.number
    numbers = list(
        session.scalars(
            select(column).where(table.plan_id == plan.id).order_by(column).limit(NAMED_MAX + 1)
        )
    )
    plural = (
        "decisions"
        if letter == "D"
        else next(words[1] for words in _KIND_WORDS.values() if words[2] == letter)
    )
    if not numbers:
        return f"It has no {plural} yet."
    refs = [format_ref(letter, n) for n in numbers[:NAMED_MAX]]
    if len(numbers) > NAMED_MAX:
        total = session.scalar(
            select(func.count()).select_from(table).where(table.plan_id == plan.id)
        )
        listed = ", ".join(refs) + f" and {int(total or 0) - NAMED_MAX} more"
    else:
        listed = ", ".join(refs[:-1]) + " and " + refs[-1] if len(refs) > 1 else refs[0]
    return f"Its {plural} are {listed}."


def _link_states(
    session: Session, plan: Plan, links: Sequence[DecisionLink], today: date
) -> dict[int, DecisionLinkView]:
    """Each link as it stands now, in one query per kind."""
    ids: dict[LinkKind, list[int]] = {}
    for link in links:
        ids.setdefault(LinkKind(link.kind), []).append(link.target_id)
    measures = measures_by_id(session, plan, ids.get(LinkKind.MEASURE, ()), today)
    risks = _rows(session, plan, Risk, ids.get(LinkKind.RISK, ()))
    issues = _rows(session, plan, Issue, ids.get(LinkKind.ISSUE, ()))
    actions = _rows(session, plan, Action, ids.get(LinkKind.ACTION, ()))
    feedback = _rows(session, plan, Feedback, ids.get(LinkKind.FEEDBACK, ()))
    partners = _rows(session, plan, Partner, ids.get(LinkKind.PARTNER, ()))
    states: dict[int, DecisionLinkView] = {}
    for link in links:
        role, kind, target = LinkRole(link.role), LinkKind(link.kind), link.target_id
        view = DecisionLinkView(role, kind, None, f"a {kind.value}", "no longer here")
        if kind is LinkKind.MEASURE and target in measures:
            m = measures[target]
            view = DecisionLinkView(role, kind, m.ref, m.title, _measure_state(m), measure=m)
        elif kind is LinkKind.RISK and target in risks:
            r = risks[target]
            state = f"{_position(r)} · {r.status}"
            view = DecisionLinkView(role, kind, r.ref, r.title, state, risk_grade=r.grade)
        elif kind is LinkKind.ISSUE and target in issues:
            i = issues[target]
            state = f"severity {i.severity} {severity_word(i.severity)} · {i.status}"
            view = DecisionLinkView(role, kind, i.ref, i.title, state)
        elif kind is LinkKind.ACTION and target in actions:
            a = actions[target]
            status = ActionStatus(a.status)
            state = f"{status.label} · {a.progress}%"
            if is_overdue(a.due_date, status, today):
                state += " · overdue"
            view = DecisionLinkView(role, kind, a.ref, a.title, state, action_status=status)
        elif kind is LinkKind.FEEDBACK and target in feedback:
            f = feedback[target]
            given = local_time(f.created_at, plan.timezone)
            state = "answered (you said, we did)" if f.answered_at else "not answered yet"
            # Only the month and whether it was answered: its text and source are for the
            # feedback readers, and may be from a group small enough to identify someone.
            view = DecisionLinkView(role, kind, f.ref, f"feedback given in {given:%B %Y}", state)
        elif kind is LinkKind.PARTNER and target in partners:
            p = partners[target]
            view = DecisionLinkView(role, kind, None, p.name, p.sector)
        states[link.id] = view
    return states


def _position(risk: Risk) -> str:
    return f"L{risk.likelihood} × I{risk.impact} = {risk.score} {risk.grade.value.capitalize()}"


def _measure_state(m) -> str:  # type: ignore[no-untyped-def]
    if m.latest is None:
        return "no values yet"
    state = f"{m.latest.value_text} ({m.latest.period_name})"
    if m.variation is not None:
        state += f" · {m.variation.words}"
    if m.assurance is not None:
        state += f" · {m.assurance.words}"
    return state


def _rows(session: Session, plan: Plan, table, ids: Iterable[int]) -> dict:  # type: ignore[no-untyped-def]
    wanted = list(ids)
    if not wanted:
        return {}
    return {
        row.id: row
        for row in session.scalars(
            select(table).where(table.plan_id == plan.id, table.id.in_(wanted))
        )
    }


def _link_names(session: Session, plan: Plan, links: Sequence[DecisionLink]) -> dict[int, str]:
    """Each link by reference (a partner by name), for the export, in one query per kind."""
    ids: dict[LinkKind, list[int]] = {}
    for link in links:
        ids.setdefault(LinkKind(link.kind), []).append(link.target_id)
    named: dict[tuple[LinkKind, int], str] = {}
    for kind, table in (*_TABLES.items(), (LinkKind.PARTNER, Partner)):
        for row in _rows(session, plan, table, ids.get(kind, ())).values():
            named[(kind, row.id)] = row.name if kind is LinkKind.PARTNER else row.ref
    return {link.id: named.get((LinkKind(link.kind), link.target_id), "") for link in links}


def _superseded_by(
    session: Session, decisions: Sequence[Decision]
) -> dict[int, tuple[DecisionBriefView, ...]]:
    ids = [d.id for d in decisions]
    if not ids:
        return {}
    found: dict[int, list[DecisionBriefView]] = {}
    rows = session.execute(
        select(Decision, Plan.timezone)
        .join(Plan, Plan.id == Decision.plan_id)
        .where(Decision.supersedes_id.in_(ids))
        .order_by(Decision.number)
    )
    for later, timezone in rows:
        assert later.supersedes_id is not None
        found.setdefault(later.supersedes_id, []).append(_brief(later, timezone))
    return {key: tuple(value) for key, value in found.items()}


def _brief(decision: Decision, timezone: str) -> DecisionBriefView:
    return DecisionBriefView(
        ref=decision.ref,
        title=decision.title,
        status=DecisionStatus(decision.status),
        decided_at=local_time(decision.decided_at, timezone),
    )


def _view(
    plan: Plan,
    decision: Decision,
    superseded_by: tuple[DecisionBriefView, ...],
    informed_by: tuple[DecisionLinkView, ...],
    affects: tuple[DecisionLinkView, ...],
) -> DecisionView:
    return DecisionView(
        plan_id=plan.id,
        plan_name=plan.name,
        ref=decision.ref,
        title=decision.title,
        proposal=decision.proposal,
        reasons=decision.reasons,
        status=DecisionStatus(decision.status),
        proposed_by=decision.proposed_by,
        proposed_at=local_time(decision.proposed_at, plan.timezone),
        decided_by=decision.decided_by,
        decided_at=local_time(decision.decided_at, plan.timezone),
        forum=decision.forum,
        outcome_note=decision.outcome_note,
        deferred_until=decision.deferred_until,
        supersedes=_brief(decision.supersedes, plan.timezone) if decision.supersedes else None,
        superseded_by=superseded_by,
        informed_by=informed_by,
        affects=affects,
        link_count=len(decision.links),
        version=decision.version,
    )


def _digest_view(plan: Plan, decision: Decision) -> DigestDecisionView:
    return DigestDecisionView(
        ref=decision.ref,
        title=decision.title,
        status=DecisionStatus(decision.status),
        proposed_by=decision.proposed_by,
        decided_by=decision.decided_by,
        decided_at=local_time(decision.decided_at, plan.timezone),
        forum=decision.forum,
        deferred_until=decision.deferred_until,
    )


def _listed(session: Session, plan: Plan, query, order) -> ListedView[DigestDecisionView]:  # type: ignore[no-untyped-def]
    rows = session.scalars(query.order_by(order, Decision.number).limit(DIGEST_LIMIT))
    items = tuple(_digest_view(plan, d) for d in rows)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return ListedView(items, int(total))


def _local_day(instant: datetime | None, plan: Plan) -> date | None:
    moment = local_time(instant, plan.timezone)
    return moment.date() if moment else None
