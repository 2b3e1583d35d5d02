"""Building and checking the schema through Alembic, the only way it is made."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

import migrations

MIGRATIONS_DIR = Path(migrations.__file__).parent


class SchemaNotReady(Exception):
    """The database cannot be served from; the message says why, on one line, for an operator."""


class DatabaseUnreachable(SchemaNotReady):
    """The database did not answer."""


class SchemaNotCurrent(SchemaNotReady):
    """The database is reachable but not migrated to the revision this code expects."""


def alembic_config(engine: Engine) -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database at `engine` up to `revision` (the newest by default)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def require_current_schema(engine: Engine) -> None:
    """Refuse a database that is unreachable or not at the newest revision.

    Nothing migrates by itself: an operator runs `govbot db upgrade` deliberately.
    """
    where = engine.url.render_as_string(hide_password=True)
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseUnreachable(f"cannot reach the database at {where}: {reason}") from None
    if current != heads:
        found = ", ".join(sorted(current)) or "no schema"
        raise SchemaNotCurrent(
            f"the database at {where} is at {found}, not {', '.join(sorted(heads))}; "
            "run `govbot db upgrade`"
        )
