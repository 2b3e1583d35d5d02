"""Slack hears the acknowledgement at once, however busy govbot's workers are.

Slack gives up on a slash command after 3 seconds. govbot acknowledges before doing the
work, and the acknowledgement must not wait for the work of other commands: here every
worker is stuck on a database that is held by someone else, and more commands still come.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from bot.deps import WORK_SLOTS
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, Sent

pytestmark = pytest.mark.real_http  # acknowledgement timing is measured over the socket

# More commands at once than there are work slots, and than Bolt's threads used to be.
COMMANDS = WORK_SLOTS + 4


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    return setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon")).id


@contextmanager
def database_held(uow: UnitOfWork) -> Iterator[None]:
    """Another transaction holds what every use case needs until the block ends."""
    with uow.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("LOCK TABLE plans IN ACCESS EXCLUSIVE MODE"))
        # On SQLite the transaction already holds the database's only write lock.
        yield


def test_commands_are_acknowledged_while_every_worker_waits_for_the_database(
    bot_server: BotServer, uow: UnitOfWork, plan_id: int
) -> None:
    with ThreadPoolExecutor(max_workers=COMMANDS) as pool, database_held(uow):
        sent: list[Sent] = list(
            pool.map(lambda _: bot_server.slash("/action", "list"), range(COMMANDS))
        )
        assert [s.status for s in sent] == [200] * COMMANDS
        assert bot_server.standin.responses() == [], "no answer can exist yet"
    replies = [bot_server.reply_to(s, timeout=30) for s in sent]
    assert all("Actions in Devon" in str(reply) for reply in replies)
