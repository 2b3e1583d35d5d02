"""Setting up a plan: the shape every use case follows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.rendering import hint_text
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.membership import plan_for_channel, role_of
from governance.plans.use_cases import setup_plan

ALICE = Actor(team_id="T1", user_id="UALICE", channel_id="CWORKFORCE")


def test_whoever_sets_up_a_plan_is_its_lead(uow: UnitOfWork) -> None:
    view = setup_plan(uow, ALICE, validate(PlanSetup, name="Devon ICS integrated workforce plan"))
    assert view.name == "Devon ICS integrated workforce plan"
    assert view.your_role == "lead"
    assert view.timezone == "Europe/London"
    assert view.channel_ids == ("CWORKFORCE",)


def test_a_channel_can_hold_only_one_plan(uow: UnitOfWork) -> None:
    setup_plan(uow, ALICE, validate(PlanSetup, name="First"))
    with pytest.raises(Invalid, match="already linked to the plan “First”"):
        setup_plan(uow, ALICE, validate(PlanSetup, name="Second"))


def test_plan_setup_is_audited(uow: UnitOfWork) -> None:
    setup_plan(uow, ALICE, validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.entity, entry.verb, entry.actor_id) == ("plan", "setup", "UALICE")


def test_an_unknown_timezone_is_refused_with_the_right_form() -> None:
    with pytest.raises(Invalid, match="not a timezone I know"):
        validate(PlanSetup, name="Devon", timezone="Europe/Londno")


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(Invalid, match="can't be empty"):
        validate(PlanSetup, name="   ")


def test_a_channel_without_a_plan_says_how_to_set_one_up(uow: UnitOfWork) -> None:
    with uow.transaction() as session, pytest.raises(NotFound) as refused:
        plan_for_channel(session, ALICE)
    assert "/plan setup" in (hint_text(refused.value.hint) or "")


def test_the_same_channel_id_in_another_workspace_is_another_plan(uow: UnitOfWork) -> None:
    setup_plan(uow, ALICE, validate(PlanSetup, name="Devon"))
    elsewhere = Actor(team_id="T2", user_id="UBOB", channel_id="CWORKFORCE")
    view = setup_plan(uow, elsewhere, validate(PlanSetup, name="Cornwall"))
    with uow.transaction() as session:
        assert plan_for_channel(session, elsewhere).id == view.id
        assert role_of(session, plan_for_channel(session, elsewhere), "UALICE") == "member"
