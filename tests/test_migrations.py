"""The schema is made only by Alembic, and the migrations agree with the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from bot.installations import installation_metadata, schema_metadata
from governance.database import make_engine
from governance.models import Base, PeopleFunction
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.schema import downgrade, upgrade
from tests.conftest import ON_POSTGRES, POSTGRES_URL


@pytest.fixture
def empty_engine(tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """An engine on a database with no tables at all."""
    if not ON_POSTGRES:
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    name = f"govbot_migrations_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(POSTGRES_URL.rsplit("/", 1)[0] + "/" + name)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def test_upgrade_builds_every_table_the_models_declare(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert set(installation_metadata().tables) <= tables


def test_models_and_migrations_agree(empty_engine: Engine) -> None:
    """govbot's models, and the OAuth installation and state stores' tables (slack_sdk's)."""
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, schema_metadata()) == []


def test_the_ten_people_functions_are_seeded_with_their_official_names(
    empty_engine: Engine,
) -> None:
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        rows = session.scalars(select(PeopleFunction).order_by(PeopleFunction.number)).all()
    assert [(r.number, r.key, r.name) for r in rows] == [
        (f.number, f.key, f.name) for f in PEOPLE_FUNCTIONS
    ]


def test_upgrade_downgrade_upgrade_round_trips(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_engine)
    with Session(empty_engine) as session:
        assert session.scalar(select(PeopleFunction).where(PeopleFunction.number == 10))


def test_retention_upgrade_keeps_existing_plans_and_feedback(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0001")
    with empty_engine.begin() as connection:
        connection.execute(
            text("INSERT INTO workspaces (id, team_id, created_at) VALUES (1, 'T1', :at)"),
            {"at": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO plans (id, workspace_id, name, timezone, digest_weekday, digest_time,"
                " nudge_time, quiet_weekends, anonymity_threshold, next_action_number,"
                " next_risk_number, next_feedback_number, next_win_number, created_by,"
                " created_at) VALUES (1, 1, 'Plan', 'Europe/London', 0, '09:00:00', '09:00:00',"
                " true, 11, 1, 1, 2, 1, 'U1', :at)"
            ),
            {"at": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO feedback (plan_id, number, source, text, anonymous, created_at)"
                " VALUES (1, 1, 'staff', 'Kept', false, :at)"
            ),
            {"at": "2026-01-01 00:00:00"},
        )
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT feedback_retention_months FROM plans")).all() == [
            (24,)
        ]
        assert connection.execute(text("SELECT text, text_erased_at FROM feedback")).all() == [
            ("Kept", None)
        ]
    downgrade(empty_engine, "0001")
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM plans")).all() == [("Plan",)]
