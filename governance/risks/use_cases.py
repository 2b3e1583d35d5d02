"""Use cases for risks `R-<n>`: add, list, show, update and close.

Extreme risks (15+) are reviewed at least monthly (domain.md), so their review date is never
set more than a month ahead; other risks default to a review three months ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import count
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from governance.actor import Actor
from governance.audit.record import record
from governance.challenges.models import Challenge
from governance.database import UnitOfWork
from governance.errors import Conflict, InputInvalid, Invalid, NotFound
from governance.hints import Command, Hint
from governance.inputs import about
from governance.issues.lookup import issue_for_risk
from governance.local_time import local_time, local_today
from governance.parsing.dates import parse_date
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.people_functions.lookup import find_function
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import partner_names
from governance.plans.permissions import require_owner_or_manager
from governance.risks.inputs import (
    RiskAdd,
    RiskClose,
    RiskList,
    RiskShow,
    RiskUpdate,
)
from governance.risks.models import Risk, RiskShare
from governance.risks.rules import (
    EXTREME_FROM,
    POSSIBLE_SCORES,
    RiskStatus,
    default_review_date,
    is_extreme,
    is_possible_score,
    is_review_due,
    is_review_overdue,
    latest_review_date,
    score,
)
from governance.risks.share import (
    apply_share,
    choose_lead,
    describe_share,
    in_display_order,
    resolve_share,
)
from governance.risks.views import (
    OpenChallengeView,
    RiskChangeView,
    RiskFormView,
    RiskListView,
    RiskUpdatedView,
    RiskView,
    ShareView,
)

T = TypeVar("T")


def add_risk(uow: UnitOfWork, actor: Actor, data: RiskAdd) -> RiskView:
    """Record a new risk; any member may add one, and owns it unless they name an owner."""
    for field in ("title", "mitigation"):
        with about(field):
            refuse_patient_identifiers(getattr(data, field))
    if data.share is None and data.lead is not None:
        raise InputInvalid(
            "lead",
            "A lead partner needs a risk share to lead.",
            hint='Add the share too: `share:"Org A"=60,"Org B"=40 lead:"Org B"`.',
        )
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        risk_score = score(data.likelihood, data.impact)
        _check_target(data.target, risk_score)
        with about("review"):
            review = _review_date(data.review, risk_score, today)
        shares = None
        if data.share is not None:
            with about("share"):
                shares = resolve_share(session, plan, data.share, data.lead)
        with about("function"):
            function = None if data.function is None else find_function(data.function)
        now = uow.now()
        risk = Risk(
            plan_id=plan.id,
            number=next_number(session, plan.id, "risk"),
            title=data.title,
            owner_id=data.owner_id or actor.user_id,
            function_id=None if function is None else function.number,
            likelihood=data.likelihood,
            impact=data.impact,
            target_score=data.target,
            mitigation=data.mitigation,
            review_date=review,
            created_by=actor.user_id,
            created_at=now,
            updated_by=actor.user_id,
            updated_at=now,
        )
        session.add(risk)
        if shares is not None:
            apply_share(risk, shares)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="risk",
            ref=risk.ref,
            verb="add",
            **audited_fields(risk),
        )
        return risk_view(session, plan, risk, today)


def risk_form(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> RiskFormView:
    """The plan a new risk would join, and its partners, for the add-risk form."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return RiskFormView(
            plan_id=plan.id, plan_name=plan.name, partners=partner_names(session, plan)
        )


def risk_to_update(uow: UnitOfWork, actor: Actor, data: RiskShow) -> RiskView:
    """The risk for the update form, refused up front if the actor may not change it."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        risk = _updatable_risk(session, plan, actor, data.number, today)
        return risk_view(session, plan, risk, today)


def list_risks(uow: UnitOfWork, actor: Actor, data: RiskList) -> RiskListView:
    """Open risks (or extreme, closed or all of them; one function's), highest score first,
    then review date."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        query = (
            select(Risk)
            .where(Risk.plan_id == plan.id)
            .options(selectinload(Risk.shares).selectinload(RiskShare.partner))
            .options(selectinload(Risk.function))
        )
        function_name = None
        if data.function is not None:
            with about("function"):
                function = find_function(data.function)
            query = query.where(Risk.function_id == function.number)
            function_name = function.name
        if data.shown in ("open", "extreme"):
            query = query.where(Risk.status == RiskStatus.OPEN.value)
        elif data.shown == "closed":
            query = query.where(Risk.status == RiskStatus.CLOSED.value)
        if data.shown == "extreme":
            query = query.where(Risk.likelihood * Risk.impact >= EXTREME_FROM)
        risks = list(session.scalars(query))
        risks.sort(key=lambda r: (-r.score, r.review_date or date.max, r.number))
        challenges = _open_challenges(session, plan, [r.id for r in risks])
        issues = issue_for_risk(session, [r.id for r in risks if r.status != RiskStatus.OPEN])
        return RiskListView(
            plan_id=plan.id,
            plan_name=plan.name,
            shown=data.shown,
            function_name=function_name,
            risks=tuple(
                _view(plan, risk, today, challenges.get(risk.id, ()), issues.get(risk.id))
                for risk in risks
            ),
        )


def show_risk(uow: UnitOfWork, actor: Actor, data: RiskShow) -> RiskView:
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        risk = _risk(session, plan, data.number)
        return risk_view(session, plan, risk, local_today(uow.now(), plan.timezone))


def update_risk(uow: UnitOfWork, actor: Actor, data: RiskUpdate) -> RiskUpdatedView:
    """Change a risk's score, mitigation, review, share, owner or target (owner or managers).

    With `expected_version` (from a modal) a risk changed since it was shown is refused with
    its current state; without one (a slash command) the change applies to the latest state.
    """
    if data.mitigation is not None:
        with about("mitigation"):
            refuse_patient_identifiers(data.mitigation)
    if not _fields_given(data):
        raise Invalid(
            "Tell me what to change: likelihood, impact, mitigation, review, share, lead, "
            "owner or target."
        )

    tries = count()

    def work(session: Session) -> RiskUpdatedView:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        # After a lost race the retry queues behind concurrent edits (a row lock) instead
        # of racing again: under many writers, optimistic retries alone run out.
        risk = _updatable_risk(
            session, plan, actor, data.number, today, data.expected_version, lock=next(tries) > 0
        )
        before = audited_fields(risk)
        review_was_due = is_review_due(risk.review_date, today)
        _apply_update(session, plan, risk, data, today)
        after = audited_fields(risk)
        changed = [key for key in after if after[key] != before[key]]
        if not changed:
            return RiskUpdatedView(risk=risk_view(session, plan, risk, today), changes=())
        now = uow.now()
        risk.updated_by = actor.user_id
        risk.updated_at = now
        reviewed = changed == ["review"] and review_was_due
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="risk",
            ref=risk.ref,
            verb="review" if reviewed else "update",
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
        return RiskUpdatedView(
            risk=risk_view(session, plan, risk, today),
            changes=tuple(_change(key, before[key], after[key]) for key in changed),
            reviewed=reviewed,
        )

    return _with_current_on_conflict(uow, actor, data, work)


def close_risk(uow: UnitOfWork, actor: Actor, data: RiskClose) -> RiskView:
    """Close an open risk with an optional note (owner or managers)."""
    with about("note"):
        refuse_patient_identifiers(data.note)

    def work(session: Session) -> RiskView:
        plan = plan_for(session, actor, data.plan_id)
        today = local_today(uow.now(), plan.timezone)
        risk = _risk(session, plan, data.number)
        require_owner_or_manager(session, plan, actor.user_id, risk.owner_id, doing="close a risk")
        if risk.status != RiskStatus.OPEN:
            raise Invalid(f"{risk.ref} is already closed.")
        now = uow.now()
        risk.status = RiskStatus.CLOSED.value
        risk.close_note = data.note
        risk.closed_at = now
        risk.updated_by = actor.user_id
        risk.updated_at = now
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="risk",
            ref=risk.ref,
            verb="close",
            note=data.note,
            score=risk.score,
        )
        return risk_view(session, plan, risk, today)

    return uow.run(work)


def risk_view(session: Session, plan: Plan, risk: Risk, today: date) -> RiskView:
    """The risk as plain data, with its share, open challenges and the issue it became, read
    inside the transaction."""
    challenges = _open_challenges(session, plan, [risk.id]).get(risk.id, ())
    closed = risk.status != RiskStatus.OPEN
    return _view(
        plan,
        risk,
        today,
        challenges,
        issue_for_risk(session, [risk.id]).get(risk.id) if closed else None,
    )


def _view(
    plan: Plan,
    risk: Risk,
    today: date,
    challenges: tuple[OpenChallengeView, ...],
    issue_ref: str | None = None,
) -> RiskView:
    return RiskView(
        plan_id=plan.id,
        number=risk.number,
        title=risk.title,
        owner_id=risk.owner_id,
        function_key=risk.function.key if risk.function else None,
        function_name=risk.function.name if risk.function else None,
        likelihood=risk.likelihood,
        impact=risk.impact,
        target_score=risk.target_score,
        mitigation=risk.mitigation,
        review_date=risk.review_date,
        review_overdue=is_review_overdue(risk.review_date, risk.status, today),
        next_review_date=default_review_date(risk.score, today),
        status=risk.status,
        close_note=risk.close_note,
        closed_at=local_time(risk.closed_at, plan.timezone),
        shares=tuple(
            ShareView(
                partner=s.partner.name,
                sector=s.partner.sector,
                percent=s.percent,
                is_lead=s.is_lead,
            )
            for s in in_display_order(risk.shares)
        ),
        open_challenges=challenges,
        version=risk.version,
        issue_ref=issue_ref,
    )


def _open_challenges(
    session: Session, plan: Plan, risk_ids: Iterable[int]
) -> dict[int, tuple[OpenChallengeView, ...]]:
    ids = list(risk_ids)
    if not ids:
        return {}
    found: dict[int, list[OpenChallengeView]] = {}
    rows = session.scalars(
        select(Challenge)
        .where(Challenge.risk_id.in_(ids), Challenge.answered_at.is_(None))
        .order_by(Challenge.asked_at, Challenge.id)
    )
    for challenge in rows:
        assert challenge.risk_id is not None
        found.setdefault(challenge.risk_id, []).append(
            OpenChallengeView(
                asked_by=challenge.asked_by,
                question=challenge.question,
                asked_at=local_time(challenge.asked_at, plan.timezone),
            )
        )
    return {risk_id: tuple(views) for risk_id, views in found.items()}


def _risk(session: Session, plan: Plan, number: int, *, lock: bool = False) -> Risk:
    """The plan's risk `R-<number>`; with `lock`, held until the transaction ends."""
    query = select(Risk).where(Risk.plan_id == plan.id, Risk.number == number)
    risk = session.scalar(query.with_for_update() if lock else query)
    if risk is None:
        raise NotFound(
            f"There is no R-{number} in this plan.",
            hint=Hint("{} shows them.", Command("risk", "list")),
        )
    return risk


def _updatable_risk(
    session: Session,
    plan: Plan,
    actor: Actor,
    number: int,
    today: date,
    expected_version: int | None = None,
    *,
    lock: bool = False,
) -> Risk:
    """A risk the actor may update: theirs (or any, for managers), as they saw it, and open."""
    risk = _risk(session, plan, number, lock=lock)
    require_owner_or_manager(session, plan, actor.user_id, risk.owner_id, doing="update a risk")
    _check_version(session, plan, risk, expected_version, today)
    if risk.status != RiskStatus.OPEN:
        raise Invalid(f"{risk.ref} is closed, so it can't be updated.")
    return risk


def _check_version(
    session: Session, plan: Plan, risk: Risk, expected: int | None, today: date
) -> None:
    if expected is not None and expected != risk.version:
        raise Conflict(
            f"{risk.ref} was changed by someone else after you opened it, so nothing of yours "
            "was saved. Here it is now; please make your change again.",
            current=risk_view(session, plan, risk, today),
        )


def _with_current_on_conflict(
    uow: UnitOfWork,
    actor: Actor,
    data: RiskUpdate,
    work: Callable[[Session], T],
) -> T:
    """Run `work`; a modal's stale version, even one lost in a race, comes back with `current`.

    A slash command (no expected version) retries the race and applies to the latest state.
    """
    if data.expected_version is None:
        return uow.run(work)
    try:
        with uow.transaction() as session:
            return work(session)
    except Conflict as exc:
        if exc.current is not None:
            raise
        current = show_risk(uow, actor, RiskShow(plan_id=data.plan_id, number=data.number))
        raise Conflict(
            f"{current.ref} was changed by someone else at the same moment, so nothing of yours "
            "was saved. Here it is now; please make your change again.",
            current=current,
        ) from exc


def _fields_given(data: RiskUpdate) -> bool:
    fields = ("likelihood", "impact", "mitigation", "review", "share", "lead", "owner_id", "target")
    return any(getattr(data, name) is not None for name in fields)


def _apply_update(session: Session, plan: Plan, risk: Risk, data: RiskUpdate, today: date) -> None:
    if data.likelihood is not None:
        risk.likelihood = data.likelihood
    if data.impact is not None:
        risk.impact = data.impact
    if data.target is not None:
        _check_target(data.target, risk.score)
        risk.target_score = data.target
    if data.mitigation is not None:
        risk.mitigation = data.mitigation
    if data.owner_id is not None:
        risk.owner_id = data.owner_id
    if data.share is not None:
        with about("share"):
            apply_share(risk, resolve_share(session, plan, data.share, data.lead))
    elif data.lead is not None:
        with about("lead"):
            choose_lead(session, plan, risk, data.lead)
    if data.review is not None:
        with about("review"):
            risk.review_date = _review_date(data.review, risk.score, today)
    elif is_extreme(risk.score):
        latest = latest_review_date(today)
        if risk.review_date is None or risk.review_date > latest:
            # A risk that becomes extreme is reviewed within the month, not at its old date.
            risk.review_date = latest


def _check_target(target: int | None, current: int) -> None:
    if target is not None and not is_possible_score(target):
        raise InputInvalid(
            "target",
            f"{target} is not a score a risk can have: a score is likelihood (1 to 5) times "
            "impact (1 to 5).",
            hint="Give one of " + ", ".join(map(str, POSSIBLE_SCORES)) + f", up to {current}.",
        )
    if target is not None and target > current:
        raise InputInvalid(
            "target",
            f"The target score {target} is above the current score {current}; a target is "
            "where mitigation should bring the risk, so it can't be higher.",
            hint=f"Give a target from 1 to {current}.",
        )


def _review_date(text: str | None, risk_score: int, today: date) -> date:
    if text is None:
        return default_review_date(risk_score, today)
    review = parse_date(text, today)
    if review < today:
        raise Invalid(
            f"The review date {_day(review)} has passed.",
            hint="Give today or a later date, e.g. review:+1m.",
        )
    latest = latest_review_date(today)
    if is_extreme(risk_score) and review > latest:
        raise Invalid(
            f"A risk scoring {risk_score} is extreme, and extreme risks are reviewed at least "
            f"monthly, so its review date can't be after {_day(latest)}.",
            hint="Give a review date within a month, e.g. review:+4w, or leave it out.",
        )
    return review


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def audited_fields(risk: Risk) -> dict[str, object]:
    """A risk as its audit entries record it; an update records the fields that changed."""
    return {
        "title": risk.title,
        "owner": risk.owner_id,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": risk.score,
        "target": risk.target_score,
        "mitigation": risk.mitigation,
        "review": risk.review_date.isoformat() if risk.review_date else None,
        "function": risk.function_id,
        "share": describe_share(risk),
    }


def _change(key: str, before: object, after: object) -> RiskChangeView:
    return RiskChangeView(field=key, before=_words(before), after=_words(after))


def _words(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, list):
        return ", ".join(
            f"{line['partner']} {line['percent']}%" + (" (lead)" if line["lead"] else "")
            for line in value
        )
    return str(value)
