"""`govbot db backup FILE`: an online, consistent copy of a SQLite database.

SQLite's backup API copies the database as one snapshot while the bot goes on writing
(WAL mode lets writers continue beside the reader), so the copy holds every change committed
before it began and none half-written. PostgreSQL has its own tools (docs/admin-guide.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database at `database_url` to `target`; returns its size in bytes.

    The copy is written beside `target` and renamed into place once checked, so a failed
    backup never leaves a file that looks like a good one.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "db backup copies SQLite databases; for PostgreSQL use pg_dump "
            "(docs/admin-guide.md, Backups)"
        )
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise BackupError(f"there is no SQLite database at {url.database or '(none)'}")
    if target.exists():
        raise BackupError(f"{target} already exists; give a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(target.name + ".partial")
    reader = sqlite3.connect(source)
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
            (status,) = writer.execute("PRAGMA quick_check").fetchone()
            if status != "ok":
                raise BackupError(f"the copy failed its integrity check: {status}")
        finally:
            writer.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        reader.close()
    os.replace(partial, target)
    return target.stat().st_size
