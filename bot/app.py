"""Building the Bolt app: its Web API client, and every listener registered."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot import listeners
from bot.deps import BotDeps
from bot.settings import Settings
from bot.slack_client import make_web_client, quiet_logger
from governance.database import UnitOfWork

# Bolt acknowledges a request from a listener thread, so a request waits for a free one
# before Slack hears anything: plenty of threads keep acks quick under load, and
# bot.deps.WORK_SLOTS bounds how many of them do a use case's work at once.
LISTENER_THREADS = 64


def build_app(settings: Settings, uow: UnitOfWork, *, client: WebClient | None = None) -> App:
    """The Bolt app with every listener registered; makes no Slack call until a request.

    Requests over HTTP are verified before they reach it (bot/http_server.py); Socket Mode
    has no signatures. So Bolt's own check, which parses the body first, is off.
    """
    settings.require("slack_signing_secret", "slack_bot_token")
    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client or make_web_client(settings),
        token_verification_enabled=False,
        request_verification_enabled=False,
        process_before_response=False,
        logger=quiet_logger("govbot.bolt", settings),
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="govbot-listener"
        ),
    )
    listeners.register(app, BotDeps(uow=uow, settings=settings))
    return app
