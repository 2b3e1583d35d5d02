"""Answering Slack's HTTP request the moment a listener acknowledges, not up to 10 ms later.

Bolt (`process_before_response=False`) hands the listener to a thread and then polls for
its `ack()` every 10 ms (`time.sleep(0.01)` in its thread runner). A listener acknowledges
within a millisecond, but the request thread has gone to sleep by then, so every request
waited most of those 10 ms before Slack heard back (benchmarks/README.md: the floor's ack
took 11 ms at one client while its reply arrived after 1.5 ms).

Here the request's `ack` sets an event, and the listener executor, called by the request
thread to start the listener, returns only once the listener has acknowledged or ended (at
most `ACK_WAIT_SECONDS`, Slack's 3 s): Bolt's poll then finds the acknowledgement at once.
A request dispatched without `acknowledging()` (Socket Mode) is run as Bolt runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, BoltRequest

# Bolt's own limit for an acknowledgement (Listener.ack_timeout); Slack gives up after 3 s.
ACK_WAIT_SECONDS = 3.0

_dispatching = threading.local()


class SignalledAck(Ack):
    """Bolt's `ack`, which also tells the request thread it has been called."""

    def __init__(self) -> None:
        super().__init__()
        self.given = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.given.set()


@contextmanager
def acknowledging(request: BoltRequest) -> Iterator[SignalledAck]:
    """While the calling thread dispatches `request`, its listener's ack wakes it."""
    ack = SignalledAck()
    request.context["ack"] = ack
    _dispatching.ack = ack
    try:
        yield ack
    finally:
        _dispatching.ack = None


class ListenerExecutor(ThreadPoolExecutor):
    """The listeners' threads; a listener started while a request is being dispatched
    returns to the request thread once it has acknowledged (or ended)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        ack: SignalledAck | None = getattr(_dispatching, "ack", None)
        if ack is not None:
            given = ack.given
            future.add_done_callback(lambda _done: given.set())
            given.wait(ACK_WAIT_SECONDS)
        return future
