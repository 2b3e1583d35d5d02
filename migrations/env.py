"""Alembic environment: runs migrations on the URL `govbot db upgrade` hands it."""

from __future__ import annotations

from alembic import context

from bot.installations import schema_metadata
from governance.database import make_engine

config = context.config
# govbot's own tables, and the OAuth installation and state stores' (migration 0010).
target_metadata = schema_metadata()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to Alembic (set DATABASE_URL)")
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("govbot migrations run online only")
run_migrations_online()
