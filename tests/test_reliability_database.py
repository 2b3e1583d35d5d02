"""The database failing under a running bot.

PostgreSQL is stopped mid-run and started again, on a throwaway cluster of the test's own
(never the shared one): /healthz reports it, commands and forms answer "temporarily
unavailable, nothing was changed" within Slack's 3 seconds, no row is half-written, and
the bot recovers by itself when the database returns. On SQLite, concurrent writers never
see "database is locked".
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from governance.actions.models import Action
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork, make_engine
from governance.plans.models import Plan
from tests.conftest import ON_POSTGRES
from tests.postgres_cluster import PostgresCluster, throwaway_cluster, wait_until
from tests.slack_faults import FaultyStandin
from tests.slack_harness import CHANNEL, BotServer, harness_settings

pytestmark = pytest.mark.real_http  # database faults are met on the real serving path

LEAD = "U0DBLEAD"
UNAVAILABLE = "temporarily unavailable, so nothing was changed"
SLACK_DEADLINE = 3.0
LOAD = 36


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    cluster = throwaway_cluster()
    yield cluster
    if not cluster.is_running():
        cluster.start()


@pytest.fixture
def served(cluster: PostgresCluster, standin: FaultyStandin) -> Iterator[BotServer]:
    """govbot over HTTP on a database of the throwaway cluster."""
    url = cluster.create_database("outage")
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    settings = harness_settings(url, standin.api_url)
    bot = BotServer(settings, uow, standin, build_app(settings, uow))
    yield bot
    bot.stop()
    engine.dispose()


def timed_reply(bot: BotServer, command: str, text: str, **options: Any) -> tuple[str, float]:
    """Send a command; its reply as text, and the seconds from sending to the reply."""
    started = time.monotonic()
    sent = bot.slash(command, text, user_id=LEAD, **options)
    assert sent.status == 200 and sent.result.body == b""
    reply = bot.reply_to(sent, timeout=10)
    return json.dumps(reply, ensure_ascii=False), time.monotonic() - started


def healthz(bot: BotServer) -> int:
    return bot.get("/healthz").status


def test_postgres_stopped_mid_run_and_restarted(
    served: BotServer, cluster: PostgresCluster
) -> None:
    bot = served
    assert healthz(bot) == 200
    timed_reply(bot, "/plan", 'setup "Outage ICS workforce plan"')

    replies: dict[str, str] = {}
    started = threading.Event()

    def add(n: int) -> None:
        if n == LOAD // 3:
            started.set()
        replies[f"Outage load {n:02d}"] = timed_reply(bot, "/action", f'add "Outage load {n:02d}"')[
            0
        ]

    with ThreadPoolExecutor(max_workers=4) as pool:
        running = [pool.submit(add, n) for n in range(LOAD)]
        assert started.wait(timeout=60)
        cluster.stop("fast")  # mid-run: commands are in flight
        for future in running:
            future.result(timeout=60)

    # While it is down: health says so, and every kind of request answers in time.
    assert healthz(bot) == 503
    for command, text in (
        ("/action", 'add "While down"'),
        ("/action", "list"),
        ("/plan", ""),
        ("/feedback", 'staff "While down"'),
    ):
        reply, seconds = timed_reply(bot, command, text)
        assert UNAVAILABLE in reply, (command, reply)
        assert seconds <= SLACK_DEADLINE, f"{command} {text} took {seconds:.1f} s"
    started_at = time.monotonic()
    form = bot.submit(
        "win_add",
        {"win_text": "Submitted while down"},
        private_metadata=bot.sealed({"channel_id": CHANNEL}, user_id=LEAD),
        user_id=LEAD,
    )
    assert time.monotonic() - started_at <= SLACK_DEADLINE
    assert form.json() == {
        "response_action": "errors",
        "errors": {"win_text": form.json()["errors"]["win_text"]},
    }
    assert UNAVAILABLE in form.json()["errors"]["win_text"]

    cluster.start()
    # The same process recovers by itself: no restart, no operator.
    wait_until(lambda: healthz(bot) == 200, timeout=30)
    reply, _ = timed_reply(bot, "/action", 'add "After the outage"')
    assert "After the outage" in reply and UNAVAILABLE not in reply

    added = {title for title, reply in replies.items() if UNAVAILABLE not in reply}
    refused = {title for title, reply in replies.items() if UNAVAILABLE in reply}
    assert added | refused == set(replies) and all(title in replies[title] for title in added)
    assert refused, "the outage fell inside the run"
    with bot.uow.transaction() as session:
        titles = set(session.scalars(select(Action.title)))
        numbers = sorted(session.scalars(select(Action.number)))
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "action", AuditEntry.verb == "add")
        )
        next_number = session.scalar(select(Plan.next_action_number))
    # Every command told "added" was added, every one told "nothing was changed" was not,
    # and nothing is half-written: each action has its audit entry and its number.
    assert titles == added | {"After the outage"}
    assert audited == len(titles)
    assert numbers == list(range(1, len(titles) + 1)) and next_number == len(titles) + 1


def test_a_crash_of_postgres_is_survived_with_no_half_written_rows(
    served: BotServer, cluster: PostgresCluster
) -> None:
    bot = served
    timed_reply(bot, "/plan", 'setup "Crash ICS workforce plan"')
    stop = threading.Event()

    def keep_adding(worker: int) -> None:
        for n in range(40):
            if stop.is_set():
                return
            timed_reply(bot, "/action", f'add "Crash load {worker}-{n}"')

    with ThreadPoolExecutor(max_workers=3) as pool:
        workers = [pool.submit(keep_adding, w) for w in range(3)]
        wait_until(lambda: bot.standin.responses() and len(bot.standin.responses()) > 6, 30)
        cluster.stop("immediate")  # a crash: no clean shutdown
        reply, seconds = timed_reply(bot, "/action", 'add "During the crash"')
        stop.set()
        for future in workers:
            future.result(timeout=60)
    assert UNAVAILABLE in reply and seconds <= SLACK_DEADLINE
    assert healthz(bot) == 503

    cluster.start()
    wait_until(lambda: healthz(bot) == 200, timeout=30)
    reply, _ = timed_reply(bot, "/action", 'add "After the crash"')
    assert "After the crash" in reply
    with bot.uow.transaction() as session:
        numbers = sorted(session.scalars(select(Action.number)))
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.verb == "add")
        )
    assert numbers == list(range(1, len(numbers) + 1))
    assert audited == len(numbers)


def test_concurrent_commands_over_http_never_report_database_is_locked(
    bot_server: BotServer,
) -> None:
    bot = bot_server
    if ON_POSTGRES:
        pytest.skip("SQLite's writer lock is what this is about")
    timed_reply(bot, "/plan", 'setup "SQLite ICS workforce plan"')

    def work(n: int) -> str:
        if n % 3 == 0:
            return timed_reply(bot, "/feedback", f'staff "Writer {n}" anonymous')[0]
        return timed_reply(bot, "/action", f'add "Writer {n}"')[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(work, range(32), timeout=120))
    for n, reply in enumerate(replies):
        assert f"Writer {n}" in reply or "recorded" in reply, reply
        assert "locked" not in reply.lower() and "Sorry" not in reply
    with bot.uow.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Action)) == 21
