"""Claims: a row in job_claims per (kind, key) makes a piece of work happen exactly once.

Whoever inserts the row first owns the work; everyone else (a retry, a restart, another
replica) sees the unique constraint and stands back. A claim whose owner died before
`mark_done` can be taken over once it is older than a lease the caller chooses.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.jobs.models import JobClaim

LAST_ERROR_LENGTH = 500


def claim(
    session: Session,
    kind: str,
    key: str,
    now: datetime,
    *,
    stale_after: timedelta | None = None,
) -> bool:
    """Claim (kind, key) for the caller; False when someone already holds or finished it.

    With `stale_after`, an unfinished claim last taken before `now - stale_after` is taken
    over (its `attempts` counts the takeovers); a finished one never is.
    """
    try:
        with session.begin_nested():
            session.add(JobClaim(kind=kind, key=key, claimed_at=now, attempts=1))
        return True
    except IntegrityError:
        pass
    if stale_after is None:
        return False
    taken = rows_changed(
        session,
        update(JobClaim)
        .where(
            JobClaim.kind == kind,
            JobClaim.key == key,
            JobClaim.done_at.is_(None),
            JobClaim.claimed_at < now - stale_after,
        )
        .values(claimed_at=now, attempts=JobClaim.attempts + 1)
        .execution_options(synchronize_session=False),
    )
    return taken == 1


def mark_done(session: Session, kind: str, key: str, now: datetime) -> None:
    """Record that the claimed work finished, so it is never taken over."""
    session.execute(
        update(JobClaim)
        .where(JobClaim.kind == kind, JobClaim.key == key)
        .values(done_at=now, last_error=None)
        .execution_options(synchronize_session=False)
    )


def mark_failed(session: Session, kind: str, key: str, error: str) -> None:
    """Keep the claim unfinished and note why, for whoever takes it over or looks."""
    session.execute(
        update(JobClaim)
        .where(JobClaim.kind == kind, JobClaim.key == key)
        .values(last_error=error[:LAST_ERROR_LENGTH])
        .execution_options(synchronize_session=False)
    )


def forget(session: Session, kind: str, claimed_before: datetime) -> int:
    """Delete the claims of `kind` taken before `claimed_before`; returns how many went.

    For claims that only need remembering for a while (Slack's retries of an event).
    """
    return rows_changed(
        session,
        delete(JobClaim)
        .where(JobClaim.kind == kind, JobClaim.claimed_at < claimed_before)
        .execution_options(synchronize_session=False),
    )


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed."""
    result = session.execute(statement)
    # A DML statement's result is a cursor result; SQLAlchemy types it only as `Result`.
    return int(cast("CursorResult[Any]", result).rowcount or 0)
