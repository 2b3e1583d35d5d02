"""Partner organisations: leads and chairs add them; sectors read as people type them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import Invalid, NotAllowed
from governance.inputs import validate
from governance.plans.inputs import PartnerAdd, PlanSetup, RoleChange
from governance.plans.models import SECTORS
from governance.plans.use_cases import add_partner, list_partners, set_role, setup_plan

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
CHAIR = Actor(team_id="T1", user_id="UCHAIR", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, LEAD, validate(PlanSetup, name="Devon")).id


def _add(uow: UnitOfWork, actor: Actor, name: str, sector: str) -> None:
    add_partner(uow, actor, validate(PartnerAdd, name=name, sector=sector))


@pytest.mark.parametrize(
    ("typed", "sector"),
    [
        ("nhs", "nhs"),
        ("NHS", "nhs"),
        ("Council", "council"),
        ("counsil", "council"),
        ("social care", "social-care"),
        ("Social_Care", "social-care"),
        ("voluntary", "vcse"),
        ("VCSE", "vcse"),
        ("primary care", "primary-care"),
        ("GP", "primary-care"),
    ],
)
def test_a_sector_is_read_forgivingly(typed: str, sector: str) -> None:
    assert validate(PartnerAdd, name="Org", sector=typed).sector == sector


def test_an_unknown_sector_is_refused_showing_the_sectors() -> None:
    with pytest.raises(Invalid) as refused:
        validate(PartnerAdd, name="Org", sector="banking")
    assert "`sector` “banking” is not a sector I know" in refused.value.message
    assert "nhs, council, social-care, vcse or primary-care" in refused.value.message


def test_every_sector_word_names_a_real_sector() -> None:
    for typed in ("trust", "icb", "la", "charity", "pcn", "care provider"):
        assert validate(PartnerAdd, name="Org", sector=typed).sector in SECTORS


def test_a_lead_adds_a_partner_and_it_is_listed_by_name(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, LEAD, "Torbay Council", "council")
    result = add_partner(
        uow, LEAD, validate(PartnerAdd, name="Devon Partnership NHS Trust", sector="NHS")
    )
    assert result.added is not None and result.added.sector == "nhs"
    names = [p.name for p in list_partners(uow, MEMBER).partners]
    assert names == ["Devon Partnership NHS Trust", "Torbay Council"]


def test_a_chair_may_add_partners(uow: UnitOfWork, plan_id: int) -> None:
    set_role(uow, LEAD, validate(RoleChange, user_id="UCHAIR", role="chair"))
    _add(uow, CHAIR, "Age UK Devon", "voluntary")
    assert [p.sector for p in list_partners(uow, CHAIR).partners] == ["vcse"]


def test_a_member_may_not_add_partners(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotAllowed, match="Only the plan's leads and chairs can add partners"):
        _add(uow, MEMBER, "Age UK Devon", "vcse")
    assert list_partners(uow, LEAD).partners == ()


def test_a_partner_name_already_in_the_plan_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, LEAD, "Devon & Cornwall Care", "social care")
    for same in ("devon & cornwall care", "Devon and Cornwall  Care"):
        with pytest.raises(Invalid, match="already a partner"):
            _add(uow, LEAD, same, "social care")
    assert len(list_partners(uow, LEAD).partners) == 1


def test_the_same_name_may_be_a_partner_in_another_plan(uow: UnitOfWork, plan_id: int) -> None:
    other = Actor(team_id="T1", user_id="ULEAD", channel_id="COTHER")
    setup_plan(uow, other, validate(PlanSetup, name="Cornwall"))
    _add(uow, LEAD, "NHS England South West", "nhs")
    _add(uow, other, "NHS England South West", "nhs")
    assert len(list_partners(uow, other).partners) == 1


def test_adding_a_partner_is_audited(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, LEAD, "Torbay Council", "council")
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "partner")).one()
    assert (entry.verb, entry.actor_id) == ("add", "ULEAD")
    assert entry.detail == {"name": "Torbay Council", "sector": "council"}


def test_a_partner_name_longer_than_200_characters_is_refused() -> None:
    with pytest.raises(Invalid, match="at most 200 characters"):
        validate(PartnerAdd, name="x" * 201, sector="nhs")
