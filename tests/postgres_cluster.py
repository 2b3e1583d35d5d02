"""A throwaway PostgreSQL cluster that a test may stop and start at will.

The shared PostgreSQL other tests use must never be stopped, so fault tests run their own:
`initdb` into a temporary directory and `pg_ctl` on a free loopback port, as the `postgres`
user (PostgreSQL refuses to run as root). Tests that need one call `throwaway_cluster()`,
which skips them, with the reason, where that is impossible (not root, no binaries).

    cluster = throwaway_cluster()          # one per test session, started on first use
    url = cluster.create_database()        # a fresh database at the newest schema
    cluster.stop()                         # an outage
    cluster.start()                        # and its end
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from governance.database import make_engine
from governance.schema import upgrade

SUPERUSER = "postgres"
TEMPLATE = "govbot_template"
START_TIMEOUT_SECONDS = 30


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory holding initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for candidate in reversed(candidates):
        path = Path(candidate)
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    return None


def unavailable_reason() -> str | None:
    """Why a throwaway cluster can't be run here, or None when it can."""
    if os.name != "posix" or os.geteuid() != 0:
        return "a throwaway PostgreSQL cluster runs as the postgres user, which needs root"
    if postgres_bin_dir() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    if shutil.which("runuser") is None:
        return "runuser is not installed"
    try:
        subprocess.run(["id", SUPERUSER], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        return f"there is no {SUPERUSER} user to run PostgreSQL as"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """One PostgreSQL server in a temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="govbot-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._names = count(1)
        self._lock = threading.Lock()
        shutil.chown(self.root, SUPERUSER, SUPERUSER)
        self._as_postgres(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\nlisten_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                f"unix_socket_directories = '{self.root}'\n"
                "max_connections = 200\n"
                "fsync = off\n"
                "full_page_writes = off\n"
            )

    def _as_postgres(self, program: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", SUPERUSER, "--", str(self.bin_dir / program), *args],
            check=True,
            capture_output=True,
            cwd=self.root,
            timeout=START_TIMEOUT_SECONDS + 10,
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._as_postgres(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: "fast" ends sessions (rolling back), "immediate" is a crash."""
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        result = subprocess.run(
            [
                "runuser",
                "-u",
                SUPERUSER,
                "--",
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data),
                "status",
            ],
            capture_output=True,
        )
        return result.returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "govbot") -> str:
        """A new database at the newest schema (people functions seeded); its URL."""
        with self._lock:
            if not self._has_database(TEMPLATE):
                self._execute(f"CREATE DATABASE {TEMPLATE}")
                engine = make_engine(self.url(TEMPLATE))
                upgrade(engine)
                engine.dispose()
            name = f"{prefix}_{next(self._names)}"
            self._execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def _has_database(self, name: str) -> bool:
        engine = _admin_engine(self.url())
        try:
            with engine.connect() as connection:
                found = connection.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                ).first()
        finally:
            engine.dispose()
        return found is not None

    def _execute(self, statement: str) -> None:
        engine = _admin_engine(self.url())
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def destroy(self) -> None:
        """Stop the server if it runs and delete its directory."""
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            if self.is_running():
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def _admin_engine(url: str) -> Engine:
    """An engine for one administrative statement, outside any transaction."""
    return create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1),
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
    )


_cluster: PostgresCluster | None = None
_cluster_lock = threading.Lock()


def throwaway_cluster() -> PostgresCluster:
    """The session's throwaway cluster, running; skips the calling test where there can't be one.

    A test that stops it must start it again before it ends.
    """
    global _cluster
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with _cluster_lock:
        if _cluster is None:
            bin_dir = postgres_bin_dir()
            assert bin_dir is not None
            cluster = PostgresCluster(bin_dir)
            atexit.register(cluster.destroy)
            cluster.start()
            _cluster = cluster
        elif not _cluster.is_running():
            _cluster.start()
        return _cluster


def wait_until(predicate, timeout: float, interval: float = 0.05):  # type: ignore[no-untyped-def]
    """Poll `predicate` until it returns something truthy (returned) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        time.sleep(interval)
