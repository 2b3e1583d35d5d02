"""GET /metrics (GOVBOT_METRICS=on) and GOVBOT_LOG_FORMAT=json, as an operator sees them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_app
from bot.console.slack_standin import SlackStandin
from bot.http_server import HttpServer, make_wsgi_app
from bot.jobs import JobRunner
from bot.scheduler import PlanScheduler
from bot.settings import SettingsError, load_settings
from governance.database import UnitOfWork, make_engine
from governance.jobs.delivery import RunReport
from tests.conftest import ON_POSTGRES
from tests.jobs_world import World
from tests.slack_harness import BotServer, harness_settings, http

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(bot: BotServer) -> tuple[str, Samples]:
    result = bot.get("/metrics")
    assert result.status == 200
    assert result.headers["Content-Type"].startswith("text/plain; version=")
    body = result.body.decode()
    return body, samples_of(body)


def samples_of(body: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metered(make_bot_server: Callable[..., BotServer]) -> BotServer:
    return make_bot_server(metrics=True)


def test_metrics_are_absent_unless_switched_on(bot_server: BotServer) -> None:
    result = bot_server.get("/metrics")
    assert result.status == 404
    assert result.json() == {"ok": False, "error": "not_found"}


def test_requests_are_counted_by_kind_and_outcome_with_ack_and_answer_latency(
    metered: BotServer,
) -> None:
    _, before = scrape(metered)
    metered.slash_reply("/action", "help")
    metered.slash_reply("/action", "show A-99")  # refused: no plan in this channel
    assert metered.slash("/plan", "help", signed=False).status == 401
    assert metered.click("no_such_button", "1").status == 404  # no listener: Bolt says 404
    _, after = scrape(metered)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # An answer is timed once it has been sent, so its sample may land just after the reply.
    deadline = time.monotonic() + 5
    while (
        min(
            grew("govbot_answer_seconds_count", command="action", outcome=outcome)
            for outcome in ("answered", "refused")
        )
        < 1
    ):
        assert time.monotonic() < deadline, "the refused answer was never timed"
        time.sleep(0.02)
        _, after = scrape(metered)

    assert grew("govbot_requests_total", kind="slash_command", outcome="ok") == 2
    # An unsigned body is never read, so a refused request is counted without its kind.
    assert grew("govbot_requests_total", kind="unverified", outcome="refused") == 1
    assert grew("govbot_requests_total", kind="block_actions", outcome="client_error") == 1
    assert grew("govbot_ack_seconds_count", kind="slash_command") == 2
    assert grew("govbot_ack_seconds_bucket", kind="slash_command", le="3.0") == 2
    assert grew("govbot_ack_seconds_count", kind="unverified") == 1
    assert grew("govbot_answer_seconds_count", command="action", outcome="answered") == 1
    assert grew("govbot_answer_seconds_count", command="action", outcome="refused") == 1
    assert value(after, "govbot_database_up") == 1


def test_scheduled_runs_and_slack_api_errors_are_counted(
    metered: BotServer, world: World, runner: JobRunner, standin: SlackStandin
) -> None:
    _, before = scrape(metered)
    world.plan()
    standin.fail("chat.postMessage", status=400)
    outcomes = iter([RunReport("digest", runner.uow.now()), RuntimeError("database gone")])

    def run(job: str, plan_ids: list[int] | None) -> RunReport:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return runner.run(job, plan_ids)

    scheduler = PlanScheduler(run, lambda: [])
    scheduler.run_safely("digest", None)
    scheduler.run_safely("digest", None)
    _, after = scrape(metered)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("govbot_scheduled_runs_total", job="digest", outcome="failed_sends") == 1
    assert grew("govbot_scheduled_runs_total", job="digest", outcome="error") == 1
    errors = [
        labels
        for (name, labels), count in after.items()
        if name == "govbot_slack_api_errors_total" and count > value(before, name, **dict(labels))
    ]
    assert [dict(labels)["method"] for labels in errors] == ["chat.postMessage"]


def test_no_user_text_or_ids_reach_any_label(metered: BotServer) -> None:
    metered.slash_reply(
        "/action", 'add "Secret project Zebra" owner:<@U0SECRET>', user_id="U0WHOEVER"
    )
    metered.slash_reply("/feedback", 'staff "Private words here" anonymous', user_id="U0ANON")
    assert metered.slash("/zebra-words", "U0SECRET", channel_id="C0HIDDEN").status == 404
    body, _ = scrape(metered)
    for secret in ("Zebra", "Private", "U0SECRET", "U0WHOEVER", "U0ANON", "C0HIDDEN", "T0GOVBOT"):
        assert secret not in body


@pytest.mark.parametrize(
    ("variable", "typed", "message"),
    [
        ("GOVBOT_METRICS", "yes", "GOVBOT_METRICS must be on or off"),
        ("GOVBOT_LOG_FORMAT", "xml", "GOVBOT_LOG_FORMAT must be text or json"),
    ],
)
def test_a_bad_setting_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, typed: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, typed)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_json_log_format_writes_one_object_per_line_with_secrets_redacted(tmp_path: Path) -> None:
    script = (
        "import logging\n"
        "from bot.settings import load_settings\n"
        "from bot.slack_client import configure_logging\n"
        "configure_logging(load_settings())\n"
        "log = logging.getLogger('govbot.test')\n"
        "log.warning('token %s in \"quotes\"', 'xoxb-1234-abcd')\n"
        "try:\n"
        "    raise ValueError('boom')\n"
        "except ValueError:\n"
        "    log.exception('it failed')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"GOVBOT_LOG_FORMAT": "json", "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(entry["level"], entry["logger"]) for entry in lines] == [
        ("WARNING", "govbot.test"),
        ("ERROR", "govbot.test"),
    ]
    assert lines[0]["message"] == 'token [redacted token] in "quotes"'
    assert lines[0]["time"].endswith("Z")
    assert "ValueError: boom" in lines[1]["exception"]


def test_an_unreachable_database_shows_in_the_metrics(
    tmp_path: Path, standin: SlackStandin
) -> None:
    dead_url = (
        "postgresql://postgres@127.0.0.1:1/govbot"
        if ON_POSTGRES
        else f"sqlite:///{tmp_path / 'no-such-dir' / 'govbot.db'}"
    )
    engine = make_engine(dead_url)
    uow = UnitOfWork(engine)
    app = build_app(harness_settings(dead_url, standin.api_url, metrics=True), uow)
    server = HttpServer(make_wsgi_app(app, uow, metrics=True), "127.0.0.1", 0).start()
    try:
        before = http("GET", server.url + "/metrics").body.decode()
        assert http("GET", server.url + "/healthz").status == 503
        after = http("GET", server.url + "/metrics")
    finally:
        server.stop()
        engine.dispose()
    assert after.status == 200, "metrics answer while the database is down"
    samples, previous = samples_of(after.body.decode()), samples_of(before)
    assert value(samples, "govbot_database_up") == 0
    name = "govbot_database_unavailable_total"
    for where in ("healthz", "metrics"):
        assert value(samples, name, where=where) - value(previous, name, where=where) == 1
