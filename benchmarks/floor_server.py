"""The floor: govbot's server stack with none of govbot's work in it.

The same waitress server, WSGI app (/slack/events and /healthz), Bolt options, listener
threads and Web API client as `govbot serve --http`; its one listener acknowledges every
slash command and does nothing else. With --reply it also sends a fixed one-line answer
through the response URL, the least any command that answers can cost.

    python -m benchmarks.floor_server [--reply] [--port 0]   (settings from the environment)
"""

from __future__ import annotations

import argparse
import contextlib
import re

from slack_bolt import Ack, App, Respond

from bot.acknowledgement import ListenerExecutor
from bot.app import LISTENER_THREADS
from bot.http_server import HttpServer, make_wsgi_app
from bot.settings import load_settings
from bot.slack_client import make_web_client, quiet_logger
from governance.database import UnitOfWork, make_engine


def floor_app(reply: bool) -> tuple[App, UnitOfWork]:
    settings = load_settings()
    settings.require("slack_signing_secret", "slack_bot_token")
    # The options of bot.app.build_app, so the only difference is the listener.
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=make_web_client(settings),
        token_verification_enabled=False,
        request_verification_enabled=False,
        process_before_response=False,
        logger=quiet_logger("govbot.bolt", settings),
        listener_executor=ListenerExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="govbot-listener"
        ),
    )

    @app.command(re.compile(r"^/"))
    def command(ack: Ack, respond: Respond) -> None:
        ack()
        if reply:
            respond(text="ok", response_type="ephemeral")

    return app, UnitOfWork(make_engine(settings.database_url))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reply", action="store_true", help="also answer through response_url")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    app, uow = floor_app(args.reply)
    server = HttpServer(make_wsgi_app(app, uow), "127.0.0.1", args.port)
    print(f"floor listening on {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
