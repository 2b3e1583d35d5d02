"""Wins W-<n>: any member celebrates a success, crediting people and partner organisations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner, Plan
from governance.plans.use_cases import setup_plan
from governance.wins.inputs import WinList, WinRecord
from governance.wins.models import Win
from governance.wins.use_cases import list_wins, record_win, win_form, wins_since
from governance.wins.views import WinView
from tests.conftest import Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
        session.add(Partner(plan_id=plan.id, name="Livewell Southwest", sector="social-care"))
    return plan.id


def win(uow: UnitOfWork, text: str = "30 new care workers started", **fields: object) -> WinView:
    return record_win(uow, MEMBER, validate(WinRecord, text=text, **fields))


def test_a_member_records_a_win_crediting_people_and_partners(
    uow: UnitOfWork, plan_id: int
) -> None:
    view = win(
        uow,
        function="supply",
        people=("UAMY", "UBEN"),
        partners=("devon county council", "Livewell"),
    )
    assert (view.ref, view.text, view.function_key) == (
        "W-1",
        "30 new care workers started",
        "supply",
    )
    assert view.people == ("UAMY", "UBEN")
    assert view.partners == ("Devon County Council", "Livewell Southwest")
    assert view.created_by == "UMEMBER"


def test_wins_are_numbered_within_the_plan(uow: UnitOfWork, plan_id: int) -> None:
    assert [win(uow).ref for _ in range(2)] == ["W-1", "W-2"]


def test_people_and_partners_named_twice_are_credited_once(uow: UnitOfWork, plan_id: int) -> None:
    view = win(
        uow,
        people=("UAMY", "UAMY"),
        partners=("Devon County Council", "devon county council"),
    )
    assert (view.people, view.partners) == (("UAMY",), ("Devon County Council",))


def test_recording_a_win_is_audited(uow: UnitOfWork, plan_id: int) -> None:
    win(uow, people=("UAMY",))
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "win")).one()
    assert (entry.ref, entry.verb, entry.actor_id) == ("W-1", "record", "UMEMBER")
    assert entry.detail == {"people": ["UAMY"], "partners": []}


def test_an_unknown_partner_is_refused_and_nothing_is_stored(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="Livewell Southwest"):
        win(uow, partners=("Plymouth City Council",))
    with uow.transaction() as session:
        assert session.scalars(select(Win)).all() == []


def test_a_win_longer_than_3000_characters_is_refused_saying_the_limit() -> None:
    with pytest.raises(Invalid, match="at most 3000 characters"):
        validate(WinRecord, text="x" * 3001)


def test_a_win_holding_an_nhs_number_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="NHS number"):
        win(uow, text="Discharged 9434765919 a day early")
    with uow.transaction() as session:
        assert session.scalars(select(Win)).all() == []


def test_an_unknown_people_function_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="people functions"):
        win(uow, function="catering")


def test_wins_are_listed_most_recent_first(uow: UnitOfWork, plan_id: int, clock: Clock) -> None:
    win(uow, "first")
    clock.advance(hours=1)
    win(uow, "second")
    listing = list_wins(uow, MEMBER, validate(WinList))
    assert [(w.ref, w.text) for w in listing.items] == [("W-2", "second"), ("W-1", "first")]
    assert (listing.total, listing.plan_name) == (2, "Devon")


def test_wins_since_a_date_counts_from_midnight_in_the_plan_timezone(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    clock.set(datetime(2026, 6, 1, 22, 30, tzinfo=UTC))  # 23:30 on 1 June in London
    win(uow, "late on Monday")
    clock.set(datetime(2026, 6, 1, 23, 30, tzinfo=UTC))  # 00:30 on 2 June in London
    win(uow, "early on Tuesday", people=("UAMY",), partners=("Livewell",))
    win(uow, "later on Tuesday")
    with uow.transaction() as session:
        plan = session.get(Plan, plan_id)
        since_date = wins_since(session, plan, date(2026, 6, 2))
        since_instant = wins_since(session, plan, datetime(2026, 6, 1, 22, 0, tzinfo=UTC))
    assert [w.text for w in since_date] == ["early on Tuesday", "later on Tuesday"]
    assert since_date[0].partners == ("Livewell Southwest",)
    assert len(since_instant) == 3


def test_wins_since_refuses_a_naive_time(uow: UnitOfWork, plan_id: int) -> None:
    with uow.transaction() as session, pytest.raises(ValueError, match="aware"):
        wins_since(session, session.get(Plan, plan_id), datetime(2026, 6, 1))


def test_the_win_form_offers_the_plan_partners_and_functions(uow: UnitOfWork, plan_id: int) -> None:
    form = win_form(uow, MEMBER)
    assert (form.plan_id, form.plan_name) == (plan_id, "Devon")
    assert form.partners == ("Devon County Council", "Livewell Southwest")
    assert [f.key for f in form.functions][:2] == ["wellbeing", "supply"]
