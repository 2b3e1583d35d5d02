"""GET /healthz tells a load balancer whether this replica can reach its database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.app import build_app
from bot.cli import main
from bot.http_server import HttpServer, make_wsgi_app
from bot.serving import serving
from bot.settings import Settings
from governance.database import UnitOfWork, make_engine
from governance.schema import upgrade
from tests.conftest import ON_POSTGRES
from tests.slack_faults import FaultyStandin
from tests.slack_harness import BOT_TOKEN, SIGNING_SECRET, BotServer, harness_settings, http

pytestmark = pytest.mark.real_http  # health is asked over HTTP, as a load balancer does


def test_healthz_is_ok_when_the_database_answers(bot_server: BotServer) -> None:
    result = bot_server.get("/healthz")
    assert result.status == 200
    assert result.json() == {"ok": True}


def test_healthz_is_503_when_the_database_is_unreachable(
    tmp_path: Path, standin: FaultyStandin
) -> None:
    dead_url = (
        "postgresql://postgres@127.0.0.1:1/govbot"
        if ON_POSTGRES
        else f"sqlite:///{tmp_path / 'no-such-dir' / 'govbot.db'}"
    )
    engine = make_engine(dead_url)
    uow = UnitOfWork(engine)
    app = build_app(harness_settings(dead_url, standin.api_url), uow)
    server = HttpServer(make_wsgi_app(app, uow), "127.0.0.1", 0).start()
    try:
        result = http("GET", server.url + "/healthz")
    finally:
        server.stop()
        engine.dispose()
    assert result.status == 503
    assert result.json() == {"ok": False}


def test_other_paths_are_not_found(bot_server: BotServer) -> None:
    assert bot_server.get("/").status == 404
    assert bot_server.get("/slack/events").status == 404
    assert bot_server.get("/admin").status == 404
    assert bot_server.standin.calls == []


def govbot(tmp_path: Path, database_url: str, *args: str) -> subprocess.Popen[str]:
    """`govbot <args>` in a fresh process, with settings from the environment only."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url


def test_govbot_serve_http_starts_answers_healthz_and_stops_on_sigterm(
    tmp_path: Path, sqlite_url: str
) -> None:
    process = govbot(tmp_path, sqlite_url, "serve", "--http", "--host", "127.0.0.1", "--port", "0")
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("govbot listening on http://127.0.0.1:"), banner
        base = banner.split()[3]
        result = None
        for _ in range(50):
            result = http("GET", base + "/healthz")
            if result.status == 200:
                break
            time.sleep(0.1)
        assert result is not None and result.status == 200
        assert result.json() == {"ok": True}
    finally:
        process.terminate()
        code = process.wait(timeout=15)
    assert code == 0


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """Settings from this environment only (no .env), for `main()` run in this process."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    return monkeypatch


def test_govbot_serve_refuses_a_database_that_is_not_upgraded(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["serve", "--http", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govbot: the database at sqlite:///")
    assert "is at no schema, not " in err
    assert err.strip().endswith("; run `govbot db upgrade`")
    assert len(err.strip().splitlines()) == 1


def test_govbot_serve_refuses_an_unreachable_database(
    environment: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    assert main(["serve", "--http", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govbot: cannot reach the database at sqlite:///")
    assert len(err.strip().splitlines()) == 1


def test_govbot_serve_socket_refuses_without_an_app_token(
    environment: pytest.MonkeyPatch, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DATABASE_URL", sqlite_url)
    assert main(["serve", "--socket"]) == 2
    assert capsys.readouterr().err == (
        "govbot: SLACK_APP_TOKEN is not set; govbot needs it for this command\n"
    )


def test_serving_starts_background_work_beside_the_app_and_stops_it_after(
    sqlite_url: str, standin: FaultyStandin
) -> None:
    events: list[str] = []

    def scheduler(settings: Settings, uow: UnitOfWork, client: WebClient) -> Callable[[], None]:
        assert uow.ping()
        assert client.base_url == standin.api_url
        events.append("started")
        return lambda: events.append("stopped")

    settings = harness_settings(sqlite_url, standin.api_url)
    with serving(settings, background=[scheduler]) as served:
        assert events == ["started"]
        assert served.uow.ping()
    assert events == ["started", "stopped"]


def test_stopping_a_server_twice_is_harmless() -> None:
    from bot.http_server import HttpServer

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [])
        return [b""]

    server = HttpServer(app, port=0).start()
    server.stop()
    server.stop()
