"""Use cases for wins: celebrate success and share learning."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.local_time import local_time
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.people_functions.lookup import find_function
from governance.people_functions.models import PeopleFunction
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.numbering import next_number
from governance.plans.partner_lookup import find_partner, partner_names
from governance.wins.inputs import WinList, WinRecord
from governance.wins.models import Win, WinPartner, WinPerson
from governance.wins.views import WinFormView, WinListView, WinView

LIST_LIMIT = 20


def win_form(uow: UnitOfWork, actor: Actor) -> WinFormView:
    """The choices the win form shows, for the plan of the actor's channel."""
    with uow.transaction() as session:
        plan = plan_for(session, actor)
        return WinFormView(
            plan_id=plan.id,
            plan_name=plan.name,
            partners=partner_names(session, plan),
            functions=PEOPLE_FUNCTIONS,
        )


def record_win(uow: UnitOfWork, actor: Actor, data: WinRecord) -> WinView:
    """Any member records a win, crediting people and partner organisations."""
    refuse_patient_identifiers(data.text)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        function = (
            session.get(PeopleFunction, find_function(data.function).number)
            if data.function
            else None
        )
        partners = list(
            {p.id: p for p in (find_partner(session, plan, n) for n in data.partners)}.values()
        )
        now = uow.now()
        win = Win(
            plan_id=plan.id,
            number=next_number(session, plan.id, "win"),
            text=data.text,
            function=function,
            created_by=actor.user_id,
            created_at=now,
            people=[WinPerson(user_id=user_id) for user_id in data.people],
            partners=[WinPartner(partner=partner) for partner in partners],
        )
        session.add(win)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="win",
            ref=win.ref,
            verb="record",
            people=list(data.people),
            partners=[p.name for p in partners],
        )
        return win_view(win, plan)


def list_wins(uow: UnitOfWork, actor: Actor, data: WinList) -> WinListView:
    """The plan's wins, most recent first; any member may look."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        total = session.scalar(select(func.count()).select_from(Win).where(Win.plan_id == plan.id))
        rows = session.scalars(
            _wins(plan).order_by(Win.created_at.desc(), Win.number.desc()).limit(LIST_LIMIT)
        )
        return WinListView(
            plan_id=plan.id, plan_name=plan.name, items=_views(plan, rows), total=total or 0
        )


def wins_since(session: Session, plan: Plan, since: date | datetime) -> tuple[WinView, ...]:
    """Wins recorded since `since` (a date is midnight in the plan's timezone), oldest first,
    for the digest."""
    if isinstance(since, datetime):
        if since.tzinfo is None:
            raise ValueError("wins_since needs an aware datetime")
        start = since
    else:
        start = datetime.combine(since, time(0), tzinfo=ZoneInfo(plan.timezone))
    rows = session.scalars(
        _wins(plan).where(Win.created_at >= start).order_by(Win.created_at, Win.number)
    )
    return _views(plan, rows)


def _wins(plan: Plan) -> Select[Win]:
    return (
        select(Win)
        .where(Win.plan_id == plan.id)
        .options(
            selectinload(Win.function),
            selectinload(Win.people),
            selectinload(Win.partners).selectinload(WinPartner.partner),
        )
    )


def win_view(win: Win, plan: Plan) -> WinView:
    """Plain data for a win, recorded at a moment in the plan's timezone."""
    function = win.function
    return WinView(
        plan_id=win.plan_id,
        ref=win.ref,
        text=win.text,
        function_key=function.key if function else None,
        function_name=function.name if function else None,
        people=tuple(person.user_id for person in win.people),
        partners=tuple(link.partner.name for link in win.partners),
        created_by=win.created_by,
        created_at=local_time(win.created_at, plan.timezone),
    )


def _views(plan: Plan, rows: Iterable[Win]) -> tuple[WinView, ...]:
    return tuple(win_view(win, plan) for win in rows)
