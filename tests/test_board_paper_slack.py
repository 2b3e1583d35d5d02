"""`/plan report` over signed HTTP as Slack sends it: the paper made after the answer, sent
privately as a PDF (files upload v2) or posted to the board channel, and on the plan's
schedule once per month however many passes or replicas run."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from pypdf import PdfReader

from bot.jobs import JobRunner
from governance.database import UnitOfWork
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, at, message_text
from tests.slack_faults import FaultyStandin
from tests.slack_harness import ALICE, BotServer, assert_valid_blocks

BOB = "U0BOB"
WAIT = 60.0  # making a PDF takes seconds on a loaded machine


def report(bot: BotServer, text: str = "report", user_id: str = ALICE) -> list[dict[str, Any]]:
    """The answers to `/plan <text>`: "making your paper…", then what replaced it."""
    sent = bot.slash("/plan", text, user_id=user_id)
    assert sent.status == 200 and sent.result.body == b""
    answers = bot.standin.wait_for(
        lambda: (found := bot.standin.responses(sent.response_name)) and len(found) >= 2 and found,
        WAIT,
    )
    for answer in answers:
        assert_valid_blocks(answer)
    return answers


def uploaded_pdf(standin: FaultyStandin) -> tuple[str, dict[str, Any], str]:
    """The one PDF uploaded: its channel, its upload's details, and its text."""
    (upload,) = standin.calls_to("upload")
    (complete,) = standin.calls_to("files.completeUploadExternal")
    assert upload.body.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(upload.body)).pages)
    return complete.params["channel_id"], complete.params, text


def a_plan_with_a_month(world: World, clock: Clock) -> int:
    clock.set(at("2026-10-20T10:00"))
    plan = world.plan(lead=ALICE, anonymity_threshold=5)
    world.role(plan, "U0DATA", "data-lead")
    clock.set(at("2026-11-10T10:00"))
    world.action(
        plan, BOB, title="International recruitment", status="off-track", due=date(2026, 11, 1)
    )
    world.risk(plan, BOB, title="Agency spend above cap", likelihood=4, impact=5)
    world.win(plan, "Twenty new healthcare support workers started")
    for _ in range(5):
        world.feedback(
            plan, "staff", function=1, text="Rotas out late", answer="Rotas 6 weeks ahead"
        )
    return plan


def test_a_member_asks_and_gets_the_paper_privately_without_feedback_text(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock
) -> None:
    a_plan_with_a_month(world, clock)
    clock.set(at("2026-12-02T09:00"))
    making, ready = report(bot_server, "report month:2026-11", user_id=BOB)
    assert making["text"] == "Making your paper… it takes a few seconds."
    assert making["response_type"] == "ephemeral"
    assert ready["replace_original"] is True
    assert "The board paper of *Wessex Vale ICS workforce plan* for November 2026 is in your" in (
        message_text(ready)
    )
    assert "Feedback text is left out" in message_text(ready)
    channel, complete, text = uploaded_pdf(standin)
    assert channel == "D0BOB"  # the asker's DM with govbot
    assert (
        complete["files"][0]["title"]
        == "Wessex Vale ICS workforce plan: board paper, November 2026"
    )
    assert "Agency spend above cap" in text and "Twenty new healthcare support workers" in text
    assert "Frontline staff 5" in text
    assert "Rotas out late" not in text and "Feedback text is left out of this copy" in text
    # Owners are named as Slack knows them (the stand-in calls U0BOB "User U0BOB").
    assert "Owner: User U0BOB;" in text


def test_a_data_lead_gets_the_feedback_text_and_this_months_paper_is_a_draft(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock
) -> None:
    a_plan_with_a_month(world, clock)
    clock.set(at("2026-11-20T09:00"))
    _, ready = report(bot_server, user_id="U0DATA")
    assert "for November 2026 (draft: the month has not ended)" in message_text(ready)
    _, _, text = uploaded_pdf(standin)
    assert "DRAFT" in text
    assert "You said: Rotas out late" in text and "We did: Rotas 6 weeks ahead" in text


def test_a_lead_posts_the_paper_to_the_board_channel_once(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock
) -> None:
    a_plan_with_a_month(world, clock)
    clock.set(at("2026-12-02T09:00"))
    _, ready = report(bot_server, "report post month:2026-11")
    assert "is posted to <#C0BOARD>" in message_text(ready)
    channel, complete, text = uploaded_pdf(standin)
    assert channel == BOARD and complete["initial_comment"] == "The board paper for November 2026."
    assert "You said: Rotas out late" in text
    _, again = report(bot_server, "report post month:2026-11")
    assert again["text"] == "The paper was posted a moment ago; it isn't posted twice."
    assert len(standin.calls_to("upload")) == 1


def test_refusals_replace_the_making_message_with_the_form(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock
) -> None:
    a_plan_with_a_month(world, clock)
    clock.set(at("2026-12-02T09:00"))
    _, refused = report(bot_server, "report post", user_id=BOB)
    assert "Only the plan's leads and chairs can post the board paper." in message_text(refused)
    assert "/plan report [month:2026-11] [post]" in message_text(refused)
    assert refused["replace_original"] is True
    _, refused = report(bot_server, "report month:2027-02")
    assert "February 2027 hasn't begun yet, so it has no paper." in message_text(refused)
    reply = bot_server.slash_reply("/plan", "report monthly")
    assert "`report` takes nothing or `post`" in message_text(reply)
    reply = bot_server.slash_reply("/plan", "report month:last")
    assert "“last” is not a month." in message_text(reply)
    assert standin.calls_to("upload") == []


def test_a_lead_schedules_the_paper_and_it_is_posted_once_a_month(
    world: World, bot_server: BotServer, standin: FaultyStandin, clock: Clock, uow: UnitOfWork
) -> None:
    a_plan_with_a_month(world, clock)
    reply = bot_server.slash_reply("/plan", "settings report:first-mon@08:00")
    assert "Changed: report." in message_text(reply)
    assert "Board paper: first-mon@08:00" in message_text(reply)
    refused = bot_server.slash_reply("/plan", "settings report:monthly")
    assert "needs a week, a day and a time, like first-mon@08:00" in message_text(refused)

    first = JobRunner(uow, bot_server.app.client)
    second = JobRunner(uow, bot_server.app.client)  # another replica
    clock.set(at("2026-12-07T07:59"))  # Monday 7 December, the first Monday, 07:59 in London
    assert first.run("report").sent == []
    clock.set(at("2026-12-07T08:00"))
    assert first.run("report").sent == [BOARD]
    assert second.run("report").sent == []
    clock.set(at("2026-12-20T08:00"))
    assert JobRunner(uow, bot_server.app.client).run("report").sent == []  # after a restart
    channel, complete, text = uploaded_pdf(standin)
    assert channel == BOARD and complete["files"][0]["title"].endswith("November 2026")
    clock.set(at("2027-01-04T08:00"))
    assert first.run("report").sent == [BOARD]
    assert len(standin.calls_to("upload")) == 2
