"""Work slots: a bounded number of listeners work at once, and waiters are served in order."""

from __future__ import annotations

import threading

import pytest

from bot.work_slots import WorkSlots
from tests.postgres_cluster import wait_until


def test_a_slot_is_taken_at_once_while_one_is_free() -> None:
    slots = WorkSlots(2)
    with slots, slots:
        assert slots.waiting == 0


def test_freed_slots_go_to_waiters_in_the_order_they_arrived() -> None:
    slots = WorkSlots(1)
    served: list[int] = []

    def worker(n: int) -> None:
        with slots:
            served.append(n)

    with slots:
        threads = []
        for n in range(6):
            thread = threading.Thread(target=worker, args=(n,))
            thread.start()
            threads.append(thread)
            wait_until(lambda n=n: slots.waiting == n + 1, timeout=10)
    for thread in threads:
        thread.join(timeout=10)
    assert served == list(range(6))
    assert slots.waiting == 0


def test_a_newcomer_does_not_take_a_slot_freed_for_a_waiter() -> None:
    slots = WorkSlots(1)
    order: list[str] = []

    def waiter() -> None:
        with slots:
            order.append("waiter")

    slots.__enter__()
    thread = threading.Thread(target=waiter)
    thread.start()
    wait_until(lambda: slots.waiting == 1, timeout=10)
    slots.__exit__(None, None, None)
    with slots:  # straight back, before the waiter has had a chance to run
        order.append("newcomer")
    thread.join(timeout=10)
    assert order == ["waiter", "newcomer"]


def test_there_is_at_least_one_slot() -> None:
    with pytest.raises(ValueError):
        WorkSlots(0)
