"""Shared fixtures: a fresh database per test, on SQLite by default or on PostgreSQL.

Set GOVBOT_TEST_DATABASE_URL=postgresql://... to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import slack_sdk.http_retry.builtin_handlers
import slack_sdk.http_retry.handler
from sqlalchemy import Connection, Engine, text

from bot.installations import installation_metadata
from governance.database import UnitOfWork, make_engine
from governance.models import Base
from governance.schema import upgrade

pytest_plugins = ["tests.slack_harness", "tests.jobs_world"]

# Slack's client waits between retries: Retry-After plus up to a second of jitter for a 429,
# 0.5 s doubling (plus jitter) for a 5xx or a lost connection. Tests check which calls are
# retried, how often and in what order, not those seconds, so in this process the waits
# run at a tenth of their length. (A server started as a subprocess waits in full.)
RETRY_WAIT_SCALE = 0.1

POSTGRES_URL = os.environ.get("GOVBOT_TEST_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")


def pytest_report_header(config: pytest.Config) -> str:
    return f"govbot database: {'PostgreSQL ' + POSTGRES_URL if ON_POSTGRES else 'SQLite'}"


@pytest.fixture(scope="session", autouse=True)
def _quick_slack_retry_waits() -> Iterator[None]:
    scaled = types.SimpleNamespace(sleep=lambda seconds: time.sleep(seconds * RETRY_WAIT_SCALE))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(slack_sdk.http_retry.handler, "time", scaled)
        patch.setattr(slack_sdk.http_retry.builtin_handlers, "time", scaled)
        yield


@dataclass
class Clock:
    """The domain's "now", set explicitly by each test."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.current

    def set(self, value: datetime) -> None:
        if value.tzinfo is None:
            raise ValueError("tests set aware times only")
        self.current = value

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[str]:
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    yield POSTGRES_URL


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an up-to-date, empty database (the 10 people functions seeded) for one test."""
    if ON_POSTGRES:
        url = request.getfixturevalue("_postgres_schema")
        yield url
        _empty_postgres(url)
    else:
        template = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "govbot.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"


def _empty_postgres(url: str) -> None:
    """Empty every table but the seeded people functions, and restart their ids at 1.

    DELETE, children first, then restarting the tables' sequences: on tables holding a
    test's few rows that is a third of the time TRUNCATE takes (7 ms against 22 ms), which
    makes new files for every table it empties.
    """
    engine = _postgres_engine(url)
    with engine.begin() as connection:
        connection.execute(text(_emptying_sql(connection)))


@functools.cache
def _postgres_engine(url: str) -> Engine:
    """One engine per URL for the whole session, to empty the database between tests."""
    return make_engine(url)


_EMPTIED_TABLES = [
    t.name for t in Base.metadata.sorted_tables if t.name != "people_functions"
] + list(installation_metadata().tables)
_SEQUENCES_OF = text(
    "SELECT seq.relname FROM pg_class seq"
    " JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')"
    " JOIN pg_class tab ON tab.oid = dep.refobjid"
    " WHERE seq.relkind = 'S' AND tab.relname = ANY(:tables) ORDER BY seq.relname"
)
_emptying: dict[str, str] = {}


def _emptying_sql(connection: Connection) -> str:
    url = str(connection.engine.url)
    if url not in _emptying:
        sequences = connection.execute(_SEQUENCES_OF, {"tables": _EMPTIED_TABLES}).scalars()
        _emptying[url] = "; ".join(
            [f"DELETE FROM {table}" for table in reversed(_EMPTIED_TABLES)]
            + [f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences]
        )
    return _emptying[url]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def uow(engine: Engine, clock: Clock) -> UnitOfWork:
    return UnitOfWork(engine, clock=clock)
