"""`govbot jobs run nudges|digest|risk-review [--at ISO-8601]` and `govbot scheduler`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import Clock
from tests.jobs_world import BOARD, World, at, sent_messages
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BOT_TOKEN

ANN = "U0ANN"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, database_url: str, standin: FaultyStandin) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", standin.api_url)
    monkeypatch.setenv("GOVBOT_TIMEZONE", "Europe/London")
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env


def test_jobs_run_does_one_pass_as_if_at_the_moment_given(
    environment: None,
    world: World,
    clock: Clock,
    standin: FaultyStandin,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clock.set(at("2026-11-20T10:00"))
    plan = world.plan()
    world.action(plan, ANN, due=date(2026, 11, 20))
    assert main(["jobs", "run", "nudges", "--at", "2026-11-21T09:00+00:00"]) == 0  # Saturday
    assert capsys.readouterr().out.strip() == (
        "nudges at 2026-11-21T09:00:00+00:00: 0 sent, 0 already sent, 0 failed"
    )
    assert main(["jobs", "run", "nudges", "--at", "2026-11-23T09:00Z"]) == 0
    assert "1 sent" in capsys.readouterr().out
    assert main(["jobs", "run", "nudges", "--at", "2026-11-23T10:00Z"]) == 0
    assert "0 sent, 1 already sent" in capsys.readouterr().out
    assert main(["jobs", "run", "digest", "--at", "2026-11-23T09:00Z"]) == 0
    assert "digest at 2026-11-23T09:00:00+00:00: 1 sent" in capsys.readouterr().out
    assert main(["jobs", "run", "risk-review", "--at", "2026-11-23T09:00Z"]) == 0
    assert [m["channel"] for m in sent_messages(standin)] == [ANN, BOARD]


def test_a_moment_without_an_offset_is_read_in_govbot_timezone(
    environment: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOVBOT_TIMEZONE", "America/New_York")
    assert main(["jobs", "run", "digest", "--at", "2026-11-23T09:00"]) == 0
    assert "digest at 2026-11-23T14:00:00+00:00" in capsys.readouterr().out


def test_a_failed_send_is_reported_and_exits_non_zero(
    environment: None,
    world: World,
    clock: Clock,
    standin: FaultyStandin,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world.plan()
    standin.fail("chat.postMessage", status=400)
    assert main(["jobs", "run", "digest", "--at", "2026-11-23T09:00Z"]) == 1
    err = capsys.readouterr().err
    assert f"govbot: sending to {BOARD} failed, the next run retries:" in err
    assert main(["jobs", "run", "digest", "--at", "2026-11-23T09:05Z"]) == 0


def test_bad_input_is_refused_with_the_right_form(
    environment: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["jobs", "run", "nudges", "--at", "next monday"])
    assert exit_info.value.code == 2
    assert "give a moment in ISO 8601, e.g. 2026-11-23T09:00+00:00" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["jobs", "run", "reminders"])
    assert "invalid choice: 'reminders'" in capsys.readouterr().err


def test_jobs_run_needs_a_bot_token(
    environment: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    assert main(["jobs", "run", "digest"]) == 2
    assert "SLACK_BOT_TOKEN is not set" in capsys.readouterr().err


def test_govbot_scheduler_runs_until_terminated(
    tmp_path: Path, database_url: str, standin: FaultyStandin
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": standin.api_url,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "scheduler"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "govbot scheduler running"
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
