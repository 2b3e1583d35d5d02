"""Sending each scheduled message once: claim, send, then mark done or failed.

A message's claims are committed before it is sent, so a second replica, a restart or a
re-run that reaches it stands back. When the send fails (Slack refused, or was down) the
claim is kept with the error and the next pass takes it again; the other recipients are
still served. When the process dies between claim and send, the claim is left unfinished
and is taken over once it is older than the lease.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from governance.database import UnitOfWork
from governance.jobs.claims import claim, mark_done, mark_failed, rows_changed
from governance.jobs.models import JobClaim

# Longer than any single send could take (the Web API client gives up well within it).
LEASE = timedelta(minutes=10)
_LOOKUP_CHUNK = 500

log = logging.getLogger("govbot.jobs")


class Deliverable(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def recipient(self) -> str: ...

    @property
    def claim_keys(self) -> tuple[str, ...]: ...

    def only(self, keys: tuple[str, ...]) -> Deliverable | None: ...


D = TypeVar("D", bound=Deliverable)


@dataclass
class RunReport:
    """What one pass of a job did: messages sent, already sent elsewhere, and failed."""

    job: str
    at: datetime
    sent: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def merge(self, other: RunReport) -> RunReport:
        self.sent.extend(other.sent)
        self.skipped += other.skipped
        self.failed.extend(other.failed)
        return self

    def summary(self) -> str:
        return (
            f"{self.job} at {self.at.isoformat()}: {len(self.sent)} sent, "
            f"{self.skipped} already sent, {len(self.failed)} failed"
        )


def take(session: Session, kind: str, key: str, now: datetime, lease: timedelta = LEASE) -> bool:
    """Claim (kind, key): new, abandoned for longer than `lease`, or left failed by a send.

    Taking a failed claim clears its error in the same UPDATE, so two passes racing for
    it cannot both win.
    """
    if claim(session, kind, key, now, stale_after=lease):
        return True
    retried = rows_changed(
        session,
        update(JobClaim)
        .where(
            JobClaim.kind == kind,
            JobClaim.key == key,
            JobClaim.done_at.is_(None),
            JobClaim.last_error.is_not(None),
        )
        .values(claimed_at=now, attempts=JobClaim.attempts + 1, last_error=None)
        .execution_options(synchronize_session=False),
    )
    return retried == 1


def finished_keys(session: Session, kind: str, keys: Iterable[str]) -> set[str]:
    """Those of `keys` whose work is done, looked up in a few queries however many."""
    wanted = list(dict.fromkeys(keys))
    done: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        done.update(
            session.scalars(
                select(JobClaim.key).where(
                    JobClaim.kind == kind, JobClaim.key.in_(chunk), JobClaim.done_at.is_not(None)
                )
            )
        )
    return done


def finished_claims(uow: UnitOfWork, messages: Sequence[Deliverable]) -> dict[str, set[str]]:
    """The claim keys of `messages` already done, by kind, in one transaction."""
    with uow.transaction() as session:
        return {
            kind: finished_keys(
                session, kind, [k for m in messages if m.kind == kind for k in m.claim_keys]
            )
            for kind in {m.kind for m in messages}
        }


def deliver(
    uow: UnitOfWork,
    job: str,
    messages: Sequence[D],
    send: Callable[[D], None],
    *,
    lease: timedelta = LEASE,
    on_sent: Callable[[Session, D, datetime], None] | None = None,
) -> RunReport:
    """Send each message whose claims this pass wins; one failure never stops the rest.

    `on_sent` records what a sent message settles (notices it carried, say) in the same
    transaction that marks it done, so the two are never out of step.
    """
    report = RunReport(job=job, at=uow.now())
    done = finished_claims(uow, messages)
    for message in messages:
        deliver_one(uow, message, done, send, report, lease=lease, on_sent=on_sent)
    return report


def deliver_one(
    uow: UnitOfWork,
    message: D,
    done: dict[str, set[str]],
    send: Callable[[D], None],
    report: RunReport,
    *,
    lease: timedelta = LEASE,
    on_sent: Callable[[Session, D, datetime], None] | None = None,
) -> None:
    """Claim the parts of `message` not `done`, send what was won, mark it; note it in `report`.

    A failed send is noted and its claims kept for the next pass; an error of the database
    (or anything that is not an Exception) goes to the caller.
    """
    candidate = message.only(tuple(k for k in message.claim_keys if k not in done[message.kind]))
    if candidate is None:
        report.skipped += 1
        return
    with uow.transaction() as session:
        won = tuple(
            k for k in candidate.claim_keys if take(session, message.kind, k, report.at, lease)
        )
    if not won:
        report.skipped += 1
        return
    narrowed = candidate.only(won)
    try:
        send(narrowed)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - any failure of one send is that recipient's
        error = f"{type(exc).__name__}: {exc}"
        log.warning(
            "%s to %s failed, will retry next pass: %s", report.job, message.recipient, error
        )
        with uow.transaction() as session:
            for key in won:
                mark_failed(session, message.kind, key, error)
        report.failed.append((message.recipient, error))
        return
    with uow.transaction() as session:
        for key in won:
            mark_done(session, message.kind, key, uow.now())
        if on_sent is not None:
            on_sent(session, narrowed, uow.now())  # type: ignore[arg-type]
    report.sent.append(message.recipient)
