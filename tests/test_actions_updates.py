"""Updating actions: who may, what history and audit keep, and edits that cross."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select

from bot.rendering import hint_text
from governance.actions.inputs import ActionAdd, ActionDone, ActionRef, ActionUpdate
from governance.actions.status import ActionStatus
from governance.actions.use_cases import (
    action_to_update,
    add_action,
    complete_action,
    show_action,
    update_action,
)
from governance.actions.views import ActionView
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import Conflict, Invalid, NotAllowed, NotFound
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Role
from governance.plans.use_cases import setup_plan
from tests.conftest import ON_POSTGRES, Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
CHAIR = Actor(team_id="T1", user_id="UCHAIR", channel_id="CPLAN")
OWNER = Actor(team_id="T1", user_id="UOWNER", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def ref(uow: UnitOfWork) -> str:
    """A-1, owned by OWNER, in a plan whose lead is LEAD and chair is CHAIR."""
    plan = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Role(plan_id=plan.id, user_id=CHAIR.user_id, role="chair"))
    return add_action(uow, OWNER, validate(ActionAdd, title="Staff passport")).action.ref


def change(uow: UnitOfWork, actor: Actor, ref: str, **fields: object) -> ActionView:
    return update_action(uow, actor, validate(ActionUpdate, ref=ref, **fields)).action


def test_an_owner_updates_status_by_colour_word_and_progress(uow: UnitOfWork, ref: str) -> None:
    action = change(uow, OWNER, ref, status="amber", progress="40%", note="Waiting on HR")
    assert action.status is ActionStatus.AT_RISK
    assert action.progress == 40
    assert action.last_update is not None
    assert action.last_update.note == "Waiting on HR"


@pytest.mark.parametrize("actor", [LEAD, CHAIR], ids=["lead", "chair"])
def test_leads_and_chairs_update_any_action_in_their_plan(
    uow: UnitOfWork, ref: str, actor: Actor
) -> None:
    assert change(uow, actor, ref, status="red").status is ActionStatus.OFF_TRACK


def test_a_member_cannot_update_someone_elses_action(uow: UnitOfWork, ref: str) -> None:
    with pytest.raises(NotAllowed, match="Only its owner or the plan's leads and chairs"):
        change(uow, MEMBER, ref, status="green")
    assert show_action(uow, MEMBER, validate(ActionRef, ref=ref)).history == ()


def test_roles_in_another_plan_give_nothing_here(uow: UnitOfWork, ref: str) -> None:
    elsewhere = Actor(team_id="T1", user_id="UMEMBER", channel_id="COTHER")
    setup_plan(uow, elsewhere, validate(PlanSetup, name="Cornwall"))
    with pytest.raises(NotAllowed):
        change(uow, MEMBER, ref, status="green")


def test_the_update_form_is_only_offered_to_whoever_may_update(uow: UnitOfWork, ref: str) -> None:
    assert action_to_update(uow, OWNER, validate(ActionRef, ref=ref)).ref == ref
    assert action_to_update(uow, CHAIR, validate(ActionRef, ref=ref)).ref == ref
    with pytest.raises(NotAllowed):
        action_to_update(uow, MEMBER, validate(ActionRef, ref=ref))


def test_every_change_lands_in_history_with_from_and_to(
    uow: UnitOfWork, ref: str, clock: Clock
) -> None:
    change(uow, OWNER, ref, status="green", progress=10)
    clock.advance(days=1)
    change(uow, LEAD, ref, due="2027-01-31", owner_id="UNEW", note="Handed over")
    history = show_action(uow, MEMBER, validate(ActionRef, ref=ref)).history
    first, second = history
    assert (first.user_id, first.status_from, first.status_to) == (
        "UOWNER",
        ActionStatus.NOT_STARTED,
        ActionStatus.ON_TRACK,
    )
    assert (first.progress_from, first.progress_to) == (0, 10)
    assert second.user_id == "ULEAD"
    assert second.status_to is None and second.progress_to is None
    assert second.changes == (("due", "", "2027-01-31"), ("owner", "UOWNER", "UNEW"))
    assert second.at > first.at


def test_every_update_is_audited(uow: UnitOfWork, ref: str) -> None:
    change(uow, OWNER, ref, status="amber", note="Slipping")
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.verb == "update")).one()
    assert (entry.entity, entry.ref, entry.actor_id) == ("action", "A-1", "UOWNER")
    assert entry.detail["status"] == ["not-started", "at-risk"]
    assert entry.detail["note"] == "Slipping"


def test_done_sets_progress_to_100_and_records_when(
    uow: UnitOfWork, ref: str, clock: Clock
) -> None:
    done = complete_action(uow, OWNER, validate(ActionDone, ref=ref, note="Live")).action
    assert done.status is ActionStatus.DONE
    assert done.progress == 100
    assert done.completed_at == clock.current


def test_an_action_already_done_is_not_done_again(uow: UnitOfWork, ref: str) -> None:
    complete_action(uow, OWNER, validate(ActionDone, ref=ref))
    with pytest.raises(Invalid, match="already done"):
        complete_action(uow, OWNER, validate(ActionDone, ref=ref))


def test_moving_an_action_back_from_done_clears_its_completion(uow: UnitOfWork, ref: str) -> None:
    complete_action(uow, OWNER, validate(ActionDone, ref=ref))
    reopened = change(uow, LEAD, ref, status="amber", note="Not embedded yet")
    assert reopened.completed_at is None
    assert reopened.status is ActionStatus.AT_RISK


def test_an_action_is_cancelled_with_status_cancelled(uow: UnitOfWork, ref: str) -> None:
    assert change(uow, LEAD, ref, status="cancelled").status is ActionStatus.CANCELLED


def test_an_owner_can_hand_an_action_over_and_the_new_owner_is_told(
    uow: UnitOfWork, ref: str
) -> None:
    changed = update_action(uow, OWNER, validate(ActionUpdate, ref=ref, owner_id="UNEW"))
    assert changed.action.owner_id == "UNEW"
    assert changed.notify_owner == "UNEW"


def test_a_due_date_can_be_cleared(uow: UnitOfWork, ref: str) -> None:
    assert change(uow, OWNER, ref, due="2027-01-31").due_date == date(2027, 1, 31)
    assert change(uow, OWNER, ref, due="none").due_date is None


def test_a_note_alone_is_an_update(uow: UnitOfWork, ref: str) -> None:
    assert change(uow, OWNER, ref, note="Met the council").last_update is not None


def test_an_unknown_status_word_is_refused_showing_the_words_known(
    uow: UnitOfWork, ref: str
) -> None:
    with pytest.raises(Invalid, match="not a status I know") as refused:
        change(uow, OWNER, ref, status="purple")
    assert "amber (at-risk)" in (hint_text(refused.value.hint) or "")


@pytest.mark.parametrize("progress", ["140", "-5", "lots"])
def test_progress_outside_0_to_100_is_refused(progress: str) -> None:
    with pytest.raises(Invalid, match="percentage from 0 to 100"):
        validate(ActionUpdate, ref="A-1", progress=progress)


def test_an_update_with_nothing_to_change_is_refused_with_the_form(
    uow: UnitOfWork, ref: str
) -> None:
    with pytest.raises(Invalid, match="Nothing to update on A-1") as refused:
        change(uow, OWNER, ref)
    assert "/action update A-3" in (hint_text(refused.value.hint) or "")


def test_an_update_to_the_values_already_held_changes_nothing(uow: UnitOfWork, ref: str) -> None:
    with pytest.raises(Invalid, match="already has those values"):
        change(uow, OWNER, ref, status="not-started", progress=0)
    assert show_action(uow, OWNER, validate(ActionRef, ref=ref)).history == ()


def test_updating_a_missing_action_is_refused(uow: UnitOfWork, ref: str) -> None:
    with pytest.raises(NotFound, match="There is no A-99"):
        change(uow, LEAD, "A-99", status="green")


def test_a_note_holding_an_nhs_number_is_refused(uow: UnitOfWork, ref: str) -> None:
    with pytest.raises(Invalid, match="NHS number"):
        change(uow, OWNER, ref, note="Patient 9434765919 waited")


def test_a_modal_showing_an_old_version_gets_a_conflict_with_the_current_state(
    uow: UnitOfWork, ref: str
) -> None:
    shown = show_action(uow, OWNER, validate(ActionRef, ref=ref)).action
    change(uow, LEAD, ref, status="red", note="Board asked for a recovery plan")
    with pytest.raises(Conflict, match="changed by someone else") as refused:
        change(uow, OWNER, ref, status="green", expected_version=shown.version)
    current = refused.value.current
    assert isinstance(current, ActionView)
    assert current.status is ActionStatus.OFF_TRACK
    assert len(show_action(uow, OWNER, validate(ActionRef, ref=ref)).history) == 1


def test_a_modal_showing_the_current_version_saves(uow: UnitOfWork, ref: str) -> None:
    shown = show_action(uow, OWNER, validate(ActionRef, ref=ref)).action
    saved = change(uow, OWNER, ref, progress=20, expected_version=shown.version)
    assert saved.version > shown.version


def test_a_slash_update_without_a_version_applies_to_the_latest_state(
    uow: UnitOfWork, ref: str
) -> None:
    change(uow, LEAD, ref, status="red")
    assert change(uow, OWNER, ref, progress=30).status is ActionStatus.OFF_TRACK
    assert len(show_action(uow, OWNER, validate(ActionRef, ref=ref)).history) == 2


@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite runs one writer at a time, so edits never cross"
)
def test_a_slash_update_that_loses_a_race_is_retried_not_lost(
    engine: Engine, uow: UnitOfWork, ref: str, clock: Clock
) -> None:
    rival = UnitOfWork(engine, clock=clock)

    def racing_clock(interfere: list[Callable[[], object]]) -> Callable[[], datetime]:
        def now() -> datetime:
            # The first "now" comes after the action was read: another edit commits then.
            while interfere:
                interfere.pop()()
            return clock()

        return now

    racing = UnitOfWork(
        engine,
        clock=racing_clock([lambda: change(rival, LEAD, ref, status="red", note="Board")]),
    )
    after = change(racing, OWNER, ref, progress=30, note="Owner")
    assert (after.status, after.progress) == (ActionStatus.OFF_TRACK, 30)
    history = show_action(uow, OWNER, validate(ActionRef, ref=ref)).history
    assert [h.note for h in history] == ["Board", "Owner"]
