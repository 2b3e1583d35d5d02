"""Subject access and erasure: `govbot people export|erase --user U…` over a plan that Bob
has touched in every way Slack allows, then a scan of every column of every table."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text

from bot.cli import main
from bot.jobs import JobRunner
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.feedback.models import Feedback
from governance.plans.models import Plan, Role
from tests.conftest import Clock
from tests.jobs_world import sent_messages
from tests.slack_harness import ALICE, BotServer, assert_valid_blocks

BOB = "U0BOB"
# An id that starts with Bob's: it must survive his erasure untouched.
BOBBY = "U0BOBBY"


@pytest.fixture
def cli_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env


@pytest.fixture
def bobs_plan(bot_server: BotServer, runner: JobRunner, clock: Clock) -> BotServer:
    """A plan Alice leads where Bob owns, updates, gives, is credited, challenges, answers,
    sets his working days and is nudged; and one piece of anonymous feedback."""
    bot = bot_server
    clock.set(datetime.fromisoformat("2026-11-23T08:00+00:00"))

    def say(command: str, line: str, user_id: str = ALICE) -> dict[str, Any]:
        reply = bot.slash_reply(command, line, user_id=user_id)
        assert "Sorry" not in reply["text"], (line, reply)
        return reply

    say("/plan", 'setup "Devon ICS"')
    say("/plan", f"role <@{BOB}|bob> lead")
    say("/plan", f"role <@{BOBBY}|bobby> member")
    say("/action", f'add "Recruit 40 nurses" owner:<@{BOB}|bob> function:supply due:2026-11-24')
    say("/action", f'add "Bank rates review" owner:<@{BOBBY}|bobby> due:2026-11-24')
    say("/action", 'update A-1 status:amber progress:40 "Visa delays"', user_id=BOB)
    say("/action", f'update A-2 "Ask <@{BOB}> about rates"')
    say("/risk", f'add "Winter pressures" likelihood:4 impact:5 owner:<@{BOB}|bob>')
    say("/feedback", 'staff "Agency shifts pay more than our bank" function:wellbeing', BOB)
    say("/feedback", 'staff "Parking is impossible" anonymous', user_id=BOB)
    say("/win", f'"All 31 GP practices returned the census" <@{BOB}|bob>')
    say("/action", 'challenge A-2 "What would get this back on track?"', user_id=BOB)
    say("/action", 'challenge A-1 "Is the visa route still open?"')
    say("/action", 'answer A-1 "Yes, through the Home Office scheme"', user_id=BOB)
    say("/plan", "settings me days:mon,tue,thu", user_id=BOB)
    clock.set(datetime.fromisoformat("2026-11-23T10:00+00:00"))
    report = runner.run("nudges")
    assert BOB in report.sent
    return bot


def plan_id(uow: UnitOfWork) -> int:
    with uow.transaction() as session:
        return session.scalars(select(Plan.id)).one()


def anonymous_row(uow: UnitOfWork) -> tuple[Any, ...]:
    with uow.transaction() as session:
        row = session.scalars(select(Feedback).where(Feedback.anonymous)).one()
        return (row.number, row.text, row.author_id, row.source, row.created_at)


def places_naming(engine: Engine, needle: str) -> list[str]:
    """table.column for every column, of every table in the database, whose text holds
    `needle` as an id (not as the start of a longer one)."""
    found = []
    inspector = inspect(engine)
    tables = inspector.get_table_names()
    columns = {t: [c["name"] for c in inspector.get_columns(t)] for t in tables}
    with engine.connect() as connection:
        for table, names in columns.items():
            for name in names:
                values = connection.execute(
                    text(f'SELECT CAST("{name}" AS TEXT) FROM "{table}"')
                ).scalars()
                for value in values:
                    if value and needle in value.replace(BOBBY, ""):
                        found.append(f"{table}.{name}")
                        break
    return found


def test_export_writes_everything_that_names_the_person_as_json(
    bobs_plan: BotServer, cli_environment: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bob.json"
    assert main(["people", "export", "--user", BOB, "-o", str(out)]) == 0
    assert f"records naming {BOB} to {out}" in capsys.readouterr().out
    assert out.stat().st_mode & 0o777 == 0o600
    held = json.loads(out.read_text())
    assert held["user_id"] == BOB
    assert [p["name"] for p in held["plans"]] == ["Devon ICS"]
    records = held["records"]
    for table in (
        "actions",
        "action_updates",
        "risks",
        "feedback",
        "win_people",
        "challenges",
        "roles",
        "member_preferences",
        "audit_log",
        "job_claims",
    ):
        assert table in records, table
    assert [a["title"] for a in records["actions"]] == ["Recruit 40 nurses"]
    assert {u["note"] for u in records["action_updates"]} == {
        "Visa delays",
        f"Ask @{BOB} about rates",
    }
    assert [f["text"] for f in records["feedback"]] == ["Agency shifts pay more than our bank"]
    assert records["roles"][0]["role"] == "lead"
    assert records["member_preferences"][0]["working_days"] == "mon,tue,thu"


def test_export_prints_to_standard_output_without_a_file(
    bobs_plan: BotServer, cli_environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "export", "--user", BOB]) == 0
    assert json.loads(capsys.readouterr().out)["user_id"] == BOB


def test_erase_leaves_the_id_nowhere_and_records_stay_coherent(
    bobs_plan: BotServer,
    cli_environment: None,
    uow: UnitOfWork,
    engine: Engine,
    runner: JobRunner,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert places_naming(engine, BOB)  # the scan finds him before
    anonymous = anonymous_row(uow)
    bobby_before = places_naming(engine, BOBBY)

    assert main(["people", "erase", "--user", BOB, "--yes"]) == 0
    out = capsys.readouterr()
    assert f"{BOB} is now “former member 1” everywhere." in out.out
    assert "roles 1" in out.out

    assert places_naming(engine, BOB) == []
    assert places_naming(engine, BOBBY) == bobby_before
    assert anonymous_row(uow) == anonymous

    shown = bobs_plan.slash_reply("/action", "show A-1")
    assert_valid_blocks(shown)
    blocks = json.dumps(shown["blocks"])
    assert "former member 1" in blocks and "Recruit 40 nurses" in blocks
    listed = bobs_plan.slash_reply("/action", "list")
    assert_valid_blocks(listed)
    assert "former member 1" in json.dumps(listed["blocks"])
    risk = bobs_plan.slash_reply("/risk", "show R-1")
    assert_valid_blocks(risk)

    # Forms, challenges and exports still work on records a former member owns, and never
    # try to reach them.
    standin = bobs_plan.standin
    assert bobs_plan.click("action_update", f"{plan_id(uow)}:A-1").status == 200
    [opened] = standin.wait_for_calls("views.open")
    view = opened.params["view"]
    assert_valid_blocks(view)
    assert "former member 1" not in json.dumps(view)
    challenged = bobs_plan.slash_reply("/action", 'challenge A-1 "Still on track?"')
    assert_valid_blocks(challenged)
    assert "Sorry" not in challenged["text"]
    exported = bobs_plan.slash_reply("/plan", "export actions")
    assert_valid_blocks(exported)
    reached = [c.params.get("channel") for c in standin.calls_to("chat.postMessage")]
    reached += [c.params.get("user") for c in standin.calls_to("users.info")]
    assert "former member 1" not in reached

    with uow.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "person")).all()
        assert (entry.ref, entry.verb, entry.actor_id) == ("former member 1", "erase", None)
        assert entry.detail["rows"]["actions"] == 1
        assert session.scalars(select(Role.user_id).order_by(Role.id)).all() == [ALICE]

    # A former member is never nudged: nobody can receive it.
    before = len(sent_messages(bobs_plan.standin))
    runner.uow.clock = lambda: datetime.fromisoformat("2026-11-24T10:00+00:00")
    runner.run("nudges")
    channels = [m["channel"] for m in sent_messages(bobs_plan.standin)[before:]]
    assert "former member 1" not in channels and BOBBY in channels


def test_erasing_twice_finds_nothing_the_second_time(
    bobs_plan: BotServer, cli_environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["people", "erase", "--user", BOB, "--yes"]) == 0
    assert main(["people", "erase", "--user", BOB, "--yes"]) == 1
    assert f"govbot holds nothing that names {BOB}; nothing was changed." in capsys.readouterr().err


def test_erase_asks_first_and_changes_nothing_unless_told_yes(
    bobs_plan: BotServer,
    cli_environment: None,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = iter(["no"])
    monkeypatch.setattr("builtins.input", lambda question: next(answers))
    assert main(["people", "erase", "--user", BOB]) == 1
    assert "Nothing was changed." in capsys.readouterr().err
    assert places_naming(engine, BOB)


@pytest.mark.parametrize("verb", ["export", "erase"])
def test_a_name_instead_of_an_id_is_refused_with_the_right_form(
    cli_environment: None, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    assert main(["people", verb, "--user", "@bob", "--yes"][: 4 if verb == "export" else 5]) == 1
    err = capsys.readouterr().err
    assert "`@bob` is not a member id. Give the id, not the name: it looks like U012AB3CD." in err


def test_the_last_lead_of_a_plan_is_not_erased_until_someone_else_can_manage_it(
    bot_server: BotServer,
    cli_environment: None,
    engine: Engine,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bot_server.slash_reply("/plan", 'setup "Devon ICS"')
    assert main(["people", "erase", "--user", ALICE, "--yes"]) == 1
    assert (
        f"govbot: {ALICE} is the only lead or chair of Devon ICS, so nothing was changed: "
        "nobody could manage it afterwards. Make someone else a lead or chair of it first"
    ) in capsys.readouterr().err
    assert places_naming(engine, ALICE)
    bot_server.slash_reply("/plan", f"role <@{BOB}> chair")
    assert main(["people", "erase", "--user", ALICE, "--yes"]) == 0
    assert places_naming(engine, ALICE) == []
