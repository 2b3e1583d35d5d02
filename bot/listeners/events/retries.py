"""Slack re-sends an event it thinks was missed (X-Slack-Retry-Num); govbot acts on it once.

Every event callback's event_id is claimed in job_claims before any listener sees it; a
second delivery finds the claim and is acknowledged without being processed again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from logging import Logger
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from governance.errors import Unavailable
from governance.jobs.claims import claim, forget

if TYPE_CHECKING:
    from bot.deps import BotDeps
    from governance.database import UnitOfWork

CLAIM_KIND = "event"
# Slack retries a missed event three times within about an hour; a day is ample.
EVENT_MEMORY = timedelta(days=1)


def forget_old_events(uow: UnitOfWork) -> int:
    """Drop event claims older than EVENT_MEMORY, so the table does not grow for ever."""
    with uow.transaction() as session:
        return forget(session, CLAIM_KIND, uow.now() - EVENT_MEMORY)


def register(app: App, deps: BotDeps) -> None:
    @app.middleware
    def process_each_event_once(
        body: dict[str, Any], next: Callable[[], None], logger: Logger
    ) -> BoltResponse | None:
        event_id = body.get("event_id")
        if body.get("type") != "event_callback" or not isinstance(event_id, str):
            next()
            return None
        try:
            with deps.uow.transaction() as session:
                first = claim(session, CLAIM_KIND, event_id, deps.uow.now())
        except (Unavailable, SQLAlchemyError):
            # Not acknowledging makes Slack deliver it again later, when the database is back.
            logger.warning("database unavailable; event %s left for Slack to retry", event_id)
            return BoltResponse(status=503, body="")
        if not first:
            logger.info("event %s was already processed; this delivery is ignored", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None
