"""GET /healthz tells a load balancer whether this replica can reach its database."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_app
from bot.http_server import HttpServer, make_wsgi_app
from bot.slack_standin import SlackStandin
from governance.database import UnitOfWork, make_engine
from tests.slack_harness import BotServer, harness_settings, http


def test_healthz_is_ok_when_the_database_answers(bot_server: BotServer) -> None:
    result = bot_server.get("/healthz")
    assert result.status == 200
    assert result.json() == {"ok": True}


def test_healthz_is_503_when_the_database_is_unreachable(
    tmp_path: Path, standin: SlackStandin
) -> None:
    dead_url = f"sqlite:///{tmp_path / 'no-such-dir' / 'govbot.db'}"
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
    assert standin_untouched(bot_server)


def standin_untouched(bot_server: BotServer) -> bool:
    return bot_server.standin.calls == []
