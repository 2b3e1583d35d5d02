"""Writing to the audit log from inside a use case's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert
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
    """Append one audit entry about `plan`; `detail` values must be JSON-serialisable plain data.

    Written as a row at once (every change records one, and a row costs a fraction of an
    object's flush), after what the session holds is flushed, so whatever it names exists.
    """
    session.flush()
    session.execute(
        _INSERT,
        {
            "workspace_id": plan.workspace_id,
            "plan_id": plan.id,
            "actor_id": actor_id,
            "at": at,
            "entity": entity,
            "ref": ref,
            "verb": verb,
            "detail": detail,
        },
    )


_INSERT = insert(cast(Table, AuditEntry.__table__))
