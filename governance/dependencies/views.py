"""Plain data about dependencies for rendering: an action's links, notices, the digest's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from governance.actions.status import ActionStatus
from governance.dependencies.rules import BlockReason


@dataclass(frozen=True)
class LinkedActionView:
    """An action at the other end of a dependency, with its state and why it holds others up."""

    ref: str
    title: str
    status: ActionStatus
    due_date: date | None
    overdue: bool
    owner_id: str | None
    reasons: tuple[BlockReason, ...] = ()


@dataclass(frozen=True)
class ActionLinksView:
    """What an action waits on (all of it) and what waits on it (the first few, and a count)."""

    waits_on: tuple[LinkedActionView, ...] = ()
    waited_on_by: tuple[LinkedActionView, ...] = ()
    waited_on_by_total: int = 0


@dataclass(frozen=True)
class DependencyChangeView:
    """`action depends`: what the action waits on now, and the references it waited on before."""

    plan_id: int
    ref: str
    title: str
    waits_on: tuple[LinkedActionView, ...]
    before: tuple[str, ...]


@dataclass(frozen=True)
class BlockedActionView:
    """An open action waiting on actions that are red, overdue or cancelled (`blockers`)."""

    plan_id: int
    ref: str
    title: str
    owner_id: str | None
    blockers: tuple[LinkedActionView, ...]
    # The notices a nudge carrying this tells, so sending it marks them told.
    notice_ids: tuple[int, ...] = ()
