"""Decisions `D-<n>` driven over signed HTTP as Slack sends them: a member proposes a decision
informed by the plan's evidence, a chair agrees it at a forum, the digest shows it under
Decided and another under Decisions needed; bad references are refused naming what exists;
two chairs agreeing at once record one outcome."""

from __future__ import annotations

import csv
import io
import json
from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.decisions.inputs import DecisionDecide, DecisionPropose
from governance.decisions.models import Decision, DecisionLink
from governance.decisions.use_cases import AlreadyDecided, decide, propose_decision
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner, Role
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks
from tests.test_concurrency import all_at_once

PRIYA = "U0PRIYA"  # the board's chair
CHRIS = "U0CHRIS"  # a second chair
OWEN = "U0OWEN"  # a member


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """Alice leads a plan with a partner; Priya and Chris chair its board; Owen is a member."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
        session.add(Role(plan_id=plan.id, user_id=PRIYA, role="chair"))
        session.add(Role(plan_id=plan.id, user_id=CHRIS, role="chair"))
    return plan.id


def decision(bot: BotServer, text: str, user: str = OWEN) -> dict[str, Any]:
    reply = bot.slash_reply("/decision", text, user_id=user)
    assert_valid_blocks(reply)
    return reply


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def stored(uow: UnitOfWork) -> list[Decision]:
    with uow.transaction() as session:
        return list(session.scalars(select(Decision).order_by(Decision.number)))


def test_a_member_proposes_the_chair_agrees_and_the_digest_shows_decided_and_needed(
    bot_server: BotServer, uow: UnitOfWork, clock: Clock, plan_id: int
) -> None:
    bot_server.slash_reply("/risk", 'add "Winter pressures" likelihood:4 impact:5')
    proposed = decision(
        bot_server,
        'propose "Fund 20 rotational posts" "Across acute and community" '
        'because:"Vacancies are driving agency spend" informed-by:R-1 '
        'affects:"Devon County Council"',
    )
    assert proposed["response_type"] == "in_channel"
    assert "D-1 proposed: Fund 20 rotational posts" in proposed["text"]
    decision(bot_server, 'propose "Pool the bank staff" because:"One workforce"')

    agreed = decision(
        bot_server, 'agree D-1 "Subject to funding" forum:"People Board 12 Jan"', PRIYA
    )
    assert agreed["response_type"] == "in_channel"
    assert f"D-1 agreed by <@{PRIYA}>" in shown(agreed)
    assert "at People Board 12 Jan" in shown(agreed)

    story = shown(decision(bot_server, "show D-1"))
    assert f"<@{OWEN}>" in story  # proposed by
    assert "Vacancies are driving agency spend" in story
    assert "*R-1* Winter pressures — L4 × I5 = 20 Extreme · open" in story
    assert "Devon County Council — council" in story
    assert "Subject to funding" in story

    clock.advance(hours=1)
    digest = bot_server.slash_reply("/plan", "digest", user_id=ALICE)
    assert_valid_blocks(digest)
    blocks = digest["blocks"]
    section = {b.get("block_id"): b["text"]["text"] for b in blocks if b["type"] == "section"}
    assert "*Decided: 1*" in section["digest-decided"]
    assert "*D-1* Fund 20 rotational posts" in section["digest-decided"]
    assert "People Board 12 Jan" in section["digest-decided"]
    assert "*Decisions needed: 1*" in section["digest-decisions-needed"]
    assert "*D-2* Pool the bank staff" in section["digest-decisions-needed"]

    with uow.transaction() as session:
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "decision").order_by(AuditEntry.id)
        ).all()
        assert [(e.ref, e.verb, e.actor_id) for e in audited] == [
            ("D-1", "propose", OWEN),
            ("D-2", "propose", OWEN),
            ("D-1", "agree", PRIYA),
        ]
        assert audited[0].detail["informed_by"] == ["R-1"]
        assert audited[0].detail["affects"] == ["Devon County Council"]
        assert audited[2].detail["forum"] == "People Board 12 Jan"


def test_bad_references_are_refused_naming_what_exists_and_nothing_is_stored(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    bot_server.slash_reply("/risk", 'add "Winter pressures" likelihood:4 impact:5')
    refusals = {
        'propose "X" informed-by:R-99': "There is no R-99 in this plan. Its risks are R-1.",
        'propose "X" informed-by:M-1': "There is no M-1 in this plan. It has no measures yet.",
        'propose "X" informed-by:A-1': "it takes measures (M-), risks (R-), issues (I-) and",
        'propose "X" informed-by:I-2': "There is no I-2 in this plan. It has no issues yet.",
        'propose "X" affects:A-99': "There is no A-99 in this plan. It has no actions yet.",
        'propose "X" affects:"Nowhere Trust"': "is not a partner in this plan",
        'propose "X" supersedes:D-1': "There is no D-1 in this plan. It has no decisions yet.",
        "show D-99": "There is no D-99 in this plan.",
        "agree D-99": "There is no D-99 in this plan.",
    }
    for text, refusal in refusals.items():
        reply = decision(bot_server, text, PRIYA)
        assert refusal in shown(reply), (text, shown(reply))
        assert "How to use" in shown(reply) or "/decision" in shown(reply)
    assert stored(uow) == []


def test_only_chairs_and_leads_decide_and_a_deferral_needs_a_later_date(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    decision(bot_server, 'propose "Pool the bank staff"')
    assert "Only the plan's leads and chairs can agree a decision" in shown(
        decision(bot_server, "agree D-1", OWEN)
    )
    assert "needs a date" in shown(decision(bot_server, "defer D-1", PRIYA))
    assert "isn't after today" in shown(decision(bot_server, "defer D-1 until:2026-11-01", PRIYA))
    deferred = decision(bot_server, 'defer D-1 until:2027-01-12 forum:"People Board"', PRIYA)
    assert "Deferred until Tue 12 Jan 2027" in shown(deferred)
    # Still the board's to decide: listed as awaiting, and agreed later.
    assert "*D-1* Pool the bank staff" in shown(decision(bot_server, "list"))
    decision(bot_server, "agree D-1", ALICE)
    assert [d.status for d in stored(uow)] == ["agreed"]
    again = decision(bot_server, "reject D-1", PRIYA)
    assert "D-1 was already agreed" in shown(again)
    assert [d.status for d in stored(uow)] == ["agreed"]


def test_a_later_decision_supersedes_an_agreed_one_and_both_show_the_link(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    decision(bot_server, 'propose "Pay bank staff weekly"')
    decision(bot_server, "agree D-1", PRIYA)
    decision(bot_server, 'propose "Pay bank staff fortnightly" supersedes:D-1')
    assert "Proposed to supersede it: *D-2*" in shown(decision(bot_server, "show D-1"))
    refused = decision(bot_server, 'propose "Pay monthly" supersedes:D-2')
    assert "D-2 is proposed, not agreed, so there is nothing to supersede" in shown(refused)
    decision(bot_server, "agree D-2", PRIYA)
    assert "Superseded by *D-2*" in shown(decision(bot_server, "show D-1"))
    assert "Supersedes *D-1* Pay bank staff weekly" in shown(decision(bot_server, "show D-2"))
    assert "superseded by D-2" in shown(decision(bot_server, "list agreed"))

    bot_server.standin.reset()
    bot_server.slash_reply("/plan", "export decisions", user_id=OWEN)
    upload = bot_server.standin.wait_for_calls("upload")[0]
    rows = list(csv.DictReader(io.StringIO(upload.body.decode("utf-8-sig"))))
    assert [(r["Ref"], r["Status"], r["Supersedes"], r["Superseded by"]) for r in rows] == [
        ("D-1", "agreed", "", "D-2"),
        ("D-2", "agreed", "D-1", ""),
    ]


def test_a_decision_informed_by_a_measure_shows_its_latest_spc_reading(
    bot_server: BotServer, plan_id: int
) -> None:
    bot_server.slash_reply("/measure", "add preset:vacancy-rate", user_id=ALICE)
    for month, value in (("2026-08", 8.1), ("2026-09", 8.4), ("2026-10", 9.2)):
        bot_server.slash_reply("/measure", f"record M-1 {value} period:{month}", user_id=ALICE)
    decision(bot_server, 'propose "Open a nursing academy" informed-by:M-1')
    story = shown(decision(bot_server, "show D-1"))
    assert "*M-1* Vacancy rate — 9.2% (Oct 2026) · common cause" in story


def test_the_propose_form_records_a_decision_or_shows_the_refusal_beside_its_input(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    form = bot_server.open_form("/decision", user_id=OWEN)
    assert form["callback_id"] == "decision_propose"
    refused = bot_server.submit(
        "decision_propose",
        {"title": "Pool the bank staff", "informed_by": "R-7"},
        private_metadata=form["private_metadata"],
        user_id=OWEN,
    )
    answer = refused.json()
    assert answer["response_action"] == "errors"
    assert "There is no R-7" in answer["errors"]["informed_by"]
    assert stored(uow) == []
    accepted = bot_server.submit(
        "decision_propose",
        {
            "title": "Pool the bank staff",
            "reasons": "One workforce",
            "affects": '"Devon County Council"',
        },
        private_metadata=form["private_metadata"],
        user_id=OWEN,
    )
    assert accepted.status == 200 and accepted.body == b""
    posted = bot_server.standin.wait_for_calls("chat.postMessage")[0].params
    assert "D-1 proposed: Pool the bank staff" in posted["text"]
    (made,) = stored(uow)
    assert (made.reasons, made.proposed_by) == ("One workforce", OWEN)


def test_a_chairs_app_home_lists_the_decisions_awaiting_the_board(
    bot_server: BotServer, plan_id: int
) -> None:
    decision(bot_server, 'propose "Pool the bank staff"')
    for person in (PRIYA, OWEN):
        bot_server.event({"type": "app_home_opened", "user": person, "tab": "home"})
    published = {
        call.params["user_id"]: shown(
            json.loads(call.params["view"])
            if isinstance(call.params["view"], str)
            else call.params["view"]
        )
        for call in bot_server.standin.wait_for_calls("views.publish", 2)
    }
    chair, member = published[PRIYA], published[OWEN]
    assert "Decisions awaiting the board* (1)" in chair and "*D-1* Pool the bank staff" in chair
    assert "Decisions awaiting the board" not in member


def test_two_chairs_agreeing_at_once_record_one_outcome_and_the_other_is_told(
    uow: UnitOfWork, plan_id: int
) -> None:
    owen, priya, chris = (Actor(TEAM_ID, who, CHANNEL) for who in (OWEN, PRIYA, CHRIS))
    propose_decision(uow, owen, validate(DecisionPropose, title="Pool the bank staff"))
    outcomes = all_at_once(
        [
            partial(decide, uow, priya, validate(DecisionDecide, number="D-1", outcome="agree")),
            partial(decide, uow, chris, validate(DecisionDecide, number="D-1", outcome="reject")),
        ]
    )
    refused = [o for o in outcomes if isinstance(o, AlreadyDecided)]
    assert len(refused) == 1, outcomes
    (made,) = stored(uow)
    assert made.status in ("agreed", "rejected")
    assert f"D-1 was already {made.status}" in refused[0].message
    assert refused[0].current.decided_by == made.decided_by
    with uow.transaction() as session:
        taken = session.scalars(
            select(AuditEntry.verb).where(AuditEntry.verb.in_(["agree", "reject"]))
        ).all()
        assert len(taken) == 1
        assert session.scalars(select(DecisionLink)).all() == []


def test_a_decision_informed_by_an_issue_shows_the_issue_as_it_stands(
    bot_server: BotServer, plan_id: int
) -> None:
    bot_server.slash_reply("/risk", 'add "Agency cover" likelihood:4 impact:4')
    bot_server.slash_reply("/risk", 'materialise R-1 "Agency cancelled 30 night shifts"')
    decision(bot_server, 'propose "Block-book agency nurses" informed-by:I-1', OWEN)
    shown_now = shown(decision(bot_server, "show D-1", OWEN))
    assert "I-1" in shown_now and "Agency cover" in shown_now
    assert "severity 4 major · open" in shown_now
