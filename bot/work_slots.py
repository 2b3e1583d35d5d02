"""A bounded number of listeners doing work at once, served in the order they arrived.

threading.Semaphore lets a newcomer take a slot freed for a thread already waiting, which
then waits again at the back: under load some commands waited many times their share.
Here a freed slot is handed straight to the longest waiter.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class WorkSlots:
    """`with slots:` holds one of `count` slots; waiters get them first come, first served."""

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError("at least one work slot is needed")
        self._guard = threading.Lock()
        self._free = count
        self._waiters: deque[threading.Lock] = deque()

    @property
    def waiting(self) -> int:
        """How many threads are waiting for a slot."""
        with self._guard:
            return len(self._waiters)

    def __enter__(self) -> WorkSlots:
        with self._guard:
            if self._free and not self._waiters:
                self._free -= 1
                return self
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        turn.acquire()  # released by the thread handing its slot over
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._free += 1
