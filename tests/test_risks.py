"""Risks `R-<n>`: scored on the NHS 5x5 matrix, owned, reviewed and shared across partners."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.challenges.models import Challenge
from governance.database import UnitOfWork
from governance.errors import Conflict, InputInvalid, Invalid, NotAllowed, NotFound
from governance.inputs import validate
from governance.plans.inputs import (
    PlanSetup,
)
from governance.plans.models import Partner, Role
from governance.plans.use_cases import setup_plan
from governance.risks.inputs import (
    RiskAdd,
    RiskClose,
    RiskList,
    RiskShow,
    RiskUpdate,
)
from governance.risks.models import Risk
from governance.risks.rules import RiskGrade, grade
from governance.risks.use_cases import (
    add_risk,
    close_risk,
    list_risks,
    risk_form,
    risk_to_update,
    show_risk,
    update_risk,
)
from governance.risks.views import RiskView
from tests.conftest import Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
OWEN = Actor(team_id="T1", user_id="UOWEN", channel_id="CPLAN")
MEG = Actor(team_id="T1", user_id="UMEG", channel_id="CPLAN")
CHAIR = Actor(team_id="T1", user_id="UCHAIR", channel_id="CPLAN")

# The clock fixture starts on Monday 23 November 2026.
TODAY = date(2026, 11, 23)

L, M, H, E = RiskGrade.LOW, RiskGrade.MODERATE, RiskGrade.HIGH, RiskGrade.EXTREME
NHS_MATRIX = {  # likelihood: grades for impact 1..5
    1: (L, L, L, M, M),
    2: (L, M, M, H, H),
    3: (L, M, H, H, E),
    4: (M, H, H, E, E),
    5: (M, H, E, E, E),
}


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    view = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon ICS integrated workforce plan"))
    with uow.transaction() as session:
        session.add(Role(plan_id=view.id, user_id=CHAIR.user_id, role="chair"))
        for name, sector in [
            ("Devon County Council", "council"),
            ("Royal Devon University Healthcare", "nhs"),
            ("Devon Carers", "vcse"),
        ]:
            session.add(Partner(plan_id=view.id, name=name, sector=sector))
    return view.id


def _add(uow: UnitOfWork, actor: Actor = OWEN, **fields: Any) -> RiskView:
    fields.setdefault("title", "Not enough domiciliary care staff this winter")
    fields.setdefault("likelihood", 3)
    fields.setdefault("impact", 3)
    return add_risk(uow, actor, validate(RiskAdd, **fields))


def _update(uow: UnitOfWork, actor: Actor = OWEN, number: str = "R-1", **fields: Any) -> Any:
    return update_risk(uow, actor, validate(RiskUpdate, number=number, **fields))


def _audit(uow: UnitOfWork, verb: str) -> AuditEntry:
    with uow.transaction() as session:
        return session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "risk", AuditEntry.verb == verb)
        ).one()


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_every_cell_of_the_5x5_matrix_has_its_nhs_grade(likelihood: int, impact: int) -> None:
    assert grade(likelihood * impact) == NHS_MATRIX[likelihood][impact - 1]


def test_any_member_can_add_a_risk_and_owns_it(uow: UnitOfWork, plan_id: int) -> None:
    first = _add(uow, likelihood=4, impact=5)
    second = _add(uow, MEG, title="Agency spend over budget")
    assert (first.ref, second.ref) == ("R-1", "R-2")
    assert first.owner_id == "UOWEN"
    assert (first.score, first.grade, first.position) == (20, E, "L4 × I5 = 20 Extreme")
    assert first.status == "open"


def test_likelihood_and_impact_take_the_matrix_words(uow: UnitOfWork, plan_id: int) -> None:
    risk = _add(uow, likelihood="almost-certain", impact="Major")
    assert (risk.likelihood, risk.impact) == (5, 4)
    assert (risk.likelihood_word, risk.impact_word) == ("almost certain", "major")


@pytest.mark.parametrize(
    ("field", "value"), [("likelihood", 6), ("impact", 0), ("likelihood", "probable")]
)
def test_a_likelihood_or_impact_off_the_matrix_is_refused(field: str, value: object) -> None:
    with pytest.raises(Invalid, match=f"`{field}` must be 1 to 5 or one of"):
        validate(RiskAdd, title="T", **{"likelihood": 3, "impact": 3, field: value})


def test_titles_and_mitigation_longer_than_the_limits_are_refused() -> None:
    with pytest.raises(Invalid, match="at most 200 characters"):
        validate(RiskAdd, title="x" * 201, likelihood=1, impact=1)
    with pytest.raises(Invalid, match="at most 3000 characters"):
        validate(RiskAdd, title="T", likelihood=1, impact=1, mitigation="x" * 3001)


def test_a_named_owner_function_target_and_mitigation_are_kept(
    uow: UnitOfWork, plan_id: int
) -> None:
    risk = _add(
        uow,
        owner_id="UMEG",
        function="supply",
        target=6,
        mitigation="International recruitment cohort in March",
    )
    assert risk.owner_id == "UMEG"
    assert (risk.function_key, risk.target_score, risk.target_grade) == ("supply", 6, M)
    assert risk.mitigation == "International recruitment cohort in March"


def test_a_target_above_the_current_score_is_refused_as_a_likely_mistake(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(Invalid, match="target score 12 is above the current score 9"):
        _add(uow, likelihood=3, impact=3, target=12)
    assert _add(uow, likelihood=3, impact=3, target=9).target_score == 9


def test_an_extreme_risk_is_reviewed_within_a_month_by_default(
    uow: UnitOfWork, plan_id: int
) -> None:
    assert _add(uow, likelihood=5, impact=3).review_date == date(2026, 12, 23)


def test_other_risks_are_reviewed_within_three_months_by_default(
    uow: UnitOfWork, plan_id: int
) -> None:
    assert _add(uow, likelihood=3, impact=4).review_date == date(2027, 2, 23)


def test_an_extreme_risk_review_more_than_a_month_out_is_refused_with_the_reason(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(Invalid, match="extreme risks are reviewed at least monthly"):
        _add(uow, likelihood=5, impact=5, review="2027-01-31")
    assert _add(uow, likelihood=5, impact=5, review="+4w").review_date == date(2026, 12, 21)


def test_a_review_date_in_the_past_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="has passed"):
        _add(uow, review="2026-11-01")


def test_a_risk_shared_across_partners_records_each_share_and_the_lead(
    uow: UnitOfWork, plan_id: int
) -> None:
    risk = _add(
        uow, share=(("Devon County", 60), ("Royal Devon", 40)), lead="Royal Devon University"
    )
    assert [(s.partner, s.percent, s.is_lead) for s in risk.shares] == [
        ("Royal Devon University Healthcare", 40, True),
        ("Devon County Council", 60, False),
    ]
    assert risk.lead_partner == "Royal Devon University Healthcare"


def test_a_share_not_adding_to_100_writes_nothing(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="add up to 90%"):
        _add(uow, share=(("Devon County", 50), ("Royal Devon", 40)))
    with uow.transaction() as session:
        assert session.scalars(select(Risk)).all() == []
    assert _add(uow).ref == "R-1"


def test_a_lead_partner_without_a_share_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="needs a risk share"):
        _add(uow, lead="Devon County")


def test_a_risk_holding_an_nhs_number_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="NHS number"):
        _add(uow, mitigation="Escalated patient 943 476 5919 to the ward")


def test_adding_a_risk_is_audited(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, likelihood=4, impact=5, share=(("Devon County", 100),))
    entry = _audit(uow, "add")
    assert (entry.ref, entry.actor_id, entry.plan_id) == ("R-1", "UOWEN", plan_id)
    assert entry.detail["score"] == 20
    assert entry.detail["share"] == [
        {"partner": "Devon County Council", "percent": 100, "lead": True}
    ]


def test_the_list_shows_open_risks_highest_score_first_then_soonest_review(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow, title="Moderate", likelihood=2, impact=3)
    _add(uow, title="Extreme later", likelihood=4, impact=4, review="+3w")
    _add(uow, title="Extreme sooner", likelihood=4, impact=4, review="+1w")
    _add(uow, title="Closed", likelihood=5, impact=5)
    close_risk(uow, OWEN, validate(RiskClose, number="R-4"))
    listed = list_risks(uow, MEG, validate(RiskList))
    assert [r.title for r in listed.risks] == ["Extreme sooner", "Extreme later", "Moderate"]
    assert listed.shown == "open"


def test_the_extreme_list_shows_only_risks_scoring_15_or_more(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow, title="High", likelihood=3, impact=4)
    _add(uow, title="Extreme", likelihood=3, impact=5)
    listed = list_risks(uow, MEG, validate(RiskList, shown="extreme"))
    assert [r.title for r in listed.risks] == ["Extreme"]


def test_the_list_can_show_one_people_function(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, title="Supply gap", function="supply")
    _add(uow, title="Burnout", function="wellbeing")
    listed = list_risks(uow, MEG, validate(RiskList, function="2"))
    assert [r.title for r in listed.risks] == ["Supply gap"]
    assert listed.function_name and listed.function_name.startswith("Growing the workforce")


def test_show_includes_open_challenges_and_flags_an_overdue_review(
    uow: UnitOfWork, clock: Clock, plan_id: int
) -> None:
    risk = _add(uow, review="+1w")
    with uow.transaction() as session:
        risk_id = session.scalars(select(Risk.id)).one()
        session.add(
            Challenge(
                plan_id=plan_id,
                risk_id=risk_id,
                asked_by="UCHAIR",
                question="Is 3 really the likelihood?",
                asked_at=clock(),
            )
        )
        session.add(
            Challenge(
                plan_id=plan_id,
                risk_id=risk_id,
                asked_by="UCHAIR",
                question="Answered already",
                asked_at=clock(),
                answer="Yes",
                answered_by="UOWEN",
                answered_at=clock(),
            )
        )
    assert not risk.review_overdue
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    shown = show_risk(uow, MEG, validate(RiskShow, number="r1"))
    assert shown.review_overdue
    assert [c.question for c in shown.open_challenges] == ["Is 3 really the likelihood?"]


def test_an_unknown_risk_is_not_found(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="no R-9"):
        show_risk(uow, MEG, validate(RiskShow, number="R-9"))


def test_the_owner_updates_the_score_and_the_grade_moves(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, likelihood=3, impact=4, mitigation="Bank staff")
    updated = _update(uow, likelihood="likely", impact=5, mitigation="Bank and agency staff")
    assert (updated.risk.score, updated.risk.grade) == (20, E)
    assert [(c.field, c.before, c.after) for c in updated.changes][:3] == [
        ("likelihood", "3", "4"),
        ("impact", "4", "5"),
        ("score", "12", "20"),
    ]


def test_an_update_is_audited_with_before_and_after(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, likelihood=3, impact=4)
    _update(uow, impact=2, share=(("Devon Carers", 100),))
    entry = _audit(uow, "update")
    assert entry.detail["before"]["impact"] == 4
    assert entry.detail["after"]["impact"] == 2
    assert entry.detail["before"]["share"] == []
    assert entry.detail["after"]["share"] == [
        {"partner": "Devon Carers", "percent": 100, "lead": True}
    ]
    assert "mitigation" not in entry.detail["after"]


def test_a_risk_that_becomes_extreme_is_reviewed_within_a_month(
    uow: UnitOfWork, plan_id: int
) -> None:
    assert _add(uow, likelihood=2, impact=3).review_date == date(2027, 2, 23)
    assert _update(uow, likelihood=5).risk.review_date == date(2026, 12, 23)


def test_a_member_who_does_not_own_a_risk_cannot_update_or_close_it(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow)
    with pytest.raises(NotAllowed, match="Only its owner or the plan's leads and chairs"):
        _update(uow, MEG, impact=1)
    with pytest.raises(NotAllowed):
        close_risk(uow, MEG, validate(RiskClose, number="R-1"))


def test_a_chair_can_update_any_risk_in_the_plan(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow)
    assert _update(uow, CHAIR, owner_id="UMEG").risk.owner_id == "UMEG"


def test_a_modal_showing_an_old_version_gets_a_conflict_with_the_risk_now(
    uow: UnitOfWork, plan_id: int
) -> None:
    shown = _add(uow, likelihood=3, impact=3)
    _update(uow, CHAIR, impact=4)
    with pytest.raises(Conflict, match="changed by someone else") as refused:
        _update(uow, likelihood=1, expected_version=shown.version)
    current = refused.value.current
    assert isinstance(current, RiskView)
    assert (current.likelihood, current.impact) == (3, 4)
    assert _update(uow, likelihood=1, expected_version=current.version).risk.score == 4


def test_a_slash_update_applies_to_the_latest_state(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, likelihood=3, impact=3)
    _update(uow, CHAIR, impact=4)
    assert _update(uow, likelihood=2).risk.position == "L2 × I4 = 8 High"


def test_an_update_with_nothing_to_change_says_what_can_change(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow)
    with pytest.raises(Invalid, match="what to change: likelihood, impact, mitigation"):
        _update(uow)


def test_a_new_target_above_the_updated_score_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, likelihood=4, impact=4)
    with pytest.raises(Invalid, match="target score 10 is above the current score 8"):
        _update(uow, likelihood=2, target=10)


def test_the_lead_partner_can_change_within_the_share(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, share=(("Devon County", 70), ("Devon Carers", 30)))
    updated = _update(uow, lead="Devon Carers")
    assert updated.risk.lead_partner == "Devon Carers"
    assert [c.field for c in updated.changes] == ["share"]


def test_a_new_share_replaces_the_old_one(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, share=(("Devon County", 70), ("Devon Carers", 30)))
    updated = _update(uow, share=(("Devon Carers", 50), ("Royal Devon", 50)))
    assert [(s.partner, s.percent, s.is_lead) for s in updated.risk.shares] == [
        ("Devon Carers", 50, True),
        ("Royal Devon University Healthcare", 50, False),
    ]


def test_the_owner_closes_a_risk_with_a_note_and_it_is_audited(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow)
    closed = close_risk(uow, OWEN, validate(RiskClose, number="R-1", note="Winter plan funded"))
    assert (closed.status, closed.close_note, closed.is_open) == (
        "closed",
        "Winter plan funded",
        False,
    )
    assert _audit(uow, "close").detail["note"] == "Winter plan funded"


def test_a_closed_risk_cannot_be_updated_or_closed_again(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow)
    close_risk(uow, OWEN, validate(RiskClose, number="R-1"))
    with pytest.raises(Invalid, match="R-1 is closed"):
        _update(uow, impact=1)
    with pytest.raises(Invalid, match="already closed"):
        close_risk(uow, LEAD, validate(RiskClose, number="R-1"))


def test_a_risk_of_another_workspace_cannot_be_reached_by_plan_id(
    uow: UnitOfWork, plan_id: int
) -> None:
    _add(uow)
    stranger = Actor(team_id="T2", user_id="UX", channel_id="D1")
    with pytest.raises(NotFound):
        show_risk(uow, stranger, validate(RiskShow, plan_id=plan_id, number="R-1"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"review": "yesterday"}, "review"),
        ({"review": "31 Feb 2027"}, "review"),
        ({"target": 25}, "target"),
        ({"share": (("Plymouth", 100),)}, "share"),
        ({"share": (("Devon County", 100),), "lead": "Devon Carers"}, "share"),
        ({"lead": "Devon County"}, "lead"),
        ({"title": "Call 943 476 5919"}, "title"),
    ],
)
def test_a_refusal_names_the_input_it_is_about(
    uow: UnitOfWork, plan_id: int, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputInvalid) as refused:
        _add(uow, **fields)
    assert refused.value.field == field


def test_the_add_form_names_the_plan_and_its_partners(uow: UnitOfWork, plan_id: int) -> None:
    form = risk_form(uow, MEG)
    assert (form.plan_id, form.plan_name) == (plan_id, "Devon ICS integrated workforce plan")
    assert form.partners == (
        "Devon Carers",
        "Devon County Council",
        "Royal Devon University Healthcare",
    )


def test_the_update_form_is_refused_up_front_to_those_who_cannot_update(
    uow: UnitOfWork, plan_id: int
) -> None:
    shown = _add(uow)
    assert risk_to_update(uow, OWEN, validate(RiskShow, number="R-1")) == shown
    with pytest.raises(NotAllowed):
        risk_to_update(uow, MEG, validate(RiskShow, number="R-1"))
    close_risk(uow, OWEN, validate(RiskClose, number="R-1"))
    with pytest.raises(Invalid, match="closed"):
        risk_to_update(uow, OWEN, validate(RiskShow, number="R-1"))


def test_extreme_and_function_filters_combine(uow: UnitOfWork, plan_id: int) -> None:
    _add(uow, title="Extreme supply gap", likelihood=5, impact=5, function="supply")
    _add(uow, title="High supply gap", likelihood=3, impact=4, function="supply")
    _add(uow, title="Extreme burnout", likelihood=5, impact=5, function="wellbeing")
    listed = list_risks(uow, MEG, validate(RiskList, shown="extreme", function="supply"))
    assert [r.title for r in listed.risks] == ["Extreme supply gap"]
