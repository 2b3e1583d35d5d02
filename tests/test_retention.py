"""Retention: `/plan settings retention:…` (leads) and the daily job that erases feedback
text older than the plan's period while its counts stay, driven as Slack and the CLI do."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.cli import main
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.feedback.models import ERASED_TEXT, Feedback
from governance.feedback.retention import RetentionReport, erase_expired_feedback, months_before
from governance.inputs import validate
from governance.models import Base
from governance.plans.inputs import PlanSetup
from governance.plans.models import Role
from governance.plans.use_cases import setup_plan
from tests.conftest import Clock
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, assert_valid_blocks

CHAIR = "U0CHAIR"
BOB = "U0BOB"


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    with uow.transaction() as session:
        session.add(Role(plan_id=plan.id, user_id=CHAIR, role="chair"))
    return plan.id


@pytest.fixture
def cli_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env


def give(bot: BotServer, clock: Clock, when: str, text: str, *extra: str) -> None:
    clock.set(datetime.fromisoformat(when))
    reply = bot.slash_reply("/feedback", f'staff "{text}" function:wellbeing {" ".join(extra)}')
    assert "F-" in reply["text"], reply


def stored(uow: UnitOfWork) -> list[Feedback]:
    with uow.transaction() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.number)))


def retention_audit(uow: UnitOfWork) -> list[AuditEntry]:
    with uow.transaction() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.ref == "retention").order_by(AuditEntry.id)
            )
        )


def test_settings_show_the_default_of_24_months(bot_server: BotServer, plan_id: int) -> None:
    reply = bot_server.slash_reply("/plan", "settings")
    assert_valid_blocks(reply)
    assert "Feedback text kept: 24 months" in json.dumps(reply["blocks"])


def test_a_lead_sets_retention_in_months_or_years_and_it_is_audited(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    reply = bot_server.slash_reply("/plan", "settings retention:3y")
    assert_valid_blocks(reply)
    assert "retention" in reply["text"]
    assert "Feedback text kept: 36 months" in json.dumps(reply["blocks"])
    bot_server.slash_reply("/plan", "settings retention:18m")
    with uow.transaction() as session:
        changes = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.verb == "settings").order_by(AuditEntry.id)
        ).all()
    assert [c["changes"]["retention"] for c in changes] == [["24m", "36m"], ["36m", "18m"]]


def test_only_leads_change_retention(bot_server: BotServer, uow: UnitOfWork, plan_id: int) -> None:
    reply = bot_server.slash_reply("/plan", "settings retention:6m", user_id=CHAIR)
    assert_valid_blocks(reply)
    assert "Only the plan's leads can change how long feedback is kept" in reply["text"]
    reply = bot_server.slash_reply("/plan", "settings nudges:08:00", user_id=CHAIR)
    assert "Changed" in json.dumps(reply["blocks"])


@pytest.mark.parametrize("typed", ["forever", "0m", "11y", "121", "-3"])
def test_a_bad_period_is_refused_with_the_right_form(
    bot_server: BotServer, plan_id: int, typed: str
) -> None:
    reply = bot_server.slash_reply("/plan", f"settings retention:{typed}")
    assert_valid_blocks(reply)
    shown = json.dumps(reply, ensure_ascii=False)
    assert "retention" in shown and "[retention:24m]" in shown
    assert "Changed" not in shown


def test_the_retention_job_erases_old_text_keeps_counts_and_audits_without_the_text(
    bot_server: BotServer,
    uow: UnitOfWork,
    clock: Clock,
    plan_id: int,
    cli_environment: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    give(bot_server, clock, "2024-11-22T12:00+00:00", "Rota gaps on ward 4")  # 24 months + 1 day
    give(bot_server, clock, "2024-11-23T12:00+00:00", "Parking again", "anonymous")
    give(bot_server, clock, "2026-06-01T12:00+00:00", "Handover huddles help")
    clock.set(datetime.fromisoformat("2026-11-23T10:00+00:00"))
    before = bot_server.slash_reply("/plan")["text"]

    assert main(["jobs", "run", "retention", "--at", "2026-11-23T02:30Z"]) == 0
    assert capsys.readouterr().out.strip() == (
        "retention at 2026-11-23T02:30:00+00:00: feedback text erased from 1 item in 1 plan"
    )
    rows = stored(uow)
    assert [(f.ref, f.text, f.text_erased_at is not None) for f in rows] == [
        ("F-1", "", True),
        ("F-2", "Parking again", False),
        ("F-3", "Handover huddles help", False),
    ]
    assert [(r.source, r.function_id) for r in rows[:1]] == [("staff", 1)]
    assert bot_server.slash_reply("/plan")["text"] == before  # counts stay
    listed = bot_server.slash_reply("/feedback", "list")
    assert_valid_blocks(listed)
    assert ERASED_TEXT in json.dumps(listed, ensure_ascii=False)

    [entry] = retention_audit(uow)
    assert entry.actor_id is None and entry.verb == "erase-text"
    assert entry.detail == {"refs": ["F-1"], "given_before": "2024-11-23", "months": 24}
    assert "Rota gaps" not in json.dumps(entry.detail)

    assert main(["jobs", "run", "retention", "--at", "2026-11-24T02:30Z"]) == 0
    assert "erased from 1 item" in capsys.readouterr().out  # F-2, a day later
    assert main(["jobs", "run", "retention", "--at", "2026-11-24T03:30Z"]) == 0
    assert "erased from 0 items in 0 plans" in capsys.readouterr().out
    assert len(retention_audit(uow)) == 2


def test_a_shorter_period_takes_effect_at_the_next_run(
    bot_server: BotServer,
    uow: UnitOfWork,
    clock: Clock,
    plan_id: int,
    cli_environment: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    give(bot_server, clock, "2026-06-01T12:00+00:00", "Handover huddles help")
    clock.set(datetime.fromisoformat("2026-11-23T10:00+00:00"))
    bot_server.slash_reply("/plan", "settings retention:3m")
    assert main(["jobs", "run", "retention", "--at", "2026-11-23T02:30Z"]) == 0
    assert "erased from 1 item in 1 plan" in capsys.readouterr().out
    assert [f.text for f in stored(uow)] == [""]


def test_months_before_keeps_the_day_or_takes_the_last_of_a_short_month() -> None:
    assert months_before(datetime(2026, 11, 23).date(), 24).isoformat() == "2024-11-23"
    assert months_before(datetime(2026, 3, 31).date(), 1).isoformat() == "2026-02-28"
    assert months_before(datetime(2026, 1, 15).date(), 13).isoformat() == "2024-12-15"


def row_counts(uow: UnitOfWork) -> dict[str, int]:
    with uow.transaction() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def test_an_export_is_not_kept_once_uploaded(
    bot_server: BotServer,
    uow: UnitOfWork,
    clock: Clock,
    plan_id: int,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    give(bot_server, clock, "2026-11-20T12:00+00:00", "Rota gaps on ward 4")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    before = row_counts(uow)
    reply = bot_server.slash_reply("/plan", "export feedback")
    assert_valid_blocks(reply)
    [uploaded] = bot_server.standin.wait_for_calls("upload")
    assert b"Rota gaps on ward 4" in uploaded.body
    assert list(workdir.iterdir()) == []  # no file written beside govbot
    assert row_counts(uow) == before  # and nothing of the file stored


def test_two_passes_at_once_erase_each_text_once_and_audit_it_once(
    bot_server: BotServer, uow: UnitOfWork, clock: Clock, plan_id: int, engine: Engine
) -> None:
    for day in range(1, 9):
        give(bot_server, clock, f"2024-01-0{day}T12:00+00:00", f"Old feedback {day}")
    later = datetime.fromisoformat("2026-11-23T02:30+00:00")
    replicas = [UnitOfWork(engine, clock=lambda: later) for _ in range(2)]
    start = threading.Barrier(2)

    def run(replica: UnitOfWork) -> RetentionReport:
        start.wait(5)
        return erase_expired_feedback(replica)

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(run, replicas))
    erased = sorted(ref for report in reports for refs in report.erased.values() for ref in refs)
    assert erased == [f"F-{n}" for n in range(1, 9)]
    [entry] = retention_audit(uow)
    assert sorted(entry.detail["refs"]) == erased
