"""Where a person's id appears: every text column of every table, found the same way for
a subject access export and for an erasure, so the two can never disagree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, Table, cast, or_, select
from sqlalchemy.orm import Session

from governance.orm import Base

# Tables that can never name a person: reference data, and the pseudonyms' own numbers.
UNNAMED_TABLES = frozenset({"people_functions", "former_members"})


@dataclass(frozen=True)
class Mention:
    """One row naming the person: its table, its whole content, and the columns naming them."""

    table: Table
    row: dict[str, Any]
    columns: tuple[str, ...]


def id_pattern(user_id: str) -> re.Pattern[str]:
    """The id on its own (not inside a longer id), with or without the mention's `<@…>`."""
    escaped = re.escape(user_id)
    return re.compile(rf"<@{escaped}(?:\|[^>]*)?>|(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])")


def text_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if isinstance(c.type, String | JSON)]


def names(value: Any, pattern: re.Pattern[str]) -> bool:
    """True when `value` (text, or JSON data at any depth) holds the id."""
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(names(k, pattern) or names(v, pattern) for k, v in value.items())
    if isinstance(value, list):
        return any(names(item, pattern) for item in value)
    return False


def mentions(session: Session, user_id: str) -> Iterator[Mention]:
    """Every row of every table with the id in a text or JSON column, table by table."""
    pattern = id_pattern(user_id)
    like = f"%{user_id}%"
    for table in Base.metadata.sorted_tables:
        columns = text_columns(table)
        if table.name in UNNAMED_TABLES or not columns:
            continue
        # LIKE narrows the rows cheaply; the pattern then decides exactly.
        query = (
            select(table)
            .where(or_(*(cast(table.c[name], String).like(like) for name in columns)))
            .order_by(table.c.id)
        )
        for row in session.execute(query).mappings():
            named = tuple(name for name in columns if names(row[name], pattern))
            if named:
                yield Mention(table, dict(row), named)
