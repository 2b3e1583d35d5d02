"""Owners' nudges: one direct message a working day about what needs them, with buttons."""

from __future__ import annotations

import json
from datetime import date, time

from sqlalchemy import select

from bot.jobs import JobRunner
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.jobs.snooze import SnoozeRequest, snooze_item
from governance.models import AuditEntry, JobClaim, MemberPreference, Risk
from tests.conftest import Clock
from tests.jobs_world import LEAD, TEAM, World, at, block_ids, message_text, sent_messages
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BotServer, assert_valid_blocks

ANN = "U0ANN"
BOB = "U0BOB"
CAL = "U0CAL"
FRIDAY = at("2026-11-20T10:00")
MONDAY_9 = at("2026-11-23T09:00")


def nudges_at(runner: JobRunner, clock: Clock, when: str) -> int:
    """How many owners a pass at `when` nudged (escalations to the lead left out)."""
    clock.set(at(when))
    return len([recipient for recipient in runner.run("nudges").sent if recipient != LEAD])


def test_an_owner_hears_once_about_overdue_due_soon_quiet_actions_and_risks_past_review(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, title="Open the rotational nursing route", due=date(2026, 11, 20))
    world.action(plan, ANN, title="Agree the passport", due=date(2026, 11, 27))
    world.action(plan, ANN, title="Later work", due=date(2026, 12, 1))
    world.action(plan, ANN, title="Quiet work", updated=at("2026-11-01T10:00"))
    world.action(plan, ANN, title="Fresh work")
    world.action(plan, ANN, title="Done late", due=date(2026, 11, 1), status="done")
    world.action(plan, ANN, title="Dropped", due=date(2026, 11, 1), status="cancelled")
    world.action(plan, BOB, title="Bob's overdue action", due=date(2026, 11, 20))
    world.risk(plan, ANN, title="Agency spend", review=date(2026, 11, 22))
    world.risk(plan, ANN, title="Reviewed today", review=date(2026, 11, 23))
    world.risk(plan, ANN, title="Closed", review=date(2026, 11, 1), status="closed")

    clock.set(MONDAY_9)
    report = runner.run("nudges")

    assert sorted(report.sent) == [ANN, BOB]
    [nudge] = sent_messages(standin, ANN)
    assert [b for b in block_ids(nudge) if not b.endswith("-buttons")] == [
        "nudge-intro",
        "nudge-A-1",
        "nudge-A-2",
        "nudge-A-4",
        "nudge-R-1",
        "nudge-footer",
    ]
    text = message_text(nudge)
    assert "4 items in Wessex Vale ICS workforce plan need you today" in text
    assert "*overdue by 3 days* (due Fri 20 Nov 2026)" in text
    assert "*due in 4 days* (Fri 27 Nov 2026)" in text
    assert "no update for 21 days" in text
    assert "*review was due Sun 22 Nov 2026* (1 day ago)" in text
    for absent in ("Later work", "Fresh work", "Done late", "Dropped", "Reviewed today", "Closed"):
        assert absent not in text
    assert_valid_blocks(nudge)


def test_every_item_has_update_done_and_snooze_buttons_carrying_plan_and_reference(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    world.risk(plan, ANN, review=date(2026, 11, 1))
    clock.set(MONDAY_9)
    runner.run("nudges")
    [nudge] = sent_messages(standin, ANN)
    buttons = {
        block["block_id"]: [
            (e["action_id"], e["value"], e["text"]["text"]) for e in block["elements"]
        ]
        for block in nudge["blocks"]
        if block["type"] == "actions"
    }
    assert buttons == {
        "nudge-A-1-buttons": [
            ("action_update", f"{plan}:A-1", "Update"),
            ("action_done", f"{plan}:A-1", "Done"),
            ("snooze_week", f"{plan}:A-1", "Snooze a week"),
        ],
        "nudge-R-1-buttons": [
            ("risk_update", f"{plan}:R-1", "Update"),
            ("snooze_week", f"{plan}:R-1", "Snooze a week"),
        ],
    }


def test_an_overdue_risk_is_reviewed_in_one_step_from_the_nudges_update_form(
    world: World, bot_server: BotServer, runner: JobRunner, clock: Clock, uow: UnitOfWork
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.risk(plan, ANN, likelihood=4, impact=4, review=date(2026, 11, 11))  # 16, extreme
    clock.set(MONDAY_9)
    runner.run("nudges")
    [nudge] = sent_messages(bot_server.standin, ANN)
    [value] = [
        e["value"]
        for block in nudge["blocks"]
        for e in block.get("elements", [])
        if e.get("action_id") == "risk_update"
    ]
    bot_server.click("risk_update", value, user_id=ANN)
    [opened] = bot_server.standin.wait_for_calls("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view)
    [review] = [b for b in view["blocks"] if b.get("block_id") == "review"]
    assert review["element"]["initial_date"] == "2026-12-23"  # a month ahead: extreme
    assert "saving with the next review date offered records today's review" in json.dumps(view)

    values = {
        "likelihood": {"type": "static_select", "selected_option": {"value": "4"}},
        "impact": {"type": "static_select", "selected_option": {"value": "4"}},
        "review": {"type": "datepicker", "selected_date": "2026-12-23"},
        "mitigation": "",
        "share": "",
    }
    saved = bot_server.submit(
        "risk_update", values, private_metadata=view["private_metadata"], user_id=ANN
    )
    assert (saved.status, saved.body) == (200, b"")
    with uow.transaction() as session:
        risk = session.scalars(select(Risk)).one()
        assert risk.review_date == date(2026, 12, 23)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "risk")).one()
        assert (entry.verb, entry.actor_id) == ("review", ANN)
        assert entry.detail["before"] == {"review": "2026-11-11"}
    clock.set(at("2026-11-24T09:00"))
    assert runner.run("nudges").sent == []


def test_owners_with_nothing_to_hear_about_get_nothing(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 12, 31))
    world.action(plan, None, due=date(2026, 11, 20))
    clock.set(MONDAY_9)
    report = runner.run("nudges")
    assert report.sent == [] and report.failed == []
    assert sent_messages(standin) == []
    with uow.transaction() as session:
        assert session.scalars(select(JobClaim).where(JobClaim.kind == "nudge")).all() == []


def test_each_owner_hears_once_a_working_day_however_often_the_job_runs(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    assert nudges_at(runner, clock, "2026-11-23T08:59") == 0
    assert nudges_at(runner, clock, "2026-11-23T09:00") == 1
    assert nudges_at(runner, clock, "2026-11-23T09:15") == 0
    assert nudges_at(runner, clock, "2026-11-23T17:00") == 0
    assert nudges_at(runner, clock, "2026-11-24T09:00") == 1
    assert len(sent_messages(standin, ANN)) == 2


def test_no_nudges_at_weekends_or_on_bank_holidays(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-12-01T10:00"))
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 12, 1))
    for day in ("2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28"):
        # Christmas Day (Friday), the weekend, and Boxing Day's bank holiday on Monday.
        assert nudges_at(runner, clock, f"{day}T10:00") == 0
    assert nudges_at(runner, clock, "2026-12-29T10:00") == 1
    assert nudges_at(runner, clock, "2027-01-01T10:00") == 0  # New Year's Day


def test_the_plans_nudge_time_is_on_the_plans_clock(
    world: World, runner: JobRunner, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan(nudge_time=time(10, 30))
    world.action(plan, ANN, due=date(2026, 11, 20))
    assert nudges_at(runner, clock, "2026-11-23T10:29") == 0
    assert nudges_at(runner, clock, "2026-11-23T10:30") == 1
    # In summer London is an hour ahead of UTC.
    clock.set(at("2027-06-01T09:00"))
    world.action(plan, BOB, due=date(2027, 6, 1))
    assert nudges_at(runner, clock, "2027-06-07T09:29") == 0
    assert nudges_at(runner, clock, "2027-06-07T09:30") == 2


def test_snoozed_items_stay_quiet_until_the_snooze_ends(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, title="Parked work", due=date(2026, 11, 20))
    world.action(plan, ANN, title="Still nudged", due=date(2026, 11, 24))
    world.risk(plan, BOB, title="Snoozed risk", review=date(2026, 11, 1))
    clock.set(at("2026-11-23T08:00"))
    snoozed = snooze_item(
        uow, Actor(TEAM, ANN, "D0ANN"), validate(SnoozeRequest, plan_id=plan, ref="A-1")
    )
    snooze_item(uow, Actor(TEAM, BOB, "D0BOB"), validate(SnoozeRequest, plan_id=plan, ref="r-1"))
    assert snoozed.until == date(2026, 11, 30)

    for day in ("2026-11-23", "2026-11-27"):
        clock.set(at(f"{day}T09:00"))
        assert runner.run("nudges").sent == [ANN]  # Bob's only item is snoozed: nothing
        assert "Parked work" not in message_text(sent_messages(standin, ANN)[-1])
    clock.set(at("2026-11-30T09:00"))
    assert sorted(runner.run("nudges").sent) == [ANN, BOB]
    assert "Parked work" in message_text(sent_messages(standin, ANN)[-1])


def test_own_working_days_and_time_away_make_a_nudge_wait(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    world.action(plan, BOB, due=date(2026, 11, 20))
    world.preferences(plan, ANN, days="tue,thu")
    world.preferences(plan, BOB, away_until=date(2026, 11, 24))
    for day, heard in (
        ("2026-11-23", []),
        ("2026-11-24", [ANN]),
        ("2026-11-25", [BOB]),
        ("2026-11-26", [ANN, BOB]),
    ):
        clock.set(at(f"{day}T09:00"))
        assert sorted(runner.run("nudges").sent) == heard, day


def set_up_over_slack(bot_server: BotServer, clock: Clock, owner: str) -> None:
    """On Friday, a plan set up in the channel, and an action `owner` has due that day."""
    clock.set(FRIDAY)
    bot_server.slash_reply("/plan", 'setup "Devon ICS"')
    bot_server.slash_reply("/action", f'add "Weekend rota" owner:<@{owner}> due:2026-11-20')


def test_weekend_workers_are_nudged_on_their_own_days_and_the_settings_reply_says_so(
    bot_server: BotServer, runner: JobRunner, clock: Clock
) -> None:
    set_up_over_slack(bot_server, clock, ANN)
    reply = bot_server.slash_reply("/plan", "settings me days:sat,sun", user_id=ANN)
    assert_valid_blocks(reply)
    assert "You are nudged at 09:00 (Europe/London) on Saturday and Sunday," in message_text(reply)
    assert nudges_at(runner, clock, "2026-11-21T09:00") == 1  # Saturday
    assert nudges_at(runner, clock, "2026-11-23T09:00") == 0  # Monday: not one of her days


def test_after_quiet_none_the_settings_say_and_the_nudges_do_every_day(
    bot_server: BotServer, runner: JobRunner, clock: Clock
) -> None:
    set_up_over_slack(bot_server, clock, BOB)
    before = message_text(bot_server.slash_reply("/plan", "settings", user_id=BOB))
    assert (
        "You are nudged at 09:00 (Europe/London) on Monday, Tuesday, Wednesday, Thursday"
        " and Friday" in before
    )
    changed = bot_server.slash_reply("/plan", "settings quiet:none")
    assert "every day for anyone who hasn't set their own working days" in message_text(changed)
    after = message_text(bot_server.slash_reply("/plan", "settings", user_id=BOB))
    assert "You are nudged at 09:00 (Europe/London) every day" in after
    assert nudges_at(runner, clock, "2026-11-21T09:00") == 1  # Saturday


def test_an_owners_slack_timezone_wins_and_is_remembered(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    standin.set_user(CAL, tz="America/New_York")
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    world.action(plan, CAL, due=date(2026, 11, 20))

    clock.set(MONDAY_9)
    assert runner.run("nudges").sent == [ANN]  # 04:00 in New York
    looked_up = sorted(call.params["user"] for call in standin.calls_to("users.info"))
    assert CAL in looked_up
    with uow.transaction() as session:
        cached = session.scalars(
            select(MemberPreference.timezone).where(MemberPreference.user_id == CAL)
        ).one()
    assert cached == "America/New_York"

    standin.reset()
    assert nudges_at(runner, clock, "2026-11-23T13:59") == 0
    assert nudges_at(runner, clock, "2026-11-23T14:00") == 1
    assert sent_messages(standin, CAL) and standin.calls_to("users.info") == []


def test_a_timezone_the_owner_set_themselves_is_kept(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    standin.set_user(ANN, tz="America/New_York")
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    world.preferences(plan, ANN, timezone="Asia/Kolkata")
    # 09:00 in Kolkata is 03:30 UTC.
    assert nudges_at(runner, clock, "2026-11-23T03:30") == 1
    assert standin.calls_to("users.info") == [] or all(
        c.params["user"] != ANN for c in standin.calls_to("users.info")
    )


def test_a_long_list_stays_within_block_kit_limits_and_points_to_the_rest(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    for n in range(30):
        world.action(plan, ANN, title=f"Overdue {n} " + "x" * 180, due=date(2026, 11, 1 + n % 19))
    for _ in range(8):
        world.risk(plan, ANN, review=date(2026, 11, 2))
    clock.set(MONDAY_9)
    runner.run("nudges")
    [nudge] = sent_messages(standin, ANN)
    assert len(nudge["blocks"]) <= 50
    assert_valid_blocks(nudge)
    text = message_text(nudge)
    assert "38 items" in text
    assert "…and 18 more: `/action list mine` shows them all." in text
    assert sum(1 for b in block_ids(nudge) if b.startswith("nudge-R-") and "buttons" not in b) == 5


def test_a_slack_failure_for_one_owner_does_not_stop_the_others_and_is_retried(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    for owner in (ANN, BOB, CAL):
        world.action(plan, owner, due=date(2026, 11, 20))
    standin.fail("chat.postMessage", status=400)
    clock.set(MONDAY_9)
    report = runner.run("nudges")
    assert report.sent == [BOB, CAL]
    assert [recipient for recipient, _ in report.failed] == [ANN]

    clock.advance(minutes=15)
    report = runner.run("nudges")
    assert report.sent == [ANN] and report.skipped == 2
    # Ann's first attempt reached the stand-in and was refused; her second went through.
    assert [len(sent_messages(standin, owner)) for owner in (ANN, BOB, CAL)] == [2, 1, 1]


def test_the_snooze_button_on_a_nudge_quiets_the_item_for_a_week(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, bot_server: BotServer
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, title="Parked work", due=date(2026, 11, 20))
    world.action(plan, ANN, title="Still nudged", due=date(2026, 11, 24))
    clock.set(at("2026-11-23T08:00"))

    sent = bot_server.click("snooze_week", f"{plan}:A-1", user_id=ANN, channel_id="D0ANN")
    reply = bot_server.reply_to(sent)
    assert "*A-1* Parked work is snoozed" in reply["blocks"][0]["text"]["text"]
    assert "Mon 30 Nov 2026" in reply["text"]
    assert_valid_blocks(reply)

    clock.set(MONDAY_9)
    runner.run("nudges")
    assert "Parked work" not in message_text(sent_messages(standin, ANN)[-1])


def test_only_the_owner_or_a_lead_can_snooze(
    world: World, clock: Clock, bot_server: BotServer
) -> None:
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    reply = bot_server.reply_to(bot_server.click("snooze_week", f"{plan}:A-1", user_id=BOB))
    assert "Only its owner or the plan's leads and chairs can snooze A-1" in reply["text"]
    reply = bot_server.reply_to(bot_server.click("snooze_week", f"{plan}:A-1", user_id=LEAD))
    assert "is snoozed" in reply["text"]


def test_the_done_button_on_a_nudge_completes_the_action_so_later_nudges_leave_it_out(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock, bot_server: BotServer
) -> None:
    clock.set(FRIDAY)
    plan = world.plan()
    world.action(plan, ANN, title="Finished today", due=date(2026, 11, 20))
    world.action(plan, ANN, title="Still open", due=date(2026, 11, 20))
    clock.set(MONDAY_9)
    runner.run("nudges")
    [nudge] = sent_messages(standin, ANN)
    [done] = [
        element
        for block in nudge["blocks"]
        if block.get("block_id") == "nudge-A-1-buttons"
        for element in block["elements"]
        if element["action_id"] == "action_done"
    ]
    bot_server.reply_to(
        bot_server.click(
            "action_done", done["value"], user_id=ANN, channel_id="D0ANN", message=nudge
        )
    )
    clock.set(at("2026-11-24T09:00"))
    runner.run("nudges")
    text = message_text(sent_messages(standin, ANN)[-1])
    assert "Still open" in text and "Finished today" not in text
