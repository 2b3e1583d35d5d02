"""Engines and the unit of work: one transaction per use case."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import InterfaceError as SAInterfaceError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from governance.errors import Conflict, Unavailable
from governance.orm import utcnow

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 15_000

# One writer lock per SQLite engine: see UnitOfWork.transaction.
_SQLITE_WRITERS: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()
_SQLITE_WRITERS_GUARD = threading.Lock()


def make_engine(url: str, **kwargs: object) -> Engine:
    """Build an engine with the settings govbot relies on for each backend."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **kwargs,  # type: ignore[arg-type]
        )
        _tune_sqlite(engine)
        return engine
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    options: dict[str, object] = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
    options.update(kwargs)
    return create_engine(url, connect_args={"connect_timeout": 2}, **options)  # type: ignore[arg-type]


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, open transactions, so BEGIN IMMEDIATE below applies.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # Writers queue on the busy timeout instead of failing with "database is locked"
        # when a read transaction later tries to upgrade to a write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class UnitOfWork:
    """Hands each use case one session inside one transaction.

    `clock` is the source of "now" for the domain, so tests and `jobs run --at` can set it.
    """

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writer = _writer_lock(engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit when the block ends, roll back on any error; map outages and races.

        On SQLite every transaction holds the database's write lock (BEGIN IMMEDIATE), so
        use cases run one at a time whatever we do. Threads of this process queue for it on
        a lock that wakes the next waiter as soon as it is free, instead of polling in
        SQLite's busy handler, which sleeps up to 100 ms between tries; other processes
        still meet the busy timeout.
        """
        try:
            with self._writer, self._sessions() as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise Conflict(
                "Someone else changed this at the same moment. Nothing of yours was saved; "
                "please look at it again and retry."
            ) from exc
        except (OperationalError, SAInterfaceError) as exc:
            if _is_outage(exc):
                raise Unavailable(
                    "govbot's database is temporarily unavailable, so nothing was changed. "
                    "Please try again in a minute."
                ) from exc
            raise

    def run(self, work: Callable[[Session], T], attempts: int = 3) -> T:
        """Run `work` in a transaction, retrying a lost optimistic-lock race."""
        for attempt in range(attempts):
            try:
                with self.transaction() as session:
                    return work(session)
            except Conflict:
                if attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            return False

    def now(self) -> datetime:
        return self.clock()


def _writer_lock(engine: Engine) -> AbstractContextManager[object]:
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _SQLITE_WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(engine, threading.RLock())


def _is_outage(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    message = str(exc.orig).lower()
    return any(
        marker in message
        for marker in (
            "connection",
            "server closed",
            "could not connect",
            "terminating",
            "shutting down",
            "the database system is",
        )
    )
