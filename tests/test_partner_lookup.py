"""Partners are found by the names people actually type."""

from __future__ import annotations

import pytest

from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.membership import plan_for, plan_for_channel
from governance.plans.models import Partner
from governance.plans.partner_lookup import find_partner
from governance.plans.use_cases import setup_plan

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    view = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        for name, sector in [
            ("Royal Devon University Healthcare", "nhs"),
            ("Royal Devon Hospice", "vcse"),
            ("Devon County Council", "council"),
        ]:
            session.add(Partner(plan_id=view.id, name=name, sector=sector))
    return view.id


def _find(uow: UnitOfWork, text: str) -> str:
    with uow.transaction() as session:
        return find_partner(session, plan_for_channel(session, LEAD), text).name


def test_a_partner_is_found_ignoring_case_and_spacing(uow: UnitOfWork, plan_id: int) -> None:
    assert _find(uow, "devon  county council") == "Devon County Council"


def test_a_unique_prefix_is_enough(uow: UnitOfWork, plan_id: int) -> None:
    assert _find(uow, "Devon County") == "Devon County Council"


def test_a_near_miss_is_forgiven(uow: UnitOfWork, plan_id: int) -> None:
    assert _find(uow, "Devon Conty Council") == "Devon County Council"


def test_an_ambiguous_prefix_names_the_candidates(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="Royal Devon Hospice"):
        _find(uow, "Royal Devon")


def test_an_unknown_partner_lists_the_plan_partners(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="Devon County Council"):
        _find(uow, "Plymouth City Council")


def test_a_plan_named_by_id_must_be_in_the_actor_workspace(uow: UnitOfWork, plan_id: int) -> None:
    stranger = Actor(team_id="T2", user_id="UX", channel_id="D1")
    with uow.transaction() as session, pytest.raises(NotFound):
        plan_for(session, stranger, plan_id)
    with uow.transaction() as session:
        assert plan_for(session, Actor("T1", "ULEAD", "D1"), plan_id).id == plan_id
