"""The life of a `govbot serve` process: checked before anything listens, torn down after."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient

from bot.app import build_app
from bot.scheduler import start_scheduler
from bot.settings import Settings
from bot.slack_client import make_web_client
from governance.database import UnitOfWork, make_engine
from governance.schema import require_current_schema

Background = Callable[[Settings, UnitOfWork, WebClient], Callable[[], None]]
"""Starts work that runs beside a server (the scheduler) and returns how to stop it."""

BACKGROUND: tuple[Background, ...] = (start_scheduler,)
"""What `govbot serve` starts beside the server, in order; stopped in reverse order."""


@dataclass(frozen=True)
class Served:
    """What a running server holds: the app, its unit of work and its Web API client."""

    app: App
    uow: UnitOfWork
    client: WebClient


@contextmanager
def serving(settings: Settings, background: Sequence[Background] = BACKGROUND) -> Iterator[Served]:
    """Everything `govbot serve` needs, checked before anything listens, torn down after.

    The database must be reachable and at the newest revision (else SchemaNotReady);
    `background` work starts once the app is built and stops when the block ends.
    """
    settings.require("slack_signing_secret")
    settings.require_tokens()
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


def leave_start_up_out_of_collections() -> None:
    """What start-up made (modules, the app and its listeners, the engine) lives as long as
    the process, so the garbage collector need not walk it again: before this, every full
    collection did, about 115 ms in whichever command triggered it, one in 150 `/action
    list`s. Called once by the process that serves, after the app is built."""
    gc.collect()
    gc.freeze()
