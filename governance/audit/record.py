"""Writing to the audit log from inside a use case's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry


def record(
    session: Session,
    *,
    workspace_id: int,
    plan_id: int | None,
    actor_id: str | None,
    at: datetime,
    entity: str,
    ref: str,
    verb: str,
    **detail: Any,
) -> None:
    """Append one audit entry; `detail` values must be JSON-serialisable plain data."""
    session.add(
        AuditEntry(
            workspace_id=workspace_id,
            plan_id=plan_id,
            actor_id=actor_id,
            at=at,
            entity=entity,
            ref=ref,
            verb=verb,
            detail=detail,
        )
    )
