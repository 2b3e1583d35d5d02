"""Workforce measures end to end, driven over signed HTTP the way Slack drives them: a data
lead adds a preset measure, records 24 months (by command and by the monthly form), reads the
SPC reading and chart, corrects a value, rebases, exports, and finds it in the digest."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from bot.console.slack_standin import SlackStandin
from bot.jobs import JobRunner
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.measures.models import MeasureCorrection, MeasureValue
from governance.measures.spc import xmr
from governance.plans.inputs import PlanSetup
from governance.plans.models import Partner, Role
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

DATA = "U0DATA"
MEMBER = "U0MEMBER"
BOARD = "C0BOARD"
# Vacancy rate (%), Nov 2024 to Oct 2026: steady near 8.5%, then 7 months above the mean.
VALUES = [
    8.4, 8.7, 8.2, 8.6, 8.9, 8.3, 8.5, 8.8, 8.1, 8.6, 8.4, 8.7,
    8.3, 8.6, 8.5, 8.2, 8.8, 9.6, 9.9, 10.1, 10.4, 10.2, 10.6, 10.9,
]  # fmt: skip
MONTHS = [f"{2024 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(24)]


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Partner(plan_id=plan.id, name="Torbay Council", sector="council"))
        session.add(Role(plan_id=plan.id, user_id=DATA, role="data-lead"))
    return plan.id


def reply(bot: BotServer, text: str, user: str = DATA) -> dict[str, Any]:
    answer = bot.slash_reply("/measure", text, user_id=user)
    assert_valid_blocks(answer)
    return answer


def shown(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


def add_vacancy_rate(bot: BotServer) -> dict[str, Any]:
    return reply(bot, 'add preset:vacancy-rate partner:"Torbay Council" target:9')


def test_a_data_lead_runs_a_measure_end_to_end(
    bot_server: BotServer, uow: UnitOfWork, clock: Clock, standin: SlackStandin, plan_id: int
) -> None:
    added = add_vacancy_rate(bot_server)
    assert added["response_type"] == "in_channel"
    assert "M-1 added: Vacancy rate (Torbay Council)" in added["text"]
    assert f"<@{DATA}>" in shown(added)  # a data lead owns it

    # The first year by command, each month named.
    for month, value in zip(MONTHS[:12], VALUES[:12], strict=True):
        recorded = reply(bot_server, f"record M-1 {value}% period:{month}")
        assert f"{value}% recorded for" in recorded["text"]

    # The second year by the monthly form, as each month's figures come in.
    for month, value in zip(MONTHS[12:], VALUES[12:], strict=True):
        year, number = (int(part) for part in month.split("-"))
        clock.set(datetime(year + number // 12, number % 12 + 1, 3, 10, tzinfo=UTC))
        standin.reset()
        sent = bot_server.slash("/measure", "", user_id=DATA)
        assert sent.status == 200
        form = standin.wait_for_calls("views.open")[0].params["view"]
        form = json.loads(form) if isinstance(form, str) else form
        assert_valid_blocks(form)
        assert [b["block_id"] for b in form["blocks"] if b["type"] == "input"] == ["M-1"]
        result = bot_server.submit(
            "measure_form",
            {"M-1": str(value)},
            private_metadata=form["private_metadata"],
            user_id=DATA,
        )
        assert result.status == 200 and result.body == b"", result.body
        posted = standin.wait_for_calls("chat.postMessage")[0].params
        assert "1 measure value recorded" in posted["text"]

    # The reading in words and emoji, and the chart uploaded after the answer.
    standin.reset()
    show = reply(bot_server, "show M-1")
    text = shown(show)
    assert "special cause concern" in text and ":large_orange_circle:" in text
    assert "10.9% (Oct 2026)" in text
    assert "not yet reliable" not in text  # 24 points
    standin.wait_for_calls("files.completeUploadExternal")
    upload = standin.calls_to("upload")[0]
    image = Image.open(io.BytesIO(upload.body))
    image.verify()
    assert image.format == "PNG" and image.size[0] >= 800

    # The digest's Workforce measures section, and one chart of the measures of concern.
    standin.reset()
    bot_server.slash_reply("/plan", f"board <#{BOARD}|board>", user_id=ALICE)
    posted = bot_server.slash_reply("/plan", "digest post", user_id=ALICE)
    assert_valid_blocks(posted)
    digest = standin.wait_for_calls("chat.postMessage")[0].params
    blocks = (
        digest["blocks"] if isinstance(digest["blocks"], list) else json.loads(digest["blocks"])
    )
    section = next(b for b in blocks if b.get("block_id") == "digest-measures")
    assert "*Workforce measures: 1*" in section["text"]["text"]
    assert "M-1" in section["text"]["text"] and "10.9% (Oct 2026)" in section["text"]["text"]
    uploads = standin.wait_for_calls("files.completeUploadExternal", count=2)
    files = [c.params["files"] for c in uploads]
    titles = [(json.loads(f) if isinstance(f, str) else f)[0]["title"] for f in files]
    assert any("Workforce measures showing special cause concern" in t for t in titles), titles
    for upload in standin.calls_to("upload"):
        Image.open(io.BytesIO(upload.body)).verify()

    # A correction shows old → new, and history and audit keep both.
    corrected = reply(bot_server, 'record M-1 8.0 period:2025-03 "ESR re-run"')
    assert "corrected 8.9% → 8%" in corrected["text"]
    with uow.transaction() as session:
        correction = session.scalars(select(MeasureCorrection)).one()
        assert (correction.old_value, correction.new_value) == (8.9, 8.0)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.verb == "correct")).one()
        assert audit.detail["before"] == 8.9 and audit.detail["after"] == 8.0
    VALUES[4] = 8.0  # the series from here on

    # Rebasing starts new limits from the period where the process changed.
    rebased = reply(bot_server, 'rebase M-1 from:2026-04 "International recruits joined"')
    assert "M-1 rebased" in rebased["text"]
    assert "Limits rebased from Apr 2026" in shown(rebased)
    assert "not yet reliable" in shown(rebased)  # 7 points since

    # The export carries the SPC module's figures, row by row.
    standin.reset()
    exported = bot_server.slash_reply("/plan", "export measures", user_id=DATA)
    assert_valid_blocks(exported)
    standin.wait_for_calls("files.completeUploadExternal")
    rows = list(csv.DictReader(io.StringIO(standin.calls_to("upload")[0].body.decode("utf-8-sig"))))
    assert [r["Period"] for r in rows] == MONTHS
    reading = xmr(VALUES, better="down", target=9, rebase_at=[MONTHS.index("2026-04")])
    for row, point in zip(rows, reading.points, strict=True):
        assert float(row["Value"]) == pytest.approx(point.value)
        assert float(row["Mean"]) == pytest.approx(point.mean, rel=1e-9)
        assert float(row["Lower process limit"]) == pytest.approx(point.lower, rel=1e-9)
        assert float(row["Upper process limit"]) == pytest.approx(point.upper, rel=1e-9)
        assert row["Variation"] == point.variation.words
    assert rows[MONTHS.index("2026-04")]["Limits rebased here"] == "yes"


def test_every_member_reads_measures_but_only_keepers_change_them(
    bot_server: BotServer, plan_id: int
) -> None:
    add_vacancy_rate(bot_server)
    refused = reply(bot_server, "record M-1 9.1 period:2026-10", user=MEMBER)
    assert "Only the plan's leads, chairs and data leads can record measure values" in shown(
        refused
    )
    assert "Only the plan's leads, chairs and data leads can add measures" in shown(
        reply(bot_server, "add preset:staff-turnover", user=MEMBER)
    )
    listed = reply(bot_server, "list", user=MEMBER)
    assert "M-1 · Vacancy rate (Torbay Council)" in shown(listed)
    assert "Nov 2026" not in shown(listed) and "Oct 2026's value is due" in shown(listed)
    assert "M-1" in reply(bot_server, "show M-1", user=MEMBER)["text"]
    # A chair records too.
    assert "recorded" in reply(bot_server, "record M-1 9.1", user=ALICE)["text"]


@pytest.mark.parametrize(
    ("typed", "said", "hint"),
    [
        ("record M-1 9.1 period:2027-01", "Jan 2027 hasn't started yet", "period:2026-10"),
        ("record M-1 lots", "“lots” isn't a number", "record M-1 9.2"),
        ("record M-1 112", "112% isn't a percentage: it must be from 0 to 100", "`9.2`"),
        ("record M-1 9.1 period:autumn", "couldn't read the period “autumn”", "period:2026-11"),
        ("record M-9 9.1", "There is no measure M-9", "/measure list"),
        ("add preset:vacancy", "There's no preset “vacancy”", "vacancy-rate"),
        ('add "Agency spend"', "A measure needs a unit, better:", "unit:%"),
    ],
)
def test_bad_input_is_refused_with_what_to_type_instead(
    bot_server: BotServer, plan_id: int, typed: str, said: str, hint: str
) -> None:
    add_vacancy_rate(bot_server)
    answer = shown(reply(bot_server, typed))
    assert said in answer and hint in answer, answer


def test_a_retired_measure_takes_no_new_values(bot_server: BotServer, plan_id: int) -> None:
    add_vacancy_rate(bot_server)
    assert "M-1 retired" in reply(bot_server, 'retire M-1 "replaced by the system measure"')["text"]
    answer = shown(reply(bot_server, "record M-1 9.1"))
    assert "M-1 is retired, so it takes no new values" in answer and "/measure add" in answer


def test_fewer_than_15_points_show_a_plain_note_that_limits_are_not_yet_reliable(
    bot_server: BotServer, standin: SlackStandin, plan_id: int
) -> None:
    add_vacancy_rate(bot_server)
    for month, value in zip(MONTHS[:5], VALUES[:5], strict=True):
        reply(bot_server, f"record M-1 {value} period:{month}")
    answer = shown(reply(bot_server, "show M-1"))
    assert "Only 5 points behind these limits" in answer and "not yet reliable" in answer
    standin.wait_for_calls("files.completeUploadExternal")
    Image.open(io.BytesIO(standin.calls_to("upload")[0].body)).verify()


def test_the_monthly_form_records_nothing_when_one_value_is_refused(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    add_vacancy_rate(bot_server)
    reply(bot_server, "add preset:time-to-hire")
    result = bot_server.submit(
        "measure_form",
        {"M-1": "9.1", "M-2": "about forty"},
        private_metadata=bot_server.sealed(
            {"plan_id": plan_id, "channel_id": CHANNEL}, user_id=DATA
        ),
        user_id=DATA,
    )
    errors = result.json()
    assert errors["response_action"] == "errors"
    assert "“about forty” isn't a number" in errors["errors"]["M-2"]
    with uow.transaction() as session:
        assert session.scalars(select(MeasureValue)).all() == []


def test_the_monthly_form_records_only_the_values_typed(
    bot_server: BotServer, standin: SlackStandin, uow: UnitOfWork, plan_id: int
) -> None:
    add_vacancy_rate(bot_server)
    reply(bot_server, "add preset:time-to-hire")
    result = bot_server.submit(
        "measure_form",
        {"M-1": "9.1", "M-2": ""},
        private_metadata=bot_server.sealed(
            {"plan_id": plan_id, "channel_id": CHANNEL}, user_id=DATA
        ),
        user_id=DATA,
    )
    assert result.status == 200 and result.body == b""
    posted = standin.wait_for_calls("chat.postMessage")[-1].params
    assert "1 measure value recorded" in posted["text"]
    with uow.transaction() as session:
        values = session.scalars(select(MeasureValue)).all()
        assert [(v.measure_id, v.value) for v in values] == [(1, 9.1)]


def test_a_data_leads_app_home_lists_measures_due_and_the_owner_is_nudged_after_the_grace(
    bot_server: BotServer, runner: JobRunner, standin: SlackStandin, clock: Clock, plan_id: int
) -> None:
    add_vacancy_rate(bot_server)
    bot_server.event({"type": "app_home_opened", "user": DATA, "tab": "home"})
    home = standin.wait_for_calls("views.publish")[0].params["view"]
    home = json.loads(home) if isinstance(home, str) else home
    assert_valid_blocks(home)
    assert "*Measures due a value* (1)" in shown(home) and "Oct 2026" in shown(home)

    assert (
        "now nudged for a missing value 10 days"
        in reply(bot_server, "grace 10", user=ALICE)["text"]
    )
    # Tue 10 Nov 2026 is within 10 days of October's end; Thu 12 Nov is past them.
    standin.reset()
    clock.set(datetime(2026, 11, 10, 9, 30, tzinfo=UTC))
    runner.run("nudges")
    assert not [c for c in standin.calls_to("chat.postMessage") if c.params["channel"] == DATA]
    clock.set(datetime(2026, 11, 12, 9, 30, tzinfo=UTC))
    runner.run("nudges")
    nudge = next(c for c in standin.calls_to("chat.postMessage") if c.params["channel"] == DATA)
    assert "M-1" in shown(nudge.params) and "period:2026-10" in shown(nudge.params)
