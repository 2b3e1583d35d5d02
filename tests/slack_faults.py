"""The Slack stand-in, able to be told to fail: for tests and benchmarks, not shipped.

    standin.fail("chat.postMessage", status=429, retry_after=0, times=2)

The next `times` calls of a method are answered with that status (or only slowed, with
`status=None`), or only its calls to one channel with `channel=`; `refused` lists the calls
answered with an error, and `arrived_at` when each call came; while slow calls are held,
`peak_in_flight` counts the most held at once by method and by (method, channel); `stop()`
(from the stand-in itself) refuses every later connection.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.console.slack_standin import Call, Override, SlackStandin


@dataclass
class _Fault:
    status: int | None
    retry_after: int | None
    delay: float
    remaining: int
    channel: str | None = None


class FaultyStandin(SlackStandin):
    """`SlackStandin` plus `fail(...)`: a bounded number of rate limits, errors or delays."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._faults: dict[str, list[_Fault]] = {}
        self.refused: list[Call] = []
        self.arrived_at: list[tuple[float, Call]] = []
        self.peak_in_flight: Counter[str | tuple[str, str | None]] = Counter()
        self._in_flight: Counter[str | tuple[str, str | None]] = Counter()

    def fail(
        self,
        method: str,
        *,
        status: int | None = 429,
        retry_after: int | None = 1,
        delay: float = 0.0,
        times: int = 1,
        channel: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` fail (or only be slow, with status=None).

        `method` may be "response" for response URLs or "upload" for file uploads. With
        `channel`, only calls to that channel count: when sends run side by side, "the next
        calls" of a method would be anyone's.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = _Fault(status, retry_after if status == 429 else None, delay, times, channel)
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def reset(self) -> None:
        """Forget recorded calls and pending faults (users set stay)."""
        with self._lock:
            super().reset()
            self._faults.clear()
            self.refused.clear()
            self.arrived_at.clear()
            self.peak_in_flight.clear()

    def forget_everything(self) -> None:
        with self._lock:
            super().forget_everything()
            self._faults.clear()
            self.refused.clear()
            self.arrived_at.clear()
            self.peak_in_flight.clear()

    def _record(self, call: Call) -> Override | None:
        with self._lock:
            super()._record(call)
            self.arrived_at.append((time.monotonic(), call))
            fault = self._take_fault(call)
            if fault is not None and fault.status is not None:
                self.refused.append(call)
        if fault is None:
            return None
        if fault.delay:
            self._hold(call, fault.delay)
        if fault.status is None:
            return None
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        error = "ratelimited" if fault.status == 429 else "internal_error"
        return Override(fault.status, {"ok": False, "error": error}, headers)

    def _hold(self, call: Call, delay: float) -> None:
        """Sleep on the request's own thread, as a slow Slack would, counting who waits."""
        keys = (call.method, (call.method, call.params.get("channel")))
        with self._lock:
            for key in keys:
                self._in_flight[key] += 1
                self.peak_in_flight[key] = max(self.peak_in_flight[key], self._in_flight[key])
        try:
            time.sleep(delay)
        finally:
            with self._lock:
                for key in keys:
                    self._in_flight[key] -= 1

    def _take_fault(self, call: Call) -> _Fault | None:
        queue = self._faults.get(call.method, [])
        channel = call.params.get("channel")
        fault = next((f for f in queue if f.channel in (None, channel)), None)
        if fault is None:
            return None
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.remove(fault)
        return fault
