"""Checks and challenges: questions on an action's or risk's status and the owner's answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from governance.actions.inputs import ActionAdd, ActionRef
from governance.actions.use_cases import add_action, show_action
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.challenges.inputs import ChallengeAnswer, ChallengeAsk, ChallengeSubject
from governance.challenges.use_cases import (
    answer_challenge,
    challenge_action,
    challenge_risk,
    challenge_to_answer,
    challenges_awaiting,
)
from governance.challenges.views import ChallengeOutcomeView
from governance.database import UnitOfWork
from governance.errors import Invalid, NotAllowed, NotFound
from governance.inputs import validate
from governance.jobs.digest import compose_digest
from governance.plans.inputs import PlanSetup
from governance.plans.models import Plan, Role
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from tests.conftest import Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
CHAIR = Actor(team_id="T1", user_id="UCHAIR", channel_id="CPLAN")
OWNER = Actor(team_id="T1", user_id="UOWNER", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """A plan with A-1 owned by OWNER, R-1 owned by OWNER and R-2 with no owner."""
    plan = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Role(plan_id=plan.id, user_id=CHAIR.user_id, role="chair"))
        session.add_all([risk(plan.id, 1, "UOWNER"), risk(plan.id, 2, None)])
        session.get_one(Plan, plan.id).next_risk_number = 3
    add_action(uow, OWNER, validate(ActionAdd, title="International recruitment"))
    return plan.id


def risk(plan_id: int, number: int, owner_id: str | None) -> Risk:
    return Risk(
        plan_id=plan_id,
        number=number,
        title=f"Risk {number}",
        owner_id=owner_id,
        likelihood=4,
        impact=5,
        created_by="ULEAD",
        updated_by="ULEAD",
    )


def ask(
    uow: UnitOfWork, actor: Actor, ref: str, question: str = "Is green right?"
) -> ChallengeOutcomeView:
    use_case = challenge_risk if ref.startswith("R") else challenge_action
    return use_case(uow, actor, validate(ChallengeAsk, ref=ref, question=question))


def reply(
    uow: UnitOfWork, actor: Actor, ref: str, answer: str = "Yes: 30 of 40 started"
) -> ChallengeOutcomeView:
    return answer_challenge(uow, actor, validate(ChallengeAnswer, ref=ref, answer=answer))


def test_a_member_challenges_an_action_and_its_owner_is_to_be_told(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    asked = ask(uow, MEMBER, "A-1", "Why green when recruitment has paused?")
    assert asked.notify == ("UOWNER",)
    view = asked.challenge
    assert (view.subject_ref, view.subject_title, view.asked_by) == (
        "A-1",
        "International recruitment",
        "UMEMBER",
    )
    assert view.asked_at == clock.current
    assert view.is_open


def test_open_challenges_show_with_the_action(uow: UnitOfWork, plan_id: int) -> None:
    ask(uow, CHAIR, "A-1", "Evidence?")
    detail = show_action(uow, MEMBER, validate(ActionRef, ref="A-1"))
    assert [c.question for c in detail.open_challenges] == ["Evidence?"]


def test_the_owner_answers_the_oldest_open_challenge_and_the_asker_is_told(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    ask(uow, CHAIR, "A-1", "First question")
    clock.advance(hours=1)
    ask(uow, MEMBER, "A-1", "Second question")
    clock.advance(hours=1)
    answered = reply(uow, OWNER, "a1", "First answer")
    assert answered.challenge.question == "First question"
    assert (answered.challenge.answer, answered.challenge.answered_by) == ("First answer", "UOWNER")
    assert answered.challenge.answered_at == clock.current
    assert answered.notify == ("UCHAIR",)
    assert reply(uow, OWNER, "A-1").challenge.question == "Second question"
    assert show_action(uow, MEMBER, validate(ActionRef, ref="A-1")).open_challenges == ()


@pytest.mark.parametrize("actor", [LEAD, CHAIR], ids=["lead", "chair"])
def test_leads_and_chairs_may_answer_for_the_owner(
    uow: UnitOfWork, plan_id: int, actor: Actor
) -> None:
    ask(uow, MEMBER, "A-1")
    assert reply(uow, actor, "A-1").challenge.answered_by == actor.user_id


def test_a_member_cannot_answer_a_challenge_on_someone_elses_action(
    uow: UnitOfWork, plan_id: int
) -> None:
    ask(uow, CHAIR, "A-1")
    with pytest.raises(NotAllowed):
        reply(uow, MEMBER, "A-1")


def test_the_answer_form_shows_the_oldest_open_question_to_whoever_may_answer(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    ask(uow, CHAIR, "A-1", "First question")
    clock.advance(minutes=1)
    ask(uow, CHAIR, "A-1", "Second question")
    assert challenge_to_answer(uow, OWNER, validate(ChallengeSubject, ref="A-1")).question == (
        "First question"
    )
    with pytest.raises(NotAllowed):
        challenge_to_answer(uow, MEMBER, validate(ChallengeSubject, ref="A-1"))


def test_answering_with_no_open_challenge_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="A-1 has no open challenge"):
        reply(uow, OWNER, "A-1")


def test_challenging_a_missing_action_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="There is no A-99"):
        ask(uow, MEMBER, "A-99")


def test_a_question_over_3000_characters_is_refused_naming_the_limit() -> None:
    with pytest.raises(Invalid, match="at most 3000 characters"):
        validate(ChallengeAsk, ref="A-1", question="?" * 3001)


def test_a_question_holding_an_nhs_number_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="NHS number"):
        ask(uow, MEMBER, "A-1", "What about 943-476-5919?")
    assert open_challenges(uow, plan_id) == []


def test_challenges_and_answers_are_audited(uow: UnitOfWork, plan_id: int) -> None:
    ask(uow, MEMBER, "A-1")
    reply(uow, OWNER, "A-1")
    with uow.transaction() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.verb.like("%challenge")).order_by(AuditEntry.id)
        ).all()
    assert [(e.ref, e.verb, e.actor_id) for e in entries] == [
        ("A-1", "challenge", "UMEMBER"),
        ("A-1", "answer-challenge", "UOWNER"),
    ]


def test_a_risk_is_challenged_and_answered_the_same_way(uow: UnitOfWork, plan_id: int) -> None:
    asked = ask(uow, CHAIR, "R-1", "Is 20 still right after the pay award?")
    assert asked.notify == ("UOWNER",)
    assert asked.challenge.subject_ref == "R-1"
    answered = reply(uow, OWNER, "R-1", "Yes until March")
    assert answered.notify == ("UCHAIR",)


def test_a_challenge_on_a_risk_with_no_owner_goes_to_the_leads(
    uow: UnitOfWork, plan_id: int
) -> None:
    assert ask(uow, CHAIR, "R-2").notify == ("ULEAD",)


def test_an_action_reference_is_not_a_risk(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="A-1 is an action"):
        challenge_risk(uow, MEMBER, validate(ChallengeAsk, ref="A-1", question="?"))


def test_a_missing_risk_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="There is no R-9"):
        ask(uow, MEMBER, "R-9")


def open_challenges(uow: UnitOfWork, plan_id: int) -> list[str]:
    with uow.transaction() as session:
        plan = session.get_one(Plan, plan_id)
        digest = compose_digest(session, plan, uow.now())
        return [f"{c.subject_ref} {c.question}" for c in digest.open_challenges.items]


def test_the_digest_gets_the_plans_open_challenges_oldest_first(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    ask(uow, MEMBER, "R-1", "one")
    clock.advance(minutes=5)
    ask(uow, MEMBER, "A-1", "two")
    clock.advance(minutes=5)
    ask(uow, MEMBER, "A-1", "three")
    reply(uow, OWNER, "A-1")
    elsewhere = Actor(team_id="T1", user_id="ULEAD", channel_id="COTHER")
    setup_plan(uow, elsewhere, validate(PlanSetup, name="Cornwall"))
    add_action(uow, elsewhere, validate(ActionAdd, title="Other plan's action"))
    ask(uow, elsewhere, "A-1", "other plan")
    assert open_challenges(uow, plan_id) == ["R-1 one", "A-1 three"]


def test_app_home_gets_the_challenges_waiting_for_the_owner_across_plans(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    ask(uow, MEMBER, "A-1", "action question")
    ask(uow, MEMBER, "R-2", "unowned risk question")
    clock.advance(minutes=1)
    elsewhere = Actor(team_id="T1", user_id="UOWNER", channel_id="COTHER")
    setup_plan(uow, elsewhere, validate(PlanSetup, name="Cornwall"))
    add_action(uow, elsewhere, validate(ActionAdd, title="Cornwall action"))
    ask(uow, Actor("T1", "UMEMBER", "COTHER"), "A-1", "cornwall question")
    ask(uow, MEMBER, "R-1", "answered question")
    reply(uow, OWNER, "R-1")
    other_workspace = Actor(team_id="T2", user_id="UOWNER", channel_id="CPLAN")
    setup_plan(uow, other_workspace, validate(PlanSetup, name="Elsewhere"))
    add_action(uow, other_workspace, validate(ActionAdd, title="Other workspace"))
    ask(uow, other_workspace, "A-1", "other workspace question")
    with uow.transaction() as session:
        waiting = challenges_awaiting(session, "T1", "UOWNER")
    assert [(c.plan_name, c.subject_ref, c.question) for c in waiting] == [
        ("Devon", "A-1", "action question"),
        ("Cornwall", "A-1", "cornwall question"),
    ]
