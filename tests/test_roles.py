"""Roles in a plan: leads and chairs give them, and a plan never loses its last lead."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from bot.rendering import hint_text
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import DomainError, Invalid, NotAllowed
from governance.inputs import validate
from governance.plans.inputs import PlanSetup, RoleChange
from governance.plans.membership import plan_for_channel, role_of, users_with_role
from governance.plans.use_cases import set_role, setup_plan

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
CHAIR = Actor(team_id="T1", user_id="UCHAIR", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, LEAD, validate(PlanSetup, name="Devon")).id


def _set(uow: UnitOfWork, actor: Actor, user_id: str, role: str):  # type: ignore[no-untyped-def]
    return set_role(uow, actor, validate(RoleChange, user_id=user_id, role=role))


def _role(uow: UnitOfWork, user_id: str) -> str:
    with uow.transaction() as session:
        return role_of(session, plan_for_channel(session, LEAD), user_id)


def test_a_lead_gives_each_role(uow: UnitOfWork, plan_id: int) -> None:
    for role in ("chair", "data-lead", "lead", "member"):
        change = _set(uow, LEAD, "UBOB", role)
        assert change.new_role == role
        assert _role(uow, "UBOB") == role


def test_a_role_is_read_as_people_type_it() -> None:
    assert validate(RoleChange, user_id="UBOB", role="Data Lead").role == "data-lead"
    with pytest.raises(Invalid, match="not a role; use chair, lead, data-lead or member"):
        validate(RoleChange, user_id="UBOB", role="boss")


def test_a_chair_may_give_roles(uow: UnitOfWork, plan_id: int) -> None:
    _set(uow, LEAD, "UCHAIR", "chair")
    _set(uow, CHAIR, "UDATA", "data-lead")
    assert _role(uow, "UDATA") == "data-lead"


@pytest.mark.parametrize("role", ["member", "data-lead"])
def test_members_and_data_leads_may_not_give_roles(
    uow: UnitOfWork, plan_id: int, role: str
) -> None:
    _set(uow, LEAD, "UMEMBER", role)
    with pytest.raises(NotAllowed, match="Only the plan's leads and chairs can change roles"):
        _set(uow, MEMBER, "UMEMBER", "lead")
    assert _role(uow, "UMEMBER") == role


def test_the_last_lead_cannot_be_demoted(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="at least one lead") as refused:
        _set(uow, LEAD, "ULEAD", "chair")
    assert "/plan role @them lead" in (hint_text(refused.value.hint) or "")
    assert _role(uow, "ULEAD") == "lead"


def test_a_chair_cannot_demote_the_last_lead_either(uow: UnitOfWork, plan_id: int) -> None:
    _set(uow, LEAD, "UCHAIR", "chair")
    with pytest.raises(Invalid, match="at least one lead"):
        _set(uow, CHAIR, "ULEAD", "member")


def test_a_lead_may_step_down_once_there_is_another(uow: UnitOfWork, plan_id: int) -> None:
    _set(uow, LEAD, "UNEW", "lead")
    _set(uow, LEAD, "ULEAD", "member")
    with uow.transaction() as session:
        assert users_with_role(session, plan_for_channel(session, LEAD), "lead") == ["UNEW"]


def test_a_role_change_is_audited_with_old_and_new(uow: UnitOfWork, plan_id: int) -> None:
    _set(uow, LEAD, "UBOB", "chair")
    _set(uow, LEAD, "UBOB", "member")
    with uow.transaction() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "role").order_by(AuditEntry.id)
        ).all()
        seen = [(e.ref, e.actor_id, e.detail) for e in entries]
    assert seen == [
        ("UBOB", "ULEAD", {"old": "member", "new": "chair"}),
        ("UBOB", "ULEAD", {"old": "chair", "new": "member"}),
    ]


def test_giving_the_role_someone_already_has_changes_nothing(uow: UnitOfWork, plan_id: int) -> None:
    change = _set(uow, LEAD, "ULEAD", "lead")
    assert not change.changed
    with uow.transaction() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity == "role")).all() == []


def test_a_user_id_must_look_like_a_slack_user() -> None:
    with pytest.raises(Invalid, match="`user_id`"):
        validate(RoleChange, user_id="#general", role="lead")


def test_two_leads_demoting_each_other_at_once_leave_one_lead(
    uow: UnitOfWork, plan_id: int
) -> None:
    _set(uow, LEAD, "UOTHER", "lead")
    other = Actor(team_id="T1", user_id="UOTHER", channel_id="CPLAN")
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def demote(actor: Actor, target: str) -> None:
        barrier.wait()
        try:
            _set(uow, actor, target, "member")
            outcomes.append("demoted")
        except DomainError as refused:
            outcomes.append(type(refused).__name__)

    threads = [
        threading.Thread(target=demote, args=(LEAD, "UOTHER")),
        threading.Thread(target=demote, args=(other, "ULEAD")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["NotAllowed", "demoted"]
    with uow.transaction() as session:
        assert len(users_with_role(session, plan_for_channel(session, LEAD), "lead")) == 1
