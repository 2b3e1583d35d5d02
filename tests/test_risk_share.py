"""The risk share: whole percents adding up to 100 over distinct partners, with one lead."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.membership import plan_for_channel
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from governance.risks.share import check_share, resolve_share

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")


def _names(count: int) -> list[str]:
    return [f"Partner {i}" for i in range(count)]


@st.composite
def percents_adding_to_100(draw: st.DrawFn) -> list[int]:
    """Cut 1..100 at distinct points: every split of 100 into positive whole parts can occur."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), max_size=20)))
    bounds = [0, *cuts, 100]
    return [high - low for low, high in zip(bounds, bounds[1:], strict=False)]


@given(percents_adding_to_100())
def test_any_positive_whole_percents_adding_to_100_over_distinct_partners_are_accepted(
    percents: list[int],
) -> None:
    check_share(list(zip(_names(len(percents)), percents, strict=True)))


@given(st.lists(st.integers(1, 100), min_size=1, max_size=12).filter(lambda p: sum(p) != 100))
def test_any_other_sum_is_refused_naming_the_actual_sum(percents: list[int]) -> None:
    with pytest.raises(Invalid, match=f"add up to {sum(percents)}%, not 100%") as refused:
        check_share(list(zip(_names(len(percents)), percents, strict=True)))
    assert 'share:"Org A"=60,"Org B"=40' in (refused.value.hint or "")


@pytest.mark.parametrize("percent", [0, -10, 101])
def test_each_share_is_a_whole_percent_from_1_to_100(percent: int) -> None:
    with pytest.raises(Invalid, match="from 1 to 100"):
        check_share([("Council", percent), ("Trust", 100 - percent)])


def test_a_fractional_percent_is_refused() -> None:
    with pytest.raises(Invalid, match="whole percent"):
        check_share([("Council", 50.5), ("Trust", 49.5)])  # type: ignore[list-item]


def test_a_partner_named_twice_is_refused() -> None:
    with pytest.raises(Invalid, match="listed twice"):
        check_share([("Devon County Council", 50), ("devon  county council", 50)])


def test_an_empty_share_is_refused() -> None:
    with pytest.raises(Invalid, match="at least one partner"):
        check_share([])


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    view = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        for name, sector in [
            ("Devon County Council", "council"),
            ("Royal Devon University Healthcare", "nhs"),
            ("Devon Carers", "vcse"),
        ]:
            session.add(Partner(plan_id=view.id, name=name, sector=sector))
    return view.id


def _resolve(
    uow: UnitOfWork, lines: list[tuple[str, int]], lead: str | None = None
) -> list[tuple[str, int, bool]]:
    with uow.transaction() as session:
        plan = plan_for_channel(session, LEAD)
        return [
            (r.partner.name, r.percent, r.is_lead)
            for r in resolve_share(session, plan, lines, lead)
        ]


def test_the_first_partner_listed_leads_by_default(uow: UnitOfWork, plan_id: int) -> None:
    assert _resolve(uow, [("devon county", 60), ("Royal Devon", 40)]) == [
        ("Devon County Council", 60, True),
        ("Royal Devon University Healthcare", 40, False),
    ]


def test_a_named_lead_partner_leads(uow: UnitOfWork, plan_id: int) -> None:
    resolved = _resolve(uow, [("Devon County", 60), ("Royal Devon", 40)], lead="royal devon")
    assert [name for name, _, lead in resolved if lead] == ["Royal Devon University Healthcare"]


def test_the_lead_partner_must_share_the_risk(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="“Devon Carers” is not"):
        _resolve(uow, [("Devon County", 60), ("Royal Devon", 40)], lead="Devon Carers")


def test_two_names_for_the_same_partner_are_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="both Devon County Council"):
        _resolve(uow, [("Devon County", 50), ("Devon County Council", 50)])


def test_an_unknown_partner_names_the_plan_partners(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="“Plymouth” is not a partner.*Devon Carers"):
        _resolve(uow, [("Plymouth", 100)])
