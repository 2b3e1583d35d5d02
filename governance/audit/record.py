"""Writing to the audit log from inside a use case's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry

if TYPE_CHECKING:
    from governance.plans.models import Plan


def record(
    session: Session,
    plan: Plan,
    *,
    actor_id: str | None,
    at: datetime,
    entity: str,
    ref: str,
    verb: str,
    **detail: Any,
) -> None:
    """Append one audit entry about `plan`; `detail` values must be JSON-serialisable plain data."""
    session.add(
        AuditEntry(
            workspace_id=plan.workspace_id,
            plan_id=plan.id,
            actor_id=actor_id,
            at=at,
            entity=entity,
            ref=ref,
            verb=verb,
            detail=detail,
        )
    )
