"""Backups taken while govbot is busy hold every change it had acknowledged: on SQLite with
`govbot db backup FILE`, on PostgreSQL with the admin guide's pg_dump / pg_restore."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from bot.cli import main
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import make_engine
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.conftest import ON_POSTGRES, POSTGRES_URL
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer

WRITES = 60
BACKUP_AFTER = 20
ADDED = re.compile(r"\bA-(\d+)\b")


@pytest.fixture
def cli_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env


def numbers_in(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(select(Action.number).order_by(Action.number)).scalars())


def backup_under_load(bot: BotServer, take_backup: Callable[[], None]) -> set[int]:
    """Add WRITES actions from another thread; after BACKUP_AFTER are acknowledged, back up
    while the rest go on. Returns the numbers told "added" before the backup began."""
    setup_plan(bot.uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
    acknowledged: list[int] = []
    enough = threading.Event()

    def write() -> None:
        for i in range(WRITES):
            reply = bot.slash_reply("/action", f'add "Backup load {i}"')
            acknowledged.append(int(ADDED.search(reply["text"])[1]))  # type: ignore[index]
            if len(acknowledged) == BACKUP_AFTER:
                enough.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert enough.wait(60)
    before = set(acknowledged)
    take_backup()
    writer.join(120)
    assert not writer.is_alive()
    assert len(acknowledged) == WRITES, "the bot went on answering while the backup ran"
    return before


def assert_consistent_copy(restored: Engine, before: set[int]) -> None:
    numbers = numbers_in(restored)
    assert before <= set(numbers), "every change acknowledged before the backup is in it"
    assert numbers == list(range(1, len(numbers) + 1)), "a snapshot: no change half-kept"
    with restored.connect() as connection:
        audited = connection.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE entity = 'action' AND verb = 'add'")
        ).scalar_one()
    assert audited == len(numbers), "each action in the copy has its audit entry"


@pytest.mark.skipif(ON_POSTGRES, reason="db backup copies SQLite databases")
def test_db_backup_under_write_load_holds_every_acknowledged_change(
    bot_server: BotServer, cli_environment: None, tmp_path: Path, database_url: str
) -> None:
    target = tmp_path / "backup.db"
    before = backup_under_load(bot_server, lambda: assert_ok(main(["db", "backup", str(target)])))
    restored = make_engine(f"sqlite:///{target}")
    try:
        assert_consistent_copy(restored, before)
    finally:
        restored.dispose()
    assert len(numbers_in(bot_server.uow.engine)) == WRITES


def assert_ok(status: int) -> None:
    assert status == 0


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    name = f"govbot_restore_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL procedure")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore")
def test_pg_dump_under_write_load_restores_every_acknowledged_change(
    bot_server: BotServer, tmp_path: Path, scratch_postgres: str
) -> None:
    dump = tmp_path / "govbot.dump"

    def pg_dump() -> None:
        started = time.monotonic()
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(dump), POSTGRES_URL],
            check=True,
            timeout=60,
        )
        assert time.monotonic() - started < 60

    before = backup_under_load(bot_server, pg_dump)
    subprocess.run(
        ["pg_restore", "--no-owner", "--dbname", scratch_postgres, str(dump)],
        check=True,
        timeout=60,
    )
    restored = make_engine(scratch_postgres)
    try:
        assert_consistent_copy(restored, before)
    finally:
        restored.dispose()


def test_db_backup_refuses_what_it_cannot_do_and_says_why(
    cli_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"")
    if not ON_POSTGRES:
        assert main(["db", "backup", str(taken)]) == 1
        assert f"no backup made: {taken} already exists; give a new file name" in (
            capsys.readouterr().err
        )
        assert main(["db", "backup", str(tmp_path / "no-such-folder" / "b.db")]) == 1
        assert "does not exist" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", "postgresql://govbot@127.0.0.1:1/govbot")
    assert main(["db", "backup", str(tmp_path / "b.db")]) == 1
    assert "for PostgreSQL use pg_dump (docs/admin-guide.md, Backups)" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()
