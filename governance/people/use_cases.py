"""Subject access and erasure (UK GDPR articles 15 and 17) for one person, by their id.

Both read the same `mentions`: every row of every table that names the person. Anonymous
feedback never names its giver, so neither ever finds a giver in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import String, Table, delete, select, update
from sqlalchemy.orm import Session

from governance.audit.models import AuditEntry
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.people.mentions import Mention, id_pattern, mentions
from governance.people.models import FormerMember
from governance.plans.inputs import USER_ID
from governance.plans.models import Plan, Role
from governance.plans.permissions import MANAGERS

# Rows that only make sense for a living member: a role to act in, a working pattern to be
# nudged by. They are deleted on erasure; what the person did stays, under the pseudonym.
FORGOTTEN_TABLES = frozenset({"roles", "member_preferences"})
_PLAN_KEY = re.compile(r"^plan-(\d+)/")


@dataclass(frozen=True)
class Erasure:
    """What `erase_person` did: the pseudonym, and the rows changed in each table."""

    pseudonym: str
    rows: dict[str, int]


def check_user_id(user_id: str) -> str:
    """The id as given, or a refusal showing what one looks like."""
    if not re.match(USER_ID, user_id):
        raise Invalid(
            f"`{user_id[:40]}` is not a member id.",
            hint="Give the id, not the name: it looks like U012AB3CD.",
        )
    return user_id


def export_person(uow: UnitOfWork, user_id: str) -> dict[str, Any]:
    """Everything govbot holds that names the person, as plain JSON-ready data."""
    check_user_id(user_id)
    with uow.transaction() as session:
        found = list(mentions(session, user_id))
        records: dict[str, list[dict[str, Any]]] = {}
        for mention in found:
            row = {key: _plain(value) for key, value in mention.row.items()}
            records.setdefault(mention.table.name, []).append(
                {"named_in": list(mention.columns), **row}
            )
        plan_ids = {pid for m in found if (pid := _plan_id(session, m)) is not None}
        plans = session.execute(
            select(Plan.id, Plan.name).where(Plan.id.in_(plan_ids)).order_by(Plan.id)
        )
        return {
            "user_id": user_id,
            "generated_at": uow.now().isoformat(),
            "plans": [{"id": pid, "name": name} for pid, name in plans],
            "records": records,
        }


def erase_person(uow: UnitOfWork, user_id: str) -> Erasure:
    """Replace the person's id everywhere, the audit log included, with "former member N".

    Their roles and working pattern are deleted; every other row keeps its shape with the
    pseudonym in place of the id. The erasure is audited in each workspace the person was
    in, saying how many rows changed and nothing of what they held. It is refused while the
    person is the last lead or chair of a plan, which nobody could then manage.
    """
    check_user_id(user_id)
    with uow.transaction() as session:
        found = list(mentions(session, user_id))
        if not found:
            raise NotFound(f"govbot holds nothing that names {user_id}; nothing was changed.")
        _refuse_leaving_plans_unmanaged(session, user_id)
        former = FormerMember(erased_at=uow.now())
        session.add(former)
        session.flush()
        name = former.pseudonym
        pattern = id_pattern(user_id)
        counts: Counter[str] = Counter()
        plans: set[int] = set()
        for mention in found:
            plan_id = _plan_id(session, mention)
            if plan_id is not None:
                plans.add(plan_id)
            table = mention.table
            where = table.c.id == mention.row["id"]
            if table.name in FORGOTTEN_TABLES:
                session.execute(delete(table).where(where))
            else:
                values = {
                    column: _replaced(table, column, mention.row[column], pattern, name)
                    for column in mention.columns
                }
                session.execute(update(table).where(where).values(**values))
            counts[table.name] += 1
        workspaces = set(
            session.scalars(select(Plan.workspace_id).where(Plan.id.in_(plans)).distinct())
        )
        workspaces |= {m.row["workspace_id"] for m in found if "workspace_id" in m.row}
        for workspace_id in sorted(workspaces):
            session.add(
                AuditEntry(
                    workspace_id=workspace_id,
                    plan_id=None,
                    actor_id=None,
                    at=uow.now(),
                    entity="person",
                    ref=name,
                    verb="erase",
                    detail={"rows": dict(sorted(counts.items()))},
                )
            )
        return Erasure(pseudonym=name, rows=dict(sorted(counts.items())))


def _refuse_leaving_plans_unmanaged(session: Session, user_id: str) -> None:
    """Refuse when the person is the only lead or chair of a plan."""
    managed = select(Role.plan_id).where(Role.user_id == user_id, Role.role.in_(MANAGERS))
    others = (
        select(Role.plan_id)
        .where(Role.plan_id.in_(managed), Role.user_id != user_id, Role.role.in_(MANAGERS))
        .distinct()
    )
    alone = session.scalars(
        select(Plan.name).where(Plan.id.in_(managed), Plan.id.not_in(others)).order_by(Plan.id)
    ).all()
    if alone:
        raise Invalid(
            f"{user_id} is the only lead or chair of {', '.join(alone)}, so nothing was "
            "changed: nobody could manage it afterwards.",
            hint="Make someone else a lead or chair of it first, then erase again.",
        )


def _plan_id(session: Session, mention: Mention) -> int | None:
    """The plan a row belongs to: its own plan_id, its parent's, or a claim key's."""
    row = mention.row
    if row.get("plan_id") is not None:
        return int(row["plan_id"])
    for key in mention.table.foreign_keys:
        parent = key.column.table
        value = row.get(key.parent.name)
        if value is not None and "plan_id" in parent.c:
            found = session.scalar(select(parent.c.plan_id).where(key.column == value))
            if found is not None:
                return int(found)
    match = _PLAN_KEY.match(str(row.get("key") or ""))
    return int(match[1]) if match else None


def _replaced(table: Table, column: str, value: Any, pattern: re.Pattern[str], name: str) -> Any:
    if isinstance(value, str):
        replaced = pattern.sub(name, value)
        length = getattr(table.c[column].type, "length", None)
        if isinstance(table.c[column].type, String) and length:
            replaced = replaced[:length]
        return replaced
    if isinstance(value, dict):
        return {
            _replaced(table, column, k, pattern, name): _replaced(table, column, v, pattern, name)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_replaced(table, column, item, pattern, name) for item in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
