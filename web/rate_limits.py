"""Rate limits kept in memory only: counts per key in a sliding window, never stored.

A client is counted under a keyed hash of its address, with a key made fresh each time the
process starts, so not even memory holds the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# Beyond this many keys the oldest are forgotten: a flood of new addresses can't grow
# memory without bound (it can only make the limit forget, never refuse more).
MAX_KEYS = 10_000


@dataclass(frozen=True)
class Limit:
    """At most `count` events per key in any `seconds`."""

    count: int
    seconds: float


class SlidingWindow:
    """Counts events per key over the last `limit.seconds`; thread-safe."""

    def __init__(self, limit: Limit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> float | None:
        """Count one event for `key`; None if allowed, else the seconds until it would be."""
        now = self._clock()
        with self._lock:
            events = self._events.pop(key, None) or deque()
            while events and events[0] <= now - self.limit.seconds:
                events.popleft()
            self._events[key] = events  # re-inserted: the dict stays oldest-used first
            if len(events) >= self.limit.count:
                return max(events[0] + self.limit.seconds - now, 1.0)
            events.append(now)
            while len(self._events) > MAX_KEYS:
                del self._events[next(iter(self._events))]
            return None


class ClientKeys:
    """A stand-in for a client's address that can't be turned back into it."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def __call__(self, address: str) -> str:
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:32]
