"""Building the Bolt app: settings, Web API client, and every listener registered."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from bot.scheduler import start_scheduler
from bot.settings import Settings, SettingsError
from bot.slack_client import make_web_client, quiet_logger
from bot.work_slots import WorkSlots
from governance.database import UnitOfWork, make_engine
from governance.schema import alembic_config

# Bolt acknowledges a request from a listener thread, so a request waits for a free one
# before Slack hears anything: plenty of threads keep acks quick under load, and
# WORK_SLOTS bounds how many of them do a use case's work (the database, rendering) at once.
LISTENER_THREADS = 64
WORK_SLOTS = 8

Background = Callable[[Settings, UnitOfWork, WebClient], Callable[[], None]]
"""Starts work that runs beside a server (the scheduler) and returns how to stop it."""

BACKGROUND: tuple[Background, ...] = (start_scheduler,)
"""What `govbot serve` starts beside the server, in order; stopped in reverse order."""


@dataclass(frozen=True)
class BotDeps:
    """What every listener needs besides what Bolt hands it."""

    uow: UnitOfWork
    settings: Settings
    # Held while a listener does its work (after acknowledging, where it can): see WORK_SLOTS.
    work_slots: WorkSlots = field(default_factory=lambda: WorkSlots(WORK_SLOTS))


class SchemaNotCurrent(SettingsError):
    """The database is reachable but not migrated to the revision this code expects."""


def build_app(settings: Settings, uow: UnitOfWork, *, client: WebClient | None = None) -> App:
    """The Bolt app with every listener registered; makes no Slack call until a request."""
    settings.require("slack_signing_secret", "slack_bot_token")
    from bot import listeners

    app = App(
        signing_secret=settings.slack_signing_secret,
        client=client or make_web_client(settings),
        token_verification_enabled=False,
        process_before_response=False,
        logger=quiet_logger("govbot.bolt", settings),
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="govbot-listener"
        ),
    )
    listeners.register(app, BotDeps(uow=uow, settings=settings))
    return app


def require_current_schema(engine: Engine) -> None:
    """Refuse to serve on a database that is unreachable or not at the newest revision.

    Serving never migrates by itself: an operator runs `govbot db upgrade` deliberately.
    """
    where = engine.url.render_as_string(hide_password=True)
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise SettingsError(f"cannot reach the database at {where}: {reason}") from None
    if current != heads:
        found = ", ".join(sorted(current)) or "no schema"
        raise SchemaNotCurrent(
            f"the database at {where} is at {found}, not {', '.join(sorted(heads))}; "
            "run `govbot db upgrade`"
        )


@dataclass(frozen=True)
class Served:
    """What a running server holds: the app, its unit of work and its Web API client."""

    app: App
    uow: UnitOfWork
    client: WebClient


@contextmanager
def serving(settings: Settings, background: Sequence[Background] = BACKGROUND) -> Iterator[Served]:
    """Everything `govbot serve` needs, checked before anything listens, torn down after.

    The database must be reachable and at the newest revision; `background` work starts
    once the app is built and stops when the block ends.
    """
    settings.require("slack_signing_secret", "slack_bot_token")
    engine = make_engine(settings.database_url)
    with ExitStack() as stack:
        stack.callback(engine.dispose)
        require_current_schema(engine)
        uow = UnitOfWork(engine)
        client = make_web_client(settings)
        app = build_app(settings, uow, client=client)
        # Work acknowledged but not yet finished gets to finish before the engine goes.
        stack.callback(app.listener_runner.listener_executor.shutdown, wait=True)  # type: ignore[attr-defined]
        for start in background:
            stack.callback(start(settings, uow, client))
        yield Served(app=app, uow=uow, client=client)
