"""The Slack stand-in, able to be told to fail: for tests and benchmarks, not shipped.

    standin.fail("chat.postMessage", status=429, retry_after=0, times=2)

The next `times` calls of a method are answered with that status (or only slowed, with
`status=None`); `stop()` (from the stand-in itself) refuses every later connection.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.console.slack_standin import Call, Override, SlackStandin


@dataclass
class _Fault:
    status: int | None
    retry_after: int | None
    delay: float
    remaining: int


class FaultyStandin(SlackStandin):
    """`SlackStandin` plus `fail(...)`: a bounded number of rate limits, errors or delays."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._faults: dict[str, list[_Fault]] = {}

    def fail(
        self,
        method: str,
        *,
        status: int | None = 429,
        retry_after: int | None = 1,
        delay: float = 0.0,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail (or only be slow, with status=None).

        `method` may be "response" for response URLs or "upload" for file uploads.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = _Fault(status, retry_after if status == 429 else None, delay, times)
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def reset(self) -> None:
        """Forget recorded calls and pending faults (users set stay)."""
        with self._lock:
            super().reset()
            self._faults.clear()

    def forget_everything(self) -> None:
        with self._lock:
            super().forget_everything()
            self._faults.clear()

    def _record(self, call: Call) -> Override | None:
        with self._lock:
            super()._record(call)
            fault = self._take_fault(call.method)
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)  # on the request's own thread, as a slow Slack would be
        if fault.status is None:
            return None
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        error = "ratelimited" if fault.status == 429 else "internal_error"
        return Override(fault.status, {"ok": False, "error": error}, headers)

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.pop(0)
        return fault
