"""Issues `I-<n>` over signed HTTP as Slack sends them: a risk that has happened is
materialised into an issue, both show the link, and the issue reaches its owner's nudge, App
Home and the digest; issues added, listed, updated and resolved by command and form; bad input
refused with the right form; an issue open too long goes to the leads once; the CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.console.slack_standin import SlackStandin
from bot.jobs import JobRunner
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.issues.models import Issue, IssueHistoryEntry
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner, Role
from governance.plans.use_cases import setup_plan
from governance.risks.models import Risk
from tests.conftest import Clock
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

OWEN = "U0OWEN"
BOB = "U0BOB"
SHARE = '"Devon County Council"=60,"Royal Devon University Healthcare"=40'


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    """Alice leads a plan in the harness channel with two partners; Owen and Bob are members."""
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Devon County Council", sector="council"))
        session.add(
            Partner(plan_id=plan.id, name="Royal Devon University Healthcare", sector="nhs")
        )
        session.add(Role(plan_id=plan.id, user_id=OWEN, role="member"))
        session.add(Role(plan_id=plan.id, user_id=BOB, role="member"))
    return plan.id


def answer(bot: BotServer, command: str, text: str, user_id: str = OWEN) -> dict[str, Any]:
    reply = bot.slash_reply(command, text, user_id=user_id)
    assert_valid_blocks(reply)
    return reply


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def posted_to(standin: SlackStandin, channel: str) -> list[dict[str, Any]]:
    return [
        c.params for c in standin.calls_to("chat.postMessage") if c.params["channel"] == channel
    ]


def blocks_of(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def test_a_risk_that_happens_becomes_an_issue_that_both_link_and_every_surface_shows(
    bot_server: BotServer,
    runner: JobRunner,
    standin: SlackStandin,
    uow: UnitOfWork,
    clock: Clock,
    plan_id: int,
) -> None:
    answer(
        bot_server,
        "/risk",
        f'add "Agency nurse supply fails" likelihood:4 impact:major share:{SHARE} '
        'lead:"Royal Devon" function:supply',
    )
    happened = answer(bot_server, "/risk", 'materialise R-1 "Agency cancelled 30 night shifts"')
    assert happened["response_type"] == "in_channel"
    assert "I-1" in happened["text"] and "R-1 has happened" in shown(happened)

    with uow.transaction() as session:
        risk = session.scalars(select(Risk)).one()
        issue = session.scalars(select(Issue)).one()
        assert (risk.status, risk.close_note) == (
            "closed",
            "Materialised as I-1: Agency cancelled 30 night shifts",
        )
        assert (issue.owner_id, issue.function_id, issue.severity, issue.risk_id) == (
            OWEN,
            2,
            4,
            risk.id,
        )
        assert sorted((p.partner.name, p.percent, p.is_lead) for p in issue.partners) == [
            ("Devon County Council", 60, False),
            ("Royal Devon University Healthcare", 40, True),
        ]
        [entry] = session.scalars(select(IssueHistoryEntry)).all()
        assert (entry.event, entry.changes, entry.note) == (
            "materialised",
            {"risk": ["R-1", "I-1"]},
            "Agency cancelled 30 night shifts",
        )
        verbs = session.execute(
            select(AuditEntry.ref, AuditEntry.verb).where(AuditEntry.ref.in_(["R-1", "I-1"]))
        ).all()
        assert set(verbs) == {("R-1", "add"), ("R-1", "materialise"), ("I-1", "add")}

    risk_card = shown(answer(bot_server, "/risk", "show R-1"))
    assert "now issue *I-1*" in risk_card and "/issue show I-1" in risk_card
    assert "became *I-1*" in shown(answer(bot_server, "/risk", "list all"))
    issue_card = shown(answer(bot_server, "/issue", "show I-1"))
    assert "*R-1* (closed when it happened)" in issue_card
    assert "Royal Devon University Healthcare: *40%* of the risk share — lead" in issue_card
    assert "*Severity*\\n4 (major)" in issue_card
    assert "materialised from risk *R-1*" in issue_card
    assert "Growing the workforce for the future" in issue_card

    again = answer(bot_server, "/risk", "materialise R-1")
    assert "R-1 is closed already: it became I-1." in again["text"]
    with uow.transaction() as session:
        assert len(session.scalars(select(Issue)).all()) == 1

    # Tuesday at 09:30 in London: Owen's nudge lists the open issue.
    standin.reset()
    clock.set(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    runner.run("nudges")
    [nudge] = posted_to(standin, OWEN)
    assert_valid_blocks(nudge)
    issues = next(b for b in blocks_of(nudge) if b.get("block_id") == "nudge-issues")
    assert "*I-1* Agency nurse supply fails · severity 4 (major) · open 1 day" in shown(issues)

    # App Home.
    standin.reset()
    bot_server.event({"type": "app_home_opened", "user": OWEN, "tab": "home"})
    home = standin.wait_for_calls("views.publish")[0].params["view"]
    home = json.loads(home) if isinstance(home, str) else home
    assert_valid_blocks(home)
    assert "*Your open issues* (1)" in shown(home) and "was R-1" in shown(home)

    # The digest, by severity (its preview: the digest as it would be posted now).
    answer(bot_server, "/issue", 'add "Payroll error at the council" severity:2', user_id=BOB)
    digest = answer(bot_server, "/plan", "digest", user_id=ALICE)
    section = next(b for b in digest["blocks"] if b.get("block_id") == "digest-issues")
    text = section["text"]["text"]
    assert "*Open issues: 2*" in text and "was risk R-1" in text
    assert text.index("I-1") < text.index("I-2")


def test_issues_are_added_listed_updated_and_resolved_with_their_history(
    bot_server: BotServer, standin: SlackStandin, uow: UnitOfWork, plan_id: int
) -> None:
    answer(bot_server, "/action", 'add "Bank staff drive"')
    added = answer(
        bot_server,
        "/issue",
        'add "Discharge delays" severity:3 partner:"Devon County" action:A-1 '
        '"Twelve people waiting for care packages"',
    )
    assert added["response_type"] == "in_channel" and "I-1 opened" in added["text"]
    card = shown(added)
    assert "Devon County Council" in card and "*A-1* Bank staff drive" in card

    updated = answer(
        bot_server, "/issue", f'update I-1 severity:catastrophic owner:<@{BOB}> "Winter"'
    )
    assert "Severity: 3 → 5" in shown(updated)
    assigned = posted_to(standin, BOB)
    assert assigned and "You are now the owner of I-1" in assigned[0]["text"]

    listed = shown(answer(bot_server, "/issue", "list"))
    assert "*I-1* Discharge delays" in listed and "Severity 5 (catastrophic)" in listed

    refused = answer(bot_server, "/issue", 'resolve I-1 "Care packages found"', user_id=OWEN)
    assert "Only its owner or the plan's leads and chairs can resolve an issue." in refused["text"]
    resolved = answer(bot_server, "/issue", 'resolve I-1 "Care packages found"', user_id=BOB)
    assert resolved["response_type"] == "in_channel" and "I-1 resolved" in resolved["text"]
    assert "No open issues here." in shown(answer(bot_server, "/issue", "list"))
    assert "I-1" in shown(answer(bot_server, "/issue", "list resolved"))

    history = shown(answer(bot_server, "/issue", "show I-1"))
    assert "opened" in history and "updated" in history and "resolved" in history
    assert "*How it was resolved*" in history and "Care packages found" in history
    again = answer(bot_server, "/issue", "update I-1 severity:2", user_id=BOB)
    assert "I-1 is resolved already" in again["text"]
    with uow.transaction() as session:
        issue = session.scalars(select(Issue)).one()
        assert (issue.status, issue.severity, issue.owner_id, issue.version) == (
            "resolved",
            5,
            BOB,
            3,
        )
        verbs = session.scalars(select(AuditEntry.verb).where(AuditEntry.entity == "issue"))
        assert list(verbs) == ["add", "update", "resolve"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('add "Discharge delays"', "An issue needs a severity, 1 to 5."),
        ('add "Discharge delays" severity:9', "severity"),
        ('add "Discharge delays" severty:3', "Did you mean `severity:`?"),
        ('add "Discharge delays" severity:3 action:A-7', "There is no A-7 in this plan"),
        ('add "Discharge delays" severity:3 action:R-2', "R-2 is a risk"),
        ("show I-9", "There is no I-9 in this plan; it has no issues yet."),
        ("show R-2", "R-2 is a risk; this needs an issue, like I-3."),
        ("resolve I-1", "Say how it was resolved"),
        ("lst", "Did you mean `list`?"),
        ("list closed", "`closed` isn't a list I know"),
    ],
)
def test_bad_input_is_refused_with_what_was_wrong_and_the_right_form(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int, text: str, said: str
) -> None:
    refused = answer(bot_server, "/issue", text)
    assert refused["response_type"] == "ephemeral"
    assert said in shown(refused)
    assert "/issue" in shown(refused)
    with uow.transaction() as session:
        assert session.scalars(select(Issue)).all() == []


def test_a_missing_issue_is_refused_naming_the_issues_there_are(
    bot_server: BotServer, plan_id: int
) -> None:
    answer(bot_server, "/issue", 'add "Discharge delays" severity:3')
    answer(bot_server, "/issue", 'add "Payroll error" severity:2')
    refused = answer(bot_server, "/issue", "show I-7")
    assert "There is no I-7 in this plan; its issues are I-1 to I-2." in refused["text"]


def test_the_add_issue_form_opens_with_no_arguments_and_adds_the_issue(
    bot_server: BotServer, standin: SlackStandin, uow: UnitOfWork, plan_id: int
) -> None:
    answer(bot_server, "/action", 'add "Bank staff drive"')
    assert bot_server.slash("/issue", "add", user_id=OWEN).status == 200
    view = standin.wait_for_calls("views.open")[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert_valid_blocks(view)
    assert view["callback_id"] == "issue_add"
    result = bot_server.submit(
        "issue_add",
        {
            "issue_title": "Agency spend & <bank> over budget",
            "issue_severity": {"type": "static_select", "selected_option": {"value": "4"}},
            "issue_partners": {
                "type": "multi_static_select",
                "selected_options": [{"value": "Devon County Council"}],
            },
            "issue_actions": {
                "type": "multi_static_select",
                "selected_options": [{"value": "A-1"}],
            },
        },
        private_metadata=bot_server.sealed({"plan_id": plan_id}, user_id=OWEN),
        user_id=OWEN,
    )
    assert result.status == 200 and result.body == b"", result.body
    posted = standin.wait_for_calls("chat.postMessage")[0].params
    assert "I-1 opened" in posted["text"] and "&amp; &lt;bank&gt;" in posted["text"]
    assert "<bank>" not in shown(posted)
    with uow.transaction() as session:
        issue = session.scalars(select(Issue)).one()
        assert (issue.title, issue.severity, issue.owner_id) == (
            "Agency spend & <bank> over budget",
            4,
            OWEN,
        )
        assert [link.action.ref for link in issue.actions] == ["A-1"]


def test_an_issue_open_longer_than_the_leads_limit_is_escalated_to_them_once(
    bot_server: BotServer,
    runner: JobRunner,
    standin: SlackStandin,
    clock: Clock,
    plan_id: int,
) -> None:
    answer(bot_server, "/plan", f"role <@{BOB}> chair", user_id=ALICE)
    refused = answer(bot_server, "/plan", "settings issues:3d", user_id=BOB)
    assert "Only the plan's leads can change how long an issue" in refused["text"]
    settings = shown(answer(bot_server, "/plan", "settings issues:1w", user_id=ALICE))
    assert "open longer than 7 days" in settings and "`issues:7d`" in settings
    answer(bot_server, "/issue", 'add "Discharge delays" severity:3')  # Mon 23 Nov

    def escalations() -> list[dict[str, Any]]:
        return [p for p in posted_to(standin, ALICE) if "open too long" in p["text"]]

    clock.set(datetime(2026, 11, 30, 9, 30, tzinfo=UTC))  # 7 days open: not yet
    runner.run("nudges")
    assert escalations() == []
    for day in (1, 2):  # 8 and 9 days open: once
        clock.set(datetime(2026, 12, day, 9, 30, tzinfo=UTC))
        runner.run("nudges")
    [alert] = escalations()
    assert_valid_blocks(alert)
    assert "*I-1* Discharge delays" in shown(alert) and "(8 days)" in shown(alert)


def test_issues_are_exported_as_csv_with_their_partners_actions_and_risk(
    bot_server: BotServer, standin: SlackStandin, plan_id: int
) -> None:
    answer(bot_server, "/risk", f'add "Winter pressures" likelihood:4 impact:5 share:{SHARE}')
    answer(bot_server, "/risk", "materialise R-1")
    standin.reset()
    answer(bot_server, "/plan", "export issues")
    standin.wait_for_calls("files.completeUploadExternal")
    body = standin.calls_to("upload")[0].body.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert (row["Ref"], row["Status"], row["Severity"], row["Was risk"]) == (
        "I-1",
        "open",
        "5 catastrophic",
        "R-1",
    )
    assert row["Partners"] == (
        "Devon County Council 60% (lead); Royal Devon University Healthcare 40%"
    )
