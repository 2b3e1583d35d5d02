"""Use cases for issues `I-<n>`: add, list, show, update and resolve, and a risk that has
happened turned into an issue (`materialise_risk`) in one transaction.

Any member adds an issue and owns it unless naming another owner; its owner, the plan's
leads and chairs change or resolve it, as for actions and risks. Every change is audited
and kept in the issue's append-only history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from governance.actions.models import Action
from governance.actions.rules import is_open_clause as is_open_action_clause
from governance.actions.status import ActionStatus
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import InputNotFound, Invalid, NotFound
from governance.hints import Command, Hint
from governance.inputs import about, refuse_patient_identifiers_in
from governance.issues.inputs import (
    IssueAdd,
    IssueList,
    IssueResolve,
    IssueShow,
    IssueUpdate,
    RiskMaterialise,
)
from governance.issues.lookup import find_issue, issue_for_risk, what_exists
from governance.issues.models import Issue, IssueAction, IssueHistoryEntry, IssuePartner
from governance.issues.rules import IssueStatus, days_open, is_open_clause, severity_word
from governance.issues.views import (
    IssueActionView,
    IssueChangeView,
    IssueDetailView,
    IssueFormView,
    IssueHistoryEntryView,
    IssueListView,
    IssuePartnerView,
    IssueView,
    MaterialisedView,
)
from governance.local_time import local_time, local_today
from governance.parsing.references import format_ref, parse_ref
from governance.people_functions.lookup import find_function
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import find_partner, partner_names
from governance.plans.permissions import require_owner_or_manager
from governance.risks.models import Risk, RiskShare
from governance.risks.rules import RiskStatus

S = TypeVar("S", bound=Select)  # type: ignore[type-arg]
# Open actions the add-issue form offers to link, newest first.
FORM_ACTIONS = 100


def issue_form(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> IssueFormView:
    """The plan an add-issue form would add to, with its partners and open actions."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        rows = session.execute(
            select(Action.number, Action.title)
            .where(
                Action.plan_id == plan.id,
                is_open_action_clause(),
            )
            .order_by(Action.number.desc())
            .limit(FORM_ACTIONS)
        )
        return IssueFormView(
            plan_id=plan.id,
            plan_name=plan.name,
            partners=partner_names(session, plan),
            actions=tuple((format_ref("A", number), title) for number, title in rows),
        )


def add_issue(uow: UnitOfWork, actor: Actor, data: IssueAdd) -> IssueChangeView:
    """Record an issue; any member may, and owns it unless they name an owner."""
    refuse_patient_identifiers_in(title=data.title, description=data.description)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        now = uow.now()
        with about("function"):
            function = find_function(data.function) if data.function else None
        partners = []
        for name in data.partners:
            with about("partner"):
                partners.append(find_partner(session, plan, name))
        actions = _actions(session, plan, data.actions)
        owner_id = data.owner_id or actor.user_id
        issue = _new_issue(
            session,
            plan,
            actor,
            now,
            title=data.title,
            description=data.description,
            owner_id=owner_id,
            function_id=function.number if function else None,
            severity=data.severity,
        )
        issue.partners = [
            IssuePartner(partner=p, percent=None, is_lead=False)
            for p in {p.id: p for p in partners}.values()
        ]
        issue.actions = [IssueAction(action=a) for a in actions]
        session.add(issue)
        session.flush()
        _history(session, issue, actor, now, "opened", {})
        _record(session, plan, actor, now, issue, "add", **_audited(issue))
        return IssueChangeView(
            issue=issue_view(issue, plan, today),
            event="opened",
            changes=(),
            notify_owner=owner_id if owner_id != actor.user_id else None,
            plan_name=plan.name,
        )


def list_issues(uow: UnitOfWork, actor: Actor, data: IssueList) -> IssueListView:
    """Open issues (or resolved ones, or all), most severe first, then the longest open."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        query = loaded_issues(select(Issue).where(Issue.plan_id == plan.id))
        if data.shown == "open":
            query = query.where(is_open_clause())
        elif data.shown == "resolved":
            query = query.where(Issue.status == IssueStatus.RESOLVED.value)
        issues = session.scalars(
            query.order_by(Issue.status, Issue.severity.desc(), Issue.created_at, Issue.number)
        )
        return IssueListView(
            plan_id=plan.id,
            plan_name=plan.name,
            shown=data.shown,
            issues=tuple(issue_view(issue, plan, today) for issue in issues),
        )


def show_issue(uow: UnitOfWork, actor: Actor, data: IssueShow) -> IssueDetailView:
    """The issue with its partners, linked actions, the risk it was, and its whole history."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        issue = find_issue(session, plan, data.number)
        return IssueDetailView(
            issue=issue_view(issue, plan, local_today(uow.now(), plan.timezone)),
            history=tuple(_entry_view(entry, plan) for entry in issue.history),
        )


def update_issue(uow: UnitOfWork, actor: Actor, data: IssueUpdate) -> IssueChangeView:
    """Change an open issue's severity or owner, link actions, or add a note (owner or
    managers); the change and its note go into the issue's history."""
    refuse_patient_identifiers_in(note=data.note)
    if data.severity is None and data.owner_id is None and not data.actions and not data.note:
        raise Invalid(
            "Tell me what to change: severity, owner, a linked action or a note.",
            hint=Hint("For example {}.", Command("issue", 'update I-2 severity:3 "why"')),
        )

    def work(session: Session) -> IssueChangeView:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        issue = _open_issue(session, plan, actor, data.number, doing="update an issue")
        changes: dict[str, list[str]] = {}
        if data.severity is not None and data.severity != issue.severity:
            changes["severity"] = [str(issue.severity), str(data.severity)]
            issue.severity = data.severity
        if data.owner_id is not None and data.owner_id != issue.owner_id:
            changes["owner"] = [issue.owner_id or "", data.owner_id]
            issue.owner_id = data.owner_id
        linked = {link.action_id for link in issue.actions}
        added = [a for a in _actions(session, plan, data.actions) if a.id not in linked]
        if added:
            before = ", ".join(_action_refs(issue)) or "none"
            issue.actions.extend(IssueAction(action=a) for a in added)
            changes["actions"] = [before, ", ".join(_action_refs(issue))]
        now = uow.now()
        if changes or data.note:
            issue.updated_by = actor.user_id
            issue.updated_at = now
            session.flush()
            _history(session, issue, actor, now, "updated", changes, data.note)
            _record(session, plan, actor, now, issue, "update", changes=changes, note=data.note)
        owner = changes.get("owner")
        return IssueChangeView(
            issue=issue_view(issue, plan, today),
            event="updated" if changes or data.note else "unchanged",
            changes=tuple((k, old, new) for k, (old, new) in changes.items()),
            notify_owner=owner[1] if owner and owner[1] != actor.user_id else None,
            plan_name=plan.name,
        )

    return uow.run(work)


def resolve_issue(uow: UnitOfWork, actor: Actor, data: IssueResolve) -> IssueChangeView:
    """Resolve an open issue, saying how (owner or managers)."""
    refuse_patient_identifiers_in(how=data.how)

    def work(session: Session) -> IssueChangeView:
        plan = plan_for(session, actor, data.plan_id)
        issue = _open_issue(session, plan, actor, data.number, doing="resolve an issue")
        now = uow.now()
        issue.status = IssueStatus.RESOLVED.value
        issue.resolution = data.how
        issue.resolved_by = actor.user_id
        issue.resolved_at = now
        issue.updated_by = actor.user_id
        issue.updated_at = now
        session.flush()
        _history(session, issue, actor, now, "resolved", {}, data.how)
        _record(session, plan, actor, now, issue, "resolve", how=data.how)
        return IssueChangeView(
            issue=issue_view(issue, plan, local_today(now, plan.timezone)),
            event="resolved",
            changes=(),
            notify_owner=None,
            plan_name=plan.name,
        )

    return uow.run(work)


def materialise_risk(uow: UnitOfWork, actor: Actor, data: RiskMaterialise) -> MaterialisedView:
    """The risk has happened: close it with a link to a new issue that keeps its owner,
    people function, partners and share (severity: the risk's impact), in one transaction;
    both the risk's audit and the issue's history say so (the risk's owner or managers)."""
    refuse_patient_identifiers_in(note=data.note)

    def work(session: Session) -> MaterialisedView:
        plan = plan_for(session, actor, data.plan_id)
        # Held until the transaction ends: a second materialise of the same risk waits, then
        # finds it closed and says which issue it became.
        risk = session.scalar(
            select(Risk)
            .where(Risk.plan_id == plan.id, Risk.number == data.number)
            .options(selectinload(Risk.shares).selectinload(RiskShare.partner))
            .with_for_update(of=Risk)
        )
        if risk is None:
            raise NotFound(
                f"There is no {format_ref('R', data.number)} in this plan; "
                + what_exists(session, plan, Risk, "R", "risk"),
                hint=Hint("{} shows them.", Command("risk", "list all")),
            )
        require_owner_or_manager(
            session, plan, actor.user_id, risk.owner_id, doing="turn a risk into an issue"
        )
        if risk.status != RiskStatus.OPEN:
            became = issue_for_risk(session, [risk.id]).get(risk.id)
            raise Invalid(
                f"{risk.ref} is closed already"
                + (f": it became {became}." if became else ", so it can't become an issue."),
                hint=Hint("{} shows it.", Command("issue", f"show {became}")) if became else None,
            )
        now = uow.now()
        issue = _new_issue(
            session,
            plan,
            actor,
            now,
            title=risk.title,
            description=data.note or risk.description,
            owner_id=risk.owner_id,
            function_id=risk.function_id,
            severity=risk.impact,
            risk_id=risk.id,
        )
        issue.partners = [
            IssuePartner(partner=s.partner, percent=s.percent, is_lead=s.is_lead)
            for s in risk.shares
        ]
        session.add(issue)
        session.flush()
        risk.status = RiskStatus.CLOSED.value
        risk.close_note = f"Materialised as {issue.ref}" + (f": {data.note}" if data.note else "")
        risk.closed_at = now
        risk.updated_by = actor.user_id
        risk.updated_at = now
        link = {"risk": [risk.ref, issue.ref]}
        _history(session, issue, actor, now, "materialised", link, data.note)
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="risk",
            ref=risk.ref,
            verb="materialise",
            issue=issue.ref,
            note=data.note,
            score=risk.score,
        )
        _record(session, plan, actor, now, issue, "add", risk=risk.ref, **_audited(issue))
        session.flush()
        return MaterialisedView(
            risk_ref=risk.ref,
            risk_title=risk.title,
            issue=issue_view(issue, plan, local_today(now, plan.timezone)),
        )

    return uow.run(work)


def issue_view(issue: Issue, plan: Plan, today: date) -> IssueView:
    """Plain data for one issue, its moments on the plan's clock; call inside the transaction
    that loaded it."""
    opened_at = local_time(issue.created_at, plan.timezone)
    return IssueView(
        plan_id=issue.plan_id,
        ref=issue.ref,
        title=issue.title,
        description=issue.description,
        owner_id=issue.owner_id,
        function_key=issue.function.key if issue.function else None,
        function_name=issue.function.name if issue.function else None,
        severity=issue.severity,
        status=IssueStatus(issue.status),
        resolution=issue.resolution,
        risk_ref=issue.risk.ref if issue.risk else None,
        partners=tuple(
            IssuePartnerView(partner=p.partner.name, percent=p.percent, is_lead=p.is_lead)
            for p in sorted(issue.partners, key=lambda p: (not p.is_lead, -(p.percent or 0)))
        ),
        actions=tuple(
            IssueActionView(
                ref=link.action.ref,
                title=link.action.title,
                status=ActionStatus(link.action.status),
                owner_id=link.action.owner_id,
            )
            for link in issue.actions
        ),
        opened_at=opened_at,
        opened_on=opened_at.date(),
        days_open=days_open(opened_at.date(), today),
        resolved_by=issue.resolved_by,
        resolved_at=local_time(issue.resolved_at, plan.timezone),
        version=issue.version,
    )


def open_issues(
    session: Session, plan: Plan, today: date, limit: int
) -> tuple[list[IssueView], int]:
    """The plan's first `limit` open issues, most severe first, and how many are open."""
    return _issues_where(
        session,
        plan,
        today,
        limit,
        (Issue.plan_id == plan.id, is_open_clause()),
        (Issue.severity.desc(), Issue.created_at, Issue.number),
    )


def open_issue_counts(session: Session, plan: Plan) -> dict[int, int]:
    """How many of the plan's issues are open at each severity, 5 (catastrophic) first."""
    counts = {
        severity: count
        for severity, count in session.execute(
            select(Issue.severity, func.count())
            .where(Issue.plan_id == plan.id, is_open_clause())
            .group_by(Issue.severity)
        )
    }
    return {severity: int(counts.get(severity, 0)) for severity in range(5, 0, -1)}


def resolved_issues(
    session: Session, plan: Plan, since: datetime, until: datetime, today: date, limit: int
) -> tuple[list[IssueView], int]:
    """The first `limit` issues resolved between `since` and `until`, in the order they were
    resolved, and how many were."""
    return _issues_where(
        session,
        plan,
        today,
        limit,
        (
            Issue.plan_id == plan.id,
            ~is_open_clause(),
            Issue.resolved_at >= since,
            Issue.resolved_at < until,
        ),
        (Issue.resolved_at, Issue.number),
    )


def _issues_where(
    session: Session,
    plan: Plan,
    today: date,
    limit: int,
    where: tuple[ColumnElement[bool], ...],
    order: tuple[Any, ...],
) -> tuple[list[IssueView], int]:
    rows = session.scalars(loaded_issues(select(Issue).where(*where)).order_by(*order).limit(limit))
    total = session.scalar(select(func.count()).select_from(Issue).where(*where)) or 0
    return [issue_view(issue, plan, today) for issue in rows], total


def loaded_issues(query: S) -> S:
    """`query` loading what an issue's view reads, in a fixed number of queries."""
    return query.options(
        selectinload(Issue.partners).selectinload(IssuePartner.partner),
        selectinload(Issue.actions).selectinload(IssueAction.action),
        selectinload(Issue.function),
        selectinload(Issue.risk),
    )


def _open_issue(session: Session, plan: Plan, actor: Actor, number: int, *, doing: str) -> Issue:
    issue = find_issue(session, plan, number)
    require_owner_or_manager(session, plan, actor.user_id, issue.owner_id, doing=doing)
    if issue.status != IssueStatus.OPEN:
        raise Invalid(
            f"{issue.ref} is resolved already, so it can't be changed.",
            hint=Hint("{} shows how it was resolved.", Command("issue", f"show {issue.ref}")),
        )
    return issue


def _actions(session: Session, plan: Plan, refs: Sequence[str]) -> list[Action]:
    """The plan's actions `refs` names (`A-3`), each once; a bad one is refused by name."""
    found: dict[int, Action] = {}
    for text in refs:
        with about("action"):
            number = parse_ref(text, "A")
        action = session.scalar(
            select(Action).where(Action.plan_id == plan.id, Action.number == number)
        )
        if action is None:
            raise InputNotFound(
                "action",
                f"There is no {format_ref('A', number)} in this plan; "
                + what_exists(session, plan, Action, "A", "action"),
                hint=Hint("{} shows them.", Command("action", "list")),
            )
        found[action.id] = action
    return list(found.values())


def _action_refs(issue: Issue) -> list[str]:
    return [link.action.ref for link in issue.actions]


def _new_issue(
    session: Session, plan: Plan, actor: Actor, now: datetime, **fields: object
) -> Issue:
    """A new open issue numbered next in the plan, created and last changed by the actor."""
    return Issue(
        plan_id=plan.id,
        number=next_number(session, plan.id, "issue"),
        status=IssueStatus.OPEN.value,
        resolution="",
        created_by=actor.user_id,
        created_at=now,
        updated_by=actor.user_id,
        updated_at=now,
        **fields,
    )


def _record(
    session: Session,
    plan: Plan,
    actor: Actor,
    at: datetime,
    issue: Issue,
    verb: str,
    **details: object,
) -> None:
    """The plan's audit entry for what the actor did to the issue."""
    record(
        session,
        plan,
        actor_id=actor.user_id,
        at=at,
        entity="issue",
        ref=issue.ref,
        verb=verb,
        **details,
    )


def _history(
    session: Session,
    issue: Issue,
    actor: Actor,
    at: datetime,
    event: str,
    changes: dict[str, list[str]],
    note: str = "",
) -> None:
    session.add(
        IssueHistoryEntry(
            issue_id=issue.id, user_id=actor.user_id, at=at, event=event, changes=changes, note=note
        )
    )


def _entry_view(entry: IssueHistoryEntry, plan: Plan) -> IssueHistoryEntryView:
    return IssueHistoryEntryView(
        user_id=entry.user_id,
        at=local_time(entry.at, plan.timezone),
        event=entry.event,
        changes=tuple((field, old, new) for field, (old, new) in (entry.changes or {}).items()),
        note=entry.note,
    )


def _audited(issue: Issue) -> dict[str, object]:
    return {
        "title": issue.title,
        "owner": issue.owner_id,
        "severity": issue.severity,
        "severity_word": severity_word(issue.severity),
        "function": issue.function_id,
        "partners": [
            {"partner": p.partner.name, "percent": p.percent, "lead": p.is_lead}
            for p in issue.partners
        ],
        "actions": _action_refs(issue),
    }
