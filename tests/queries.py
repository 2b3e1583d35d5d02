"""Counting the SQL statements an engine runs (SQLAlchemy's before_cursor_execute), for tests
and benchmarks alike."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


class QueryCounter:
    """Counts statements sent by this thread while `counting()` is open.

    Transaction control (SQLite's `BEGIN IMMEDIATE`, sent as a statement) is not a query
    and is left out, so both backends count alike.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0
        self.statements: list[str] = []
        self._thread: int | None = None
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self._thread == threading.get_ident() and not statement.startswith("BEGIN"):
            self.count += 1
            self.statements.append(statement)

    @contextmanager
    def counting(self) -> Iterator[QueryCounter]:
        self.count = 0
        self.statements = []
        self._thread = threading.get_ident()
        try:
            yield self
        finally:
            self._thread = None

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


def queries_run(engine: Engine, work: Callable[[], object]) -> int:
    """How many statements `work()` sends to `engine` from this thread."""
    counter = QueryCounter(engine)
    try:
        with counter.counting():
            work()
    finally:
        counter.close()
    return counter.count
