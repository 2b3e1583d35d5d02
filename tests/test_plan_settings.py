"""Plan settings and each person's own working pattern, as `/plan settings` and `board` set them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import Invalid, NotAllowed
from governance.inputs import validate
from governance.plans.inputs import (
    MemberSettingsChange,
    PlanBoard,
    PlanSettingsChange,
    PlanSetup,
)
from governance.plans.settings_use_cases import (
    member_preferences,
    show_settings,
    update_member_preferences,
    update_settings,
)
from governance.plans.use_cases import set_board_channel, setup_plan
from tests.conftest import Clock

LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
MEMBER = Actor(team_id="T1", user_id="UMEMBER", channel_id="CPLAN")


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, LEAD, validate(PlanSetup, name="Devon")).id


def _audit(uow: UnitOfWork, entity: str) -> list[AuditEntry]:
    with uow.transaction() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
            )
        )


# Plan settings


def test_a_lead_sets_digest_nudges_quiet_days_and_anonymity(uow: UnitOfWork, plan_id: int) -> None:
    change = validate(
        PlanSettingsChange, digest="Fri@16:30", nudges="8:15", quiet="none", anonymity="5"
    )
    view = update_settings(uow, LEAD, change)
    assert (view.plan.digest_weekday, view.plan.digest_time) == (4, time(16, 30))
    assert view.plan.digest_setting == "fri@16:30"
    assert view.plan.digest_day_name == "Friday"
    assert view.plan.nudge_time == time(8, 15)
    assert view.plan.quiet_weekends is False
    assert view.plan.anonymity_threshold == 5
    assert view.changed == ("digest", "nudges", "quiet", "anonymity")


def test_settings_left_out_keep_their_values(uow: UnitOfWork, plan_id: int) -> None:
    view = update_settings(uow, LEAD, validate(PlanSettingsChange, nudges="07:45"))
    assert view.plan.digest_setting == "mon@09:00"
    assert view.plan.quiet_weekends is True
    assert view.plan.anonymity_threshold == 11
    assert view.changed == ("nudges",)


def test_settings_changes_are_audited_with_old_and_new(uow: UnitOfWork, plan_id: int) -> None:
    update_settings(uow, LEAD, validate(PlanSettingsChange, anonymity="15", digest="tue@10:00"))
    (entry,) = [e for e in _audit(uow, "plan") if e.verb == "settings"]
    assert entry.actor_id == "ULEAD"
    assert entry.detail == {
        "changes": {"digest": ["mon@09:00", "tue@10:00"], "anonymity": [11, 15]}
    }


def test_setting_the_same_values_again_records_nothing(uow: UnitOfWork, plan_id: int) -> None:
    view = update_settings(uow, LEAD, validate(PlanSettingsChange, digest="mon@09:00"))
    assert view.changed == ()
    assert [e for e in _audit(uow, "plan") if e.verb == "settings"] == []


def test_a_member_may_not_change_plan_settings(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotAllowed, match="leads and chairs can change the plan's settings"):
        update_settings(uow, MEMBER, validate(PlanSettingsChange, anonymity="5"))
    assert show_settings(uow, MEMBER).plan.anonymity_threshold == 11


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"digest": "mon"}, "`digest` “mon” needs a day and a time, like mon@09:00"),
        ({"digest": "someday@09:00"}, "`digest` “someday” is not a day of the week"),
        ({"digest": "mon@25:00"}, "`digest` “25:00” is not a time of day"),
        ({"nudges": "9am"}, "`nudges` “9am” is not a time of day; use the 24-hour clock"),
        ({"quiet": "sundays"}, "`quiet` “sundays” is not a quiet setting; use weekends or none"),
        ({"anonymity": "3"}, "`anonymity` is the smallest group a report shows, 5 to 20, not 3"),
        ({"anonymity": "21"}, "`anonymity` is the smallest group a report shows, 5 to 20, not 21"),
        ({"anonymity": "lots"}, "`anonymity` “lots” is not a whole number from 5 to 20"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(fields: dict[str, str], message: str) -> None:
    with pytest.raises(Invalid) as refused:
        validate(PlanSettingsChange, **fields)
    assert message in refused.value.message


# Board channel


def test_a_lead_chooses_the_board_channel_and_it_is_audited(uow: UnitOfWork, plan_id: int) -> None:
    view = set_board_channel(uow, LEAD, validate(PlanBoard, channel_id="CBOARD"))
    assert view.board_channel_id == "CBOARD"
    (entry,) = [e for e in _audit(uow, "plan") if e.verb == "board"]
    assert entry.detail == {"old": None, "new": "CBOARD"}


def test_a_member_may_not_choose_the_board_channel(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(NotAllowed, match="choose the board channel"):
        set_board_channel(uow, MEMBER, validate(PlanBoard, channel_id="CBOARD"))


def test_a_board_channel_must_be_a_channel() -> None:
    with pytest.raises(Invalid, match="`channel_id`"):
        validate(PlanBoard, channel_id="UALICE")


# A person's own preferences


def test_preferences_default_to_monday_to_friday(uow: UnitOfWork, plan_id: int) -> None:
    mine = member_preferences(uow, MEMBER)
    assert mine.working_days == ("mon", "tue", "wed", "thu", "fri")
    assert (mine.away_until, mine.timezone) == (None, None)


def test_a_member_sets_their_own_days_away_date_and_timezone(uow: UnitOfWork, plan_id: int) -> None:
    change = validate(
        MemberSettingsChange, days="Thu,mon,tue", away="2026-12-24", tz="Europe/Dublin"
    )
    view = update_member_preferences(uow, MEMBER, change)
    assert view.me.working_days == ("mon", "tue", "thu")
    assert view.me.away_until == date(2026, 12, 24)
    assert view.me.timezone == "Europe/Dublin"
    assert member_preferences(uow, MEMBER) == view.me
    assert member_preferences(uow, LEAD).working_days == ("mon", "tue", "wed", "thu", "fri")


def test_working_days_take_a_range() -> None:
    assert validate(MemberSettingsChange, days="tue-thu").days == ("tue", "wed", "thu")
    with pytest.raises(Invalid, match="runs backwards"):
        validate(MemberSettingsChange, days="fri-mon")


def test_the_away_date_is_read_as_people_type_it(uow: UnitOfWork, plan_id: int) -> None:
    # The clock says Monday 23 November 2026.
    view = update_member_preferences(uow, MEMBER, validate(MemberSettingsChange, away="friday"))
    assert view.me.away_until == date(2026, 11, 27)


def test_the_away_date_uses_the_person_timezone(
    uow: UnitOfWork, plan_id: int, clock: Clock
) -> None:
    # 23 Nov 11:30 UTC is already 24 Nov in Auckland, so "today" there is the 24th.
    clock.set(datetime(2026, 11, 23, 11, 30, tzinfo=UTC))
    change = validate(MemberSettingsChange, tz="Pacific/Auckland", away="today")
    assert update_member_preferences(uow, MEMBER, change).me.away_until == date(2026, 11, 24)


def test_a_past_away_date_is_refused(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(Invalid, match="already past"):
        update_member_preferences(uow, MEMBER, validate(MemberSettingsChange, away="2026-11-01"))


def test_none_clears_the_away_date_and_timezone(uow: UnitOfWork, plan_id: int) -> None:
    change = validate(MemberSettingsChange, away="2026-12-24", tz="Europe/Dublin")
    update_member_preferences(uow, MEMBER, change)
    cleared = validate(MemberSettingsChange, away="none", tz="none")
    view = update_member_preferences(uow, MEMBER, cleared)
    assert (view.me.away_until, view.me.timezone) == (None, None)
    assert view.changed == ("away", "tz")


def test_preference_changes_are_audited_as_the_person(uow: UnitOfWork, plan_id: int) -> None:
    update_member_preferences(uow, MEMBER, validate(MemberSettingsChange, days="mon,tue"))
    (entry,) = _audit(uow, "member")
    assert (entry.ref, entry.actor_id) == ("UMEMBER", "UMEMBER")
    assert entry.detail == {"changes": {"days": ["mon,tue,wed,thu,fri", "mon,tue"]}}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"days": "funday"}, "`days` “funday” is not a day of the week"),
        ({"days": ","}, "`days` needs at least one working day"),
        ({"tz": "Mars/Olympus"}, "`tz` “Mars/Olympus” is not a timezone I know"),
    ],
)
def test_bad_preferences_are_refused_naming_the_field(fields: dict[str, str], message: str) -> None:
    with pytest.raises(Invalid) as refused:
        validate(MemberSettingsChange, **fields)
    assert message in refused.value.message


def test_show_settings_holds_the_plan_and_my_preferences(uow: UnitOfWork, plan_id: int) -> None:
    view = show_settings(uow, MEMBER)
    assert view.plan.name == "Devon"
    assert view.me.user_id == "UMEMBER"
    assert view.changed == ()
