"""Actions A-<n>: adding, numbering, listing with filters, and what counts as overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.rendering import hint_text
from governance.actions.inputs import (
    ActionAdd,
    ActionList,
    ActionRef,
    ActionUpdate,
)
from governance.actions.models import Action
from governance.actions.status import ActionStatus
from governance.actions.use_cases import (
    action_form,
    add_action,
    list_actions,
    show_action,
    update_action,
)
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import InputInvalid, Invalid, NotFound
from governance.inputs import validate
from governance.plans.inputs import (
    PlanSetup,
)
from governance.plans.models import Partner
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")
OTHER_PLAN = Actor(team_id="T1", user_id="ULEAD", channel_id="COTHER")
VALID_NHS_NUMBER = "943 476 5919"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    view = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon ICS integrated workforce plan"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=view.id, name="Devon County Council", sector="council"))
        session.add(Partner(plan_id=view.id, name="Royal Devon University", sector="nhs"))
    return view.id


def add(uow: UnitOfWork, actor: Actor = MEMBER, **fields: object) -> str:
    fields.setdefault("title", "Recruit 40 international nurses")
    return add_action(uow, actor, validate(ActionAdd, **fields)).action.ref


def listed(uow: UnitOfWork, actor: Actor = MEMBER, **filters: object) -> list[str]:
    return [a.ref for a in list_actions(uow, actor, validate(ActionList, **filters)).actions]


def set_status(uow: UnitOfWork, ref: str, status: str) -> None:
    update_action(uow, LEAD, validate(ActionUpdate, ref=ref, status=status))


# Adding


def test_a_member_adds_an_action_and_owns_it_by_default(uow: UnitOfWork, plan_id: int) -> None:
    added = add_action(uow, MEMBER, validate(ActionAdd, title="Launch a staff bank"))
    assert added.action.ref == "A-1"
    assert added.action.owner_id == "UMEMBER"
    assert added.action.status is ActionStatus.NOT_STARTED
    assert added.action.progress == 0
    assert added.notify_owner is None


def test_an_action_names_its_owner_function_partner_and_due_date(
    uow: UnitOfWork, plan_id: int
) -> None:
    added = add_action(
        uow,
        MEMBER,
        validate(
            ActionAdd,
            title="Joint health and care apprenticeships",
            owner_id="UOWNER",
            function="supply",
            partner="devon county council",
            due="31 Mar",
        ),
    ).action
    assert (added.owner_id, added.function_key, added.partner) == (
        "UOWNER",
        "supply",
        "Devon County Council",
    )
    assert added.due_date == date(2027, 3, 31)


def test_someone_assigned_an_action_by_another_is_to_be_told(uow: UnitOfWork, plan_id: int) -> None:
    added = add_action(uow, MEMBER, validate(ActionAdd, title="Wellbeing hubs", owner_id="UOWNER"))
    assert added.notify_owner == "UOWNER"
    assert added.plan_name == "Devon ICS integrated workforce plan"


def test_action_numbers_are_per_plan_and_never_repeat(uow: UnitOfWork, plan_id: int) -> None:
    setup_plan(uow, OTHER_PLAN, validate(PlanSetup, name="Cornwall"))
    assert [add(uow), add(uow), add(uow, OTHER_PLAN), add(uow)] == ["A-1", "A-2", "A-1", "A-3"]


def test_a_title_longer_than_200_characters_is_refused_naming_the_limit() -> None:
    with pytest.raises(Invalid, match="at most 200 characters"):
        validate(ActionAdd, title="x" * 201)


def test_a_title_holding_an_nhs_number_is_refused_and_nothing_is_stored(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(Invalid, match="NHS number"):
        add(uow, title=f"Follow up patient {VALID_NHS_NUMBER}")
    with uow.transaction() as session:
        assert session.scalar(select(func.count(Action.id))) == 0


def test_an_unknown_people_function_is_refused_with_the_list_of_functions(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(Invalid) as refused:
        add(uow, function="catering")
    assert "wellbeing" in (hint_text(refused.value.hint) or "")


def test_an_unknown_partner_is_refused_naming_the_partners(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotFound, match="Devon County Council"):
        add(uow, partner="Cornwall Council")


def test_a_due_date_more_than_a_year_ago_is_refused_as_a_likely_typo(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(Invalid, match="more than a year ago"):
        add(uow, due="2025-11-01")


def test_a_recent_past_due_date_is_accepted_and_the_action_is_overdue(
    uow: UnitOfWork, plan_id: int
) -> None:
    add(uow, due="2026-06-01")
    (action,) = list_actions(uow, MEMBER, validate(ActionList)).actions
    assert action.due_date == date(2026, 6, 1)
    assert action.overdue


def test_adding_an_action_is_audited(uow: UnitOfWork, plan_id: int) -> None:
    add(uow, function="wellbeing")
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "action")).one()
    assert (entry.ref, entry.verb, entry.actor_id) == ("A-1", "add", "UMEMBER")
    assert entry.detail["function"] == "wellbeing"


def test_an_action_cannot_be_added_in_a_channel_without_a_plan(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound, match="isn't linked to a plan"):
        add(uow)


def test_a_plan_id_from_another_workspace_is_never_reached(uow: UnitOfWork, plan_id: int) -> None:
    # From a channel of their own workspace; in the plan's own channel, shared by Slack
    # Connect, a member of another organisation uses the plan (tests/test_slack_connect.py).
    stranger = Actor(team_id="T2", user_id="USTRANGER", channel_id="COTHER")
    with pytest.raises(NotFound):
        add(uow, stranger, plan_id=plan_id)


def test_a_refusal_names_the_input_it_is_about_so_a_form_can_show_it_there(
    uow: UnitOfWork, plan_id: int
) -> None:
    for fields, field in [
        ({"due": "2020-01-01"}, "due"),
        ({"due": "someday"}, "due"),
        ({"function": "catering"}, "function"),
        ({"description": f"NHS no {VALID_NHS_NUMBER}"}, "description"),
    ]:
        with pytest.raises(InputInvalid) as refused:
            add(uow, **fields)
        assert refused.value.field == field


def test_the_add_form_offers_the_plans_partners(uow: UnitOfWork, plan_id: int) -> None:
    form = action_form(uow, MEMBER)
    assert (form.plan_id, form.plan_name) == (plan_id, "Devon ICS integrated workforce plan")
    assert form.partners == ("Devon County Council", "Royal Devon University")


# Listing


def test_actions_are_listed_by_due_date_with_undated_last(uow: UnitOfWork, plan_id: int) -> None:
    add(uow, title="undated")
    add(uow, due="2027-03-31")
    add(uow, due="2026-12-01")
    assert listed(uow) == ["A-3", "A-2", "A-1"]


def test_done_and_cancelled_actions_are_left_out_unless_all_are_asked_for(
    uow: UnitOfWork, plan_id: int
) -> None:
    for _ in range(3):
        add(uow)
    set_status(uow, "A-1", "done")
    set_status(uow, "A-2", "cancelled")
    assert listed(uow) == ["A-3"]
    assert listed(uow, include_closed=True) == ["A-1", "A-2", "A-3"]


def test_a_limited_list_holds_the_first_actions_and_counts_every_match(
    uow: UnitOfWork, plan_id: int
) -> None:
    for day in (5, 3, 4, 1, 2):
        add(uow, due=f"2027-01-0{day}")
    set_status(uow, "A-4", "done")
    listing = list_actions(uow, MEMBER, validate(ActionList), limit=2)
    assert [a.ref for a in listing.actions] == ["A-5", "A-2"]
    assert listing.total == 4
    assert list_actions(uow, MEMBER, validate(ActionList, include_closed=True), limit=2).total == 5


def test_mine_lists_only_the_actors_actions(uow: UnitOfWork, plan_id: int) -> None:
    add(uow, MEMBER)
    add(uow, LEAD)
    assert listed(uow, MEMBER, mine=True) == ["A-1"]
    assert listed(uow, LEAD, mine=True) == ["A-2"]


def test_owner_partner_function_and_red_filters_combine(uow: UnitOfWork, plan_id: int) -> None:
    add(uow, owner_id="UOWNER", function="supply", partner="Devon County Council")
    add(uow, owner_id="UOWNER", function="supply")
    add(uow, owner_id="UOWNER", function="wellbeing", partner="Devon County Council")
    add(uow, function="supply", partner="Devon County Council")
    set_status(uow, "A-1", "red")
    set_status(uow, "A-2", "red")
    assert listed(uow, owner_id="UOWNER", function="supply") == ["A-1", "A-2"]
    assert listed(uow, owner_id="UOWNER", partner="devon county") == ["A-1", "A-3"]
    assert listed(uow, red=True, partner="Devon County Council") == ["A-1"]
    assert listed(uow, function="2", partner="Devon County Council") == ["A-1", "A-4"]
    result = list_actions(uow, MEMBER, validate(ActionList, red=True, function="supply"))
    assert result.filters == ("red", "function supply")


def test_overdue_means_due_before_today_and_still_open(uow: UnitOfWork, plan_id: int) -> None:
    add(uow, due="2026-11-20")
    add(uow, due="2026-11-22")
    add(uow, due="2026-11-23")
    add(uow)
    set_status(uow, "A-1", "done")
    assert listed(uow, overdue=True) == ["A-2"]


def test_overdue_turns_at_midnight_in_london_during_british_summer_time(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    clock.set(datetime(2026, 10, 1, 12, 0, tzinfo=UTC))
    add(uow, due="2026-10-24")
    # 22:30 UTC on 24 October is 23:30 BST: still the due date in London.
    clock.set(datetime(2026, 10, 24, 22, 30, tzinfo=UTC))
    assert listed(uow, overdue=True) == []
    # 23:30 UTC is 00:30 BST on 25 October: a day late in London, though not yet in UTC.
    clock.set(datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    assert listed(uow, overdue=True) == ["A-1"]
    assert list_actions(uow, MEMBER, validate(ActionList)).actions[0].overdue


def test_overdue_turns_at_midnight_in_london_in_winter(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    add(uow, due="2026-11-23")
    clock.set(datetime(2026, 11, 23, 23, 59, tzinfo=UTC))
    assert listed(uow, overdue=True) == []
    clock.set(datetime(2026, 11, 24, 0, 1, tzinfo=UTC))
    assert listed(uow, overdue=True) == ["A-1"]


def test_a_relative_due_date_is_read_in_the_plans_timezone(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    # 23:30 UTC on 24 October is already 25 October in London.
    clock.set(datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    add(uow, due="tomorrow")
    assert list_actions(uow, MEMBER, validate(ActionList)).actions[0].due_date == date(2026, 10, 26)


# Showing


def test_show_gives_the_action_with_its_whole_history(uow: UnitOfWork, plan_id: int) -> None:
    add(uow)
    update_action(uow, MEMBER, validate(ActionUpdate, ref="A-1", status="green", note="Started"))
    update_action(uow, MEMBER, validate(ActionUpdate, ref="A-1", progress=50))
    detail = show_action(uow, LEAD, validate(ActionRef, ref="a1"))
    assert detail.action.ref == "A-1"
    assert [(h.status_to, h.progress_to, h.note) for h in detail.history] == [
        (ActionStatus.ON_TRACK, None, "Started"),
        (None, 50, ""),
    ]
    assert detail.action.last_update == detail.history[-1]
    assert detail.open_challenges == ()


def test_showing_a_missing_action_says_how_to_find_the_right_one(
    uow: UnitOfWork, plan_id: int
) -> None:
    with pytest.raises(NotFound, match="There is no A-99") as refused:
        show_action(uow, MEMBER, validate(ActionRef, ref="A-99"))
    assert "/action list" in (hint_text(refused.value.hint) or "")


def test_a_risk_reference_is_not_taken_for_an_action() -> None:
    with pytest.raises(Invalid, match="R-2 is a risk"):
        validate(ActionRef, ref="R-2")
