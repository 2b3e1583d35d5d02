"""Feedback F-<n>: given by any member, read by leads, chairs and data leads, answered by leads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.rendering import hint_text
from governance.actions.models import Action
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import InputInvalid, Invalid, NotAllowed, NotFound
from governance.feedback.inputs import (
    FeedbackAnswer,
    FeedbackGive,
    FeedbackList,
)
from governance.feedback.models import Feedback
from governance.feedback.use_cases import (
    answer_feedback,
    feedback_form,
    feedback_summary,
    give_feedback,
    list_feedback,
)
from governance.inputs import validate
from governance.plans.inputs import (
    PlanSetup,
)
from governance.plans.models import Plan, Role
from governance.plans.numbering import next_number
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")
CHAIR = Actor(team_id="T1", user_id="UCHAIR", channel_id="CPLAN")
DATA_LEAD = Actor(team_id="T1", user_id="UDATA", channel_id="CPLAN")
OTHER_LEAD = Actor(team_id="T1", user_id="UOTHER", channel_id="COTHERPLAN")
VALID_NHS_NUMBER = "943 476 5919"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon ICS workforce plan"))
    with uow.transaction() as session:
        session.add(Role(plan_id=plan.id, user_id=CHAIR.user_id, role="chair"))
        session.add(Role(plan_id=plan.id, user_id=DATA_LEAD.user_id, role="data-lead"))
    return plan.id


def give(uow: UnitOfWork, actor: Actor = MEMBER, **fields: object):  # type: ignore[no-untyped-def]
    fields = {"source": "staff", "text": "Rota gaps on the night shift", **fields}
    return give_feedback(uow, actor, validate(FeedbackGive, **fields))


def add_action(uow: UnitOfWork, plan_id: int, title: str = "Fix the rota") -> str:
    with uow.transaction() as session:
        number = next_number(session, plan_id, "action")
        session.add(
            Action(plan_id=plan_id, number=number, title=title, created_by="U", updated_by="U")
        )
    return f"A-{number}"


def answer(uow: UnitOfWork, actor: Actor, ref: str, text: str, action: str | None = None):  # type: ignore[no-untyped-def]
    data = validate(FeedbackAnswer, feedback=ref, text=text, action=action)
    return answer_feedback(uow, actor, data)


def test_named_feedback_records_who_gave_it(uow: UnitOfWork, plan_id: int) -> None:
    view = give(uow, function="wellbeing", service_area="Urgent care", rating=4)
    assert (view.ref, view.source, view.source_label) == ("F-1", "staff", "Frontline staff")
    assert view.author_id == "UMEMBER" and not view.anonymous
    assert (view.function_key, view.service_area) == ("wellbeing", "Urgent care")
    assert (view.rating, view.rating_label) == (4, "Good")


def test_feedback_numbers_run_on_within_the_plan(uow: UnitOfWork, plan_id: int) -> None:
    assert [give(uow).ref for _ in range(3)] == ["F-1", "F-2", "F-3"]


@pytest.mark.parametrize(
    ("typed", "source"),
    [
        ("staff", "staff"),
        ("Frontline staff", "staff"),
        ("service-user", "service-user"),
        ("Service users", "service-user"),
        ("user", "service-user"),
        ("patient", "service-user"),
        ("Carers", "carer"),
        ("unpaid carer", "carer"),
        ("partner organisation", "partner"),
    ],
)
def test_sources_are_recognised_as_people_type_them(typed: str, source: str) -> None:
    assert validate(FeedbackGive, source=typed, text="x").source == source


def test_an_unknown_source_is_refused_naming_the_sources() -> None:
    with pytest.raises(Invalid, match="staff, service-user, carer, partner"):
        validate(FeedbackGive, source="visitor", text="x")


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("Very good", 5),
        ("good", 4),
        ("Neither good nor poor", 3),
        ("poor", 2),
        ("very  poor", 1),
        ("Don't know", None),
        ("4", 4),
        (1, 1),
        (None, None),
    ],
)
def test_ratings_take_numbers_or_friends_and_family_test_words(
    typed: object, rating: int | None
) -> None:
    assert validate(FeedbackGive, source="carer", text="x", rating=typed).rating == rating


@pytest.mark.parametrize("typed", [0, 6, "10", "excellent", True])
def test_a_rating_outside_one_to_five_is_refused(typed: object) -> None:
    with pytest.raises(Invalid, match="1 to 5 or very good"):
        validate(FeedbackGive, source="carer", text="x", rating=typed)


def test_feedback_up_to_3000_characters_is_kept_whole(uow: UnitOfWork, plan_id: int) -> None:
    assert give(uow, text="x" * 3000).text == "x" * 3000


def test_feedback_longer_than_3000_characters_is_refused_saying_the_limit() -> None:
    with pytest.raises(Invalid, match="at most 3000 characters"):
        validate(FeedbackGive, source="staff", text="x" * 3001)


def test_a_service_area_longer_than_100_characters_is_refused() -> None:
    with pytest.raises(Invalid, match="at most 100 characters"):
        validate(FeedbackGive, source="staff", text="x", service_area="y" * 101)


def test_empty_feedback_is_refused() -> None:
    with pytest.raises(Invalid, match="can't be empty"):
        validate(FeedbackGive, source="staff", text="   ")


def test_feedback_holding_an_nhs_number_is_refused_and_nothing_is_stored(
    uow: UnitOfWork, plan_id: int
) -> None:
    text = f"Mrs Smith ({VALID_NHS_NUMBER}) waited six hours"
    with pytest.raises(Invalid, match="NHS number") as refused:
        give(uow, text=text)
    assert "Smith" not in refused.value.message
    with pytest.raises(InputInvalid, match="NHS number") as refused:
        give(uow, service_area=f"Ward for {VALID_NHS_NUMBER}")
    assert refused.value.field == "service_area"
    with uow.transaction() as session:
        assert session.scalars(select(Feedback)).all() == []
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.entity == "feedback")).all() == []
        )


def test_an_unknown_people_function_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(InputInvalid, match="not one of the 10 people functions") as refused:
        give(uow, function="catering")
    assert refused.value.field == "function"


def test_the_feedback_form_offers_the_plan_sources_ratings_and_functions(
    uow: UnitOfWork, plan_id: int
) -> None:
    form = feedback_form(uow, MEMBER)
    assert (form.plan_id, form.plan_name) == (plan_id, "Devon ICS workforce plan")
    assert [key for key, _ in form.sources] == ["staff", "service-user", "carer", "partner"]
    assert form.ratings[0] == (5, "Very good")
    assert len(form.functions) == 10


def test_feedback_in_a_channel_without_a_plan_says_how_to_set_one_up(uow: UnitOfWork) -> None:
    with pytest.raises(NotFound) as refused:
        give(uow)
    assert "/plan setup" in (hint_text(refused.value.hint) or "")


def test_giving_named_feedback_is_audited_with_its_giver(uow: UnitOfWork, plan_id: int) -> None:
    give(uow, source="carer")
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "feedback")).one()
    assert (entry.ref, entry.verb, entry.actor_id) == ("F-1", "give", "UMEMBER")
    assert entry.detail == {"source": "carer", "anonymous": False}


def test_a_member_cannot_read_feedback_and_is_told_who_can(uow: UnitOfWork, plan_id: int) -> None:
    give(uow)
    with pytest.raises(NotAllowed, match="leads, chairs and data leads"):
        list_feedback(uow, MEMBER, validate(FeedbackList))


@pytest.mark.parametrize("reader", [LEAD, CHAIR, DATA_LEAD])
def test_leads_chairs_and_data_leads_read_feedback_newest_first(
    uow: UnitOfWork, plan_id: int, reader: Actor
) -> None:
    give(uow, text="first")
    give(uow, text="second", anonymous=True)
    listing = list_feedback(uow, reader, validate(FeedbackList))
    assert [(f.ref, f.text, f.author_id) for f in listing.items] == [
        ("F-2", "second", None),
        ("F-1", "first", "UMEMBER"),
    ]
    assert (listing.total, listing.plan_name) == (2, "Devon ICS workforce plan")


def test_feedback_can_be_listed_for_one_people_function(uow: UnitOfWork, plan_id: int) -> None:
    give(uow, text="tired", function="wellbeing")
    give(uow, text="no training", function="education")
    listing = list_feedback(uow, LEAD, validate(FeedbackList, function="1"))
    assert [f.text for f in listing.items] == ["tired"]
    assert listing.function_key == "wellbeing"


def test_a_lead_answers_feedback_linking_an_action(uow: UnitOfWork, plan_id: int) -> None:
    give(uow)
    action = add_action(uow, plan_id)
    view = answer(uow, LEAD, "F-1", "We added two night-shift posts", action=action)
    assert (view.answer, view.answered_by, view.action_ref) == (
        "We added two night-shift posts",
        "ULEAD",
        "A-1",
    )
    assert view.author_id == "UMEMBER"
    with uow.transaction() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.verb == "answer")).one()
    assert (entry.ref, entry.actor_id, entry.detail["action"]) == ("F-1", "ULEAD", "A-1")


def test_a_chair_may_answer_and_answer_again(uow: UnitOfWork, plan_id: int) -> None:
    give(uow)
    answer(uow, CHAIR, "1", "Looking into it")
    view = answer(uow, CHAIR, "f1", "Two posts added")
    assert (view.answer, view.action_ref) == ("Two posts added", None)


def test_a_data_lead_reads_feedback_but_cannot_answer_it(uow: UnitOfWork, plan_id: int) -> None:
    give(uow)
    with pytest.raises(NotAllowed, match="leads and chairs"):
        answer(uow, DATA_LEAD, "F-1", "We did it")


def test_answering_links_only_actions_of_the_same_plan(uow: UnitOfWork, plan_id: int) -> None:
    other = setup_plan(uow, OTHER_LEAD, validate(PlanSetup, name="Cornwall"))
    add_action(uow, other.id)
    give(uow)
    with pytest.raises(NotFound, match="A-1 is not an action in this plan"):
        answer(uow, LEAD, "F-1", "Done", action="A-1")
    with uow.transaction() as session:
        assert session.scalars(select(Feedback)).one().answer is None


def test_answering_feedback_of_another_plan_is_not_found(uow: UnitOfWork, plan_id: int) -> None:
    setup_plan(uow, OTHER_LEAD, validate(PlanSetup, name="Cornwall"))
    give(uow)
    with pytest.raises(NotFound, match="F-1 is not feedback in this plan"):
        answer(uow, OTHER_LEAD, "F-1", "Done")


def test_an_answer_holding_an_nhs_number_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    give(uow)
    with pytest.raises(Invalid, match="NHS number"):
        answer(uow, LEAD, "F-1", f"Called patient {VALID_NHS_NUMBER}")


def test_a_feedback_reference_must_look_like_one() -> None:
    with pytest.raises(Invalid, match="A-3 is an action"):
        validate(FeedbackAnswer, feedback="A-3", text="x")


def _summary(uow: UnitOfWork, plan_id: int, since: date | datetime):  # type: ignore[no-untyped-def]
    with uow.transaction() as session:
        return feedback_summary(session, session.get(Plan, plan_id), since)


def _set_threshold(uow: UnitOfWork, plan_id: int, threshold: int) -> None:
    with uow.transaction() as session:
        session.get(Plan, plan_id).anonymity_threshold = threshold


def test_groups_smaller_than_the_threshold_show_as_fewer_than(
    uow: UnitOfWork, plan_id: int
) -> None:
    for source, times in (("staff", 12), ("carer", 6), ("service-user", 5)):
        for _ in range(times):
            give(uow, source=source, anonymous=True)
    summary = _summary(uow, plan_id, date(2026, 11, 1))
    assert summary.threshold == 11
    assert summary.total.shown == "23"
    shown = {group.key: group.shown for group in summary.by_source}
    assert shown == {"staff": "12", "service-user": "fewer than 11", "carer": "fewer than 11"}


def test_a_group_at_exactly_the_threshold_is_shown(uow: UnitOfWork, plan_id: int) -> None:
    _set_threshold(uow, plan_id, 5)
    for _ in range(5):
        give(uow, source="partner", function="planning", anonymous=True)
    summary = _summary(uow, plan_id, date(2026, 11, 1))
    assert [(g.key, g.count) for g in summary.by_source] == [("partner", 5)]
    assert [(g.key, g.shown) for g in summary.by_function] == [("planning", "5")]


def test_a_small_group_never_carries_its_number(uow: UnitOfWork, plan_id: int) -> None:
    _set_threshold(uow, plan_id, 5)
    for source in ("staff", "staff", "carer"):
        give(uow, source=source, anonymous=True)
    summary = _summary(uow, plan_id, date(2026, 11, 1))
    groups = (summary.total, *summary.by_source, *summary.by_function)
    assert all(group.count is None and group.fewer_than == 5 for group in groups)
    assert summary.total.shown == "fewer than 5"


def test_a_withheld_group_cannot_be_worked_out_from_the_total(
    uow: UnitOfWork, plan_id: int
) -> None:
    _set_threshold(uow, plan_id, 5)
    for function, times in (("wellbeing", 9), ("supply", 6), ("inclusion", 2)):
        for _ in range(times):
            give(uow, function=function)
    give(uow)
    summary = _summary(uow, plan_id, date(2026, 11, 1))
    assert [(g.key, g.shown) for g in summary.by_function] == [
        ("wellbeing", "9"),
        ("supply", "withheld"),
        ("inclusion", "fewer than 5"),
        ("none", "fewer than 5"),
    ]
    assert summary.total.shown == "18"


def test_the_summary_counts_only_feedback_since_its_start(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    _set_threshold(uow, plan_id, 5)
    clock.set(datetime(2026, 6, 1, 22, 30, tzinfo=UTC))  # 23:30 on 1 June in London
    for _ in range(5):
        give(uow, source="carer")
    clock.set(datetime(2026, 6, 1, 23, 30, tzinfo=UTC))  # 00:30 on 2 June in London
    for _ in range(6):
        give(uow, source="staff")
    summary = _summary(uow, plan_id, date(2026, 6, 2))
    assert [(g.key, g.count) for g in summary.by_source] == [("staff", 6)]
    assert summary.since == datetime(2026, 6, 1, 23, 0, tzinfo=UTC)


def test_the_summary_lists_what_was_answered_since_its_start(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    give(uow, text="Old, answered long ago")
    give(uow, text="Parking is impossible")
    answer(uow, LEAD, "F-1", "Fixed")
    clock.advance(days=7)
    action = add_action(uow, plan_id, "Car share scheme")
    answer(uow, LEAD, "F-2", "Started a car share", action=action)
    summary = _summary(uow, plan_id, clock.current)
    assert [(f.ref, f.text, f.answer, f.action_ref) for f in summary.answered] == [
        ("F-2", "Parking is impossible", "Started a car share", "A-1")
    ]
