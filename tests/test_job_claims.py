"""Claims make a piece of work happen once, however often it is attempted."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, select

from governance.database import UnitOfWork
from governance.jobs.claims import claim, mark_done, mark_failed
from governance.models import JobClaim
from tests.conftest import Clock


def _row(uow: UnitOfWork, kind: str, key: str) -> JobClaim:
    with uow.transaction() as session:
        return session.scalars(
            select(JobClaim).where(JobClaim.kind == kind, JobClaim.key == key)
        ).one()


def test_the_first_claim_wins_and_a_second_is_refused(uow: UnitOfWork) -> None:
    with uow.transaction() as session:
        assert claim(session, "digest", "plan-1/2026-W48", uow.now()) is True
    with uow.transaction() as session:
        assert claim(session, "digest", "plan-1/2026-W48", uow.now()) is False
    assert _row(uow, "digest", "plan-1/2026-W48").attempts == 1


def test_a_refused_claim_leaves_the_rest_of_the_transaction_usable(uow: UnitOfWork) -> None:
    with uow.transaction() as session:
        claim(session, "event", "Ev1", uow.now())
    with uow.transaction() as session:
        assert claim(session, "event", "Ev1", uow.now()) is False
        assert claim(session, "event", "Ev2", uow.now()) is True
    with uow.transaction() as session:
        keys = session.scalars(select(JobClaim.key).order_by(JobClaim.key)).all()
    assert keys == ["Ev1", "Ev2"]


def test_the_same_key_of_another_kind_is_a_different_claim(uow: UnitOfWork) -> None:
    with uow.transaction() as session:
        assert claim(session, "nudge", "U1/2026-11-30", uow.now())
        assert claim(session, "escalation", "U1/2026-11-30", uow.now())


def test_a_claim_rolled_back_with_its_transaction_can_be_made_again(uow: UnitOfWork) -> None:
    class Crash(Exception):
        pass

    try:
        with uow.transaction() as session:
            assert claim(session, "digest", "k", uow.now())
            raise Crash
    except Crash:
        pass
    with uow.transaction() as session:
        assert claim(session, "digest", "k", uow.now())


def test_mark_done_records_when_the_work_finished(uow: UnitOfWork, clock: Clock) -> None:
    with uow.transaction() as session:
        claim(session, "digest", "k", uow.now())
    clock.advance(minutes=2)
    with uow.transaction() as session:
        mark_done(session, "digest", "k", uow.now())
    row = _row(uow, "digest", "k")
    assert row.done_at == clock.current
    assert row.claimed_at == clock.current - timedelta(minutes=2)


def test_an_unfinished_claim_is_taken_over_after_its_lease(uow: UnitOfWork, clock: Clock) -> None:
    lease = timedelta(minutes=10)
    with uow.transaction() as session:
        claim(session, "nudge", "U1/day", uow.now(), stale_after=lease)
    clock.advance(minutes=5)
    with uow.transaction() as session:
        assert claim(session, "nudge", "U1/day", uow.now(), stale_after=lease) is False
    clock.advance(minutes=6)
    with uow.transaction() as session:
        assert claim(session, "nudge", "U1/day", uow.now(), stale_after=lease) is True
    with uow.transaction() as session:
        assert claim(session, "nudge", "U1/day", uow.now(), stale_after=lease) is False
    row = _row(uow, "nudge", "U1/day")
    assert row.attempts == 2
    assert row.claimed_at == clock.current


def test_a_finished_claim_is_never_taken_over(uow: UnitOfWork, clock: Clock) -> None:
    with uow.transaction() as session:
        claim(session, "digest", "k", uow.now())
        mark_done(session, "digest", "k", uow.now())
    clock.advance(days=30)
    with uow.transaction() as session:
        assert claim(session, "digest", "k", uow.now(), stale_after=timedelta(minutes=1)) is False


def test_mark_failed_keeps_the_claim_open_and_notes_the_error(uow: UnitOfWork) -> None:
    with uow.transaction() as session:
        claim(session, "digest", "k", uow.now())
        mark_failed(session, "digest", "k", "chat.postMessage: channel_not_found " * 40)
    row = _row(uow, "digest", "k")
    assert row.done_at is None
    assert row.last_error is not None
    assert row.last_error.startswith("chat.postMessage: channel_not_found")
    assert len(row.last_error) == 500


def test_concurrent_claims_of_one_key_have_exactly_one_winner(engine: Engine, clock: Clock) -> None:
    uow = UnitOfWork(engine, clock=clock)
    start = threading.Barrier(6)
    results: list[bool] = []
    lock = threading.Lock()

    def attempt() -> None:
        start.wait(timeout=10)
        with uow.transaction() as session:
            won = claim(session, "digest", "plan-1/2026-W48", uow.now())
        with lock:
            results.append(won)

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False] * 5 + [True]
