"""The weekly digest to the board channel: success first, then progress, attention, feedback."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import Engine

from bot.jobs import JobRunner
from governance.database import UnitOfWork
from governance.jobs.digest import compose_digest
from governance.models import Plan
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, at, block_ids, sent_messages
from tests.queries import queries_run
from tests.slack_faults import FaultyStandin
from tests.slack_harness import assert_valid_blocks

ANN = "U0ANN"
BOB = "U0BOB"
DIGEST_TIME = "2026-11-23T09:00"  # Monday


def digest_at(runner: JobRunner, standin: FaultyStandin, clock: Clock, when: str) -> list[Any]:
    before = len(sent_messages(standin, BOARD))
    clock.set(at(when))
    runner.run("digest")
    return sent_messages(standin, BOARD)[before:]


def section(message: dict[str, Any], block_id: str) -> str:
    [block] = [b for b in message["blocks"] if b.get("block_id") == block_id]
    return str(block["text"]["text"] if "text" in block else block["elements"][0]["text"])


def test_the_digest_celebrates_success_first_then_progress_attention_and_feedback(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-10T10:00"))
    plan = world.plan()
    world.win(plan, "An old win from before the period")
    world.action(
        plan, BOB, title="Finished long ago", status="done", completed=at("2026-11-10T10:00")
    )
    digest_at(runner, standin, clock, "2026-11-16T09:00")
    clock.set(at("2026-11-18T10:00"))
    world.win(plan, "Twenty new HCAs started", people=(ANN,), function=2)
    world.action(
        plan,
        BOB,
        title="Launch the wellbeing hub",
        function=1,
        status="done",
        progress=100,
        completed=at("2026-11-19T10:00"),
    )
    world.action(plan, ANN, title="Mental health first aiders", function=1, progress=40)
    world.action(
        plan,
        ANN,
        title="International recruitment",
        function=2,
        status="off-track",
        due=date(2026, 11, 1),
        progress=20,
    )
    world.action(plan, ANN, title="Dropped idea", function=3, status="cancelled")
    world.action(plan, None, title="Unfiled work", status="not-started")
    world.risk(plan, ANN, title="Agency spend", likelihood=4, impact=5)
    world.risk(plan, ANN, title="Retention", likelihood=3, impact=5)
    world.risk(plan, ANN, title="High not extreme", likelihood=3, impact=4)
    world.risk(plan, ANN, title="Closed extreme", likelihood=5, impact=5, status="closed")
    world.challenge(plan, "A-4", "Why is recruitment red?")
    for _ in range(3):
        world.feedback(plan, "staff", function=1)
    for _ in range(12):
        world.feedback(plan, "service-user", function=2)
    for _ in range(11):
        world.feedback(plan, "carer", function=2)
    world.feedback(
        plan, "service-user", text="Parking at the hub is hard", answer="We agreed staff permits"
    )

    [digest] = digest_at(runner, standin, clock, DIGEST_TIME)

    assert_valid_blocks(digest)
    ids = block_ids(digest)
    assert ids[:6] == [
        "digest-header",
        "digest-period",
        "digest-wins",
        "digest-completed",
        "",
        "digest-progress",
    ]
    assert (
        ids.index("digest-attention") < ids.index("digest-risks") < ids.index("digest-challenges")
    )
    assert (
        ids.index("digest-challenges") < ids.index("digest-feedback") < ids.index("digest-footer")
    )
    assert "week 2026-W48" in section(digest, "digest-period")

    wins = section(digest, "digest-wins")
    assert "*Celebrating success: 1 win*" in wins
    assert "*W-2* Twenty new HCAs started — thanks to <@U0ANN>" in wins
    assert "old win" not in wins
    completed = section(digest, "digest-completed")
    assert "*Completed: 1 action*" in completed
    assert "*A-2* Launch the wellbeing hub — <@U0BOB>" in completed

    wellbeing = section(digest, "digest-function-wellbeing")
    assert "Green 1" in wellbeing and "Blue 1" in wellbeing and "*70% complete*" in wellbeing
    supply = section(digest, "digest-function-supply")
    assert "Red 1" in supply and "*20% complete*" in supply and "Gap" not in supply
    assert "Gap: no active work" in section(digest, "digest-function-inclusion")
    assert "No actions yet." in section(digest, "digest-function-planning")
    assert "Not started 1" in section(digest, "digest-function-none")
    gaps = section(digest, "digest-gaps")
    assert "8 people functions with no active work" in gaps and "3. inclusion" in gaps

    attention = section(digest, "digest-attention")
    assert "*Needs attention: 1 overdue, 1 red*" in attention
    assert "*A-4* International recruitment — <@U0ANN>" in attention
    assert "overdue since Sun 1 Nov 2026" in attention
    risks = section(digest, "digest-risks")
    assert "*Extreme risks (scored 15 or more): 2*" in risks
    assert risks.index("Agency spend") < risks.index("Retention")
    assert "High not extreme" not in risks and "Closed extreme" not in risks
    challenges = section(digest, "digest-challenges")
    assert "*Open challenges: 1*" in challenges and "Why is recruitment red?" in challenges

    feedback = section(digest, "digest-feedback")
    assert "*Feedback: 27*" in feedback
    assert "Frontline staff fewer than 11" in feedback
    assert "Service user 13" in feedback
    assert "wellbeing fewer than 11" in feedback
    said = section(digest, "digest-said-F-27")
    assert "“Parking at the hub is hard”" in said and "*We did:* We agreed staff permits" in said


def test_small_feedback_groups_show_only_as_fewer_than_the_plans_threshold(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    plan = world.plan(anonymity_threshold=5)
    for source, count in (("staff", 4), ("carer", 6), ("service-user", 7)):
        for _ in range(count):
            world.feedback(plan, source)
    [digest] = digest_at(runner, standin, clock, DIGEST_TIME)
    feedback = section(digest, "digest-feedback")
    assert "Frontline staff fewer than 5" in feedback
    assert "Service user 7" in feedback
    assert "Frontline staff 4" not in feedback
    # Withholding only the staff count would let it be worked out from the total.
    assert "Carer withheld" in feedback
    assert "smaller than 5 are shown only as “fewer than 5”" in section(digest, "digest-footer")


def test_a_digest_with_little_feedback_hides_even_the_total(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    plan = world.plan()
    world.feedback(plan, "carer", function=4)
    [digest] = digest_at(runner, standin, clock, DIGEST_TIME)
    feedback = section(digest, "digest-feedback")
    assert "*Feedback: fewer than 11*" in feedback
    assert "Carer fewer than 11" in feedback and "leadership fewer than 11" in feedback
    assert "Carer 1" not in feedback and "leadership 1" not in feedback


def test_the_digest_posts_once_a_week_at_the_plans_day_and_time(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    world.plan()
    world.plan("A plan with no board yet", channel="C0OTHER", board=None)
    assert digest_at(runner, standin, clock, "2026-11-23T08:59") == []
    assert len(digest_at(runner, standin, clock, "2026-11-23T09:00")) == 1
    for later in ("2026-11-23T09:15", "2026-11-25T12:00", "2026-11-29T23:59"):
        assert digest_at(runner, standin, clock, later) == []
    assert len(digest_at(runner, standin, clock, "2026-11-30T09:00")) == 1
    assert len(sent_messages(standin)) == 2


def test_the_digest_follows_the_plans_digest_setting_in_its_timezone(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    world.plan(digest_weekday=3, digest_time=time(16, 30), timezone="America/New_York")
    assert digest_at(runner, standin, clock, "2026-11-26T16:30") == []  # 11:30 in New York
    assert digest_at(runner, standin, clock, "2026-11-26T21:29") == []
    assert len(digest_at(runner, standin, clock, "2026-11-26T21:30")) == 1


def test_each_digest_covers_the_time_since_the_last(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-20T10:00"))
    plan = world.plan()
    world.win(plan, "First week's win")
    [first] = digest_at(runner, standin, clock, DIGEST_TIME)
    assert "Since the plan was set up: Fri 20 Nov 2026" in section(first, "digest-period")
    clock.set(at("2026-11-25T10:00"))
    world.win(plan, "Second week's win")
    world.action(
        plan, ANN, title="Closed this week", status="done", completed=at("2026-11-26T10:00")
    )
    [second] = digest_at(runner, standin, clock, "2026-11-30T09:00")
    wins = section(second, "digest-wins")
    assert "Second week's win" in wins and "First week's win" not in wins
    assert "Since the last digest: Mon 23 Nov 2026 to Mon 30 Nov 2026" in section(
        second, "digest-period"
    )
    assert "Closed this week" in section(second, "digest-completed")


def test_the_first_digest_covers_everything_since_the_plan_was_set_up(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-12-01T10:00"))
    plan = world.plan()
    world.win(plan, "Ten nursing associates qualified", people=(ANN,))
    world.action(plan, BOB, title="Open the staff hub", status="done", completed=clock())
    world.feedback(
        plan, "service-user", text="Parking at the hub is hard", answer="We agreed staff permits"
    )

    [first] = digest_at(runner, standin, clock, "2026-12-14T09:00")

    assert "Since the plan was set up: Tue 1 Dec 2026" in section(first, "digest-period")
    wins = section(first, "digest-wins")
    assert "*Celebrating success: 1 win*" in wins and "Ten nursing associates qualified" in wins
    assert "Open the staff hub" in section(first, "digest-completed")
    assert "*We did:* We agreed staff permits" in section(first, "digest-said-F-1")


def test_the_chart_is_uploaded_with_the_digest(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    plan = world.plan()
    world.action(plan, ANN, function=1, status="on-track")
    digest_at(runner, standin, clock, DIGEST_TIME)
    [url] = standin.calls_to("files.getUploadURLExternal")
    assert url.params["filename"] == "digest-2026-W48.png"
    assert "wellbeing: 1 Green (on track)" in url.params["alt_txt"]
    [upload] = standin.calls_to("upload")
    assert upload.body.startswith(b"\x89PNG\r\n\x1a\n")
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == BOARD


def test_the_digest_still_posts_once_when_the_chart_upload_fails(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    world.plan()
    standin.fail("files.getUploadURLExternal", status=400)
    assert len(digest_at(runner, standin, clock, DIGEST_TIME)) == 1
    assert standin.calls_to("files.completeUploadExternal") == []
    assert digest_at(runner, standin, clock, "2026-11-23T09:15") == []


def test_a_very_large_plan_is_summarised_within_block_kit_limits(
    world: World, runner: JobRunner, standin: FaultyStandin, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    plan = world.plan()
    long = "x" * 185
    for n in range(120):
        world.action(
            plan,
            ANN,
            title=f"Overdue {n} {long}",
            function=1 + n % 10,
            status="off-track",
            due=date(2026, 11, 1),
        )
        world.action(
            plan, BOB, title=f"Done {n} {long}", status="done", completed=at("2026-11-19T10:00")
        )
    for n in range(30):
        world.win(plan, f"Win {n} " + "y" * 2900, people=tuple(f"U0P{i}" for i in range(20)))
        world.risk(plan, ANN, title=f"Risk {n} {long}", likelihood=5, impact=5)
        world.challenge(plan, f"A-{n + 1}", "Why? " + "z" * 2900)
        world.feedback(plan, "staff", text="f" * 3000, answer="a" * 3000)
    [digest] = digest_at(runner, standin, clock, DIGEST_TIME)
    assert len(digest["blocks"]) <= 50
    assert_valid_blocks(digest)
    for block in digest["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert "…and 22 more" in section(digest, "digest-wins")
    assert "…and 112 more" in section(digest, "digest-completed")
    assert "*Needs attention: 120 overdue, 120 red*" in section(digest, "digest-attention")
    footer = section(digest, "digest-footer")
    assert "25 more answers to feedback" in footer
    assert "`/plan export actions`" in footer


def test_composing_the_digest_takes_the_same_queries_however_large_the_plan(
    world: World, uow: UnitOfWork, engine: Engine, clock: Clock
) -> None:
    clock.set(at("2026-11-18T10:00"))
    small = world.plan("Small", channel="C0SMALL")
    large = world.plan("Large", channel="C0LARGE")
    for plan, size in ((small, 2), (large, 60)):
        for n in range(size):
            world.action(
                plan, ANN, function=1 + n % 10, status="done", completed=at("2026-11-19T10:00")
            )
            world.action(plan, ANN, status="off-track", due=date(2026, 11, 1))
            world.win(plan, f"Win {n}", people=(ANN, BOB), function=2)
            world.risk(plan, ANN, likelihood=5, impact=4)
            world.challenge(plan, f"A-{n + 1}", "Why?")
            world.feedback(plan, "staff", function=n % 10 + 1, answer="Done")

    def statements(plan_id: int) -> int:
        def compose() -> None:
            with uow.transaction() as session:
                plan = session.get(Plan, plan_id)
                compose_digest(session, plan, at(DIGEST_TIME))

        return queries_run(engine, compose)

    assert statements(small) == statements(large)
