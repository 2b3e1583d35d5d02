"""Many people at once: no update is silently lost and no two actions share a number.

On PostgreSQL (the production store, where writers really overlap) 50 owners and leads
update one action at the same moment, and 50 people add actions to one plan at the same
moment. They run on the PostgreSQL the suite was given, or else on a throwaway cluster.
On SQLite, writers from two engines (two processes' worth) never see "database is locked".
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import Engine, func, select

from governance.actions.inputs import ActionAdd, ActionRef, ActionUpdate
from governance.actions.models import Action, ActionUpdateEntry
from governance.actions.use_cases import add_action, show_action, update_action
from governance.actor import Actor
from governance.audit.models import AuditEntry
from governance.database import UnitOfWork, make_engine
from governance.errors import DomainError
from governance.inputs import validate
from governance.plans.inputs import PlanSetup, RoleChange
from governance.plans.use_cases import set_role, setup_plan
from governance.risks.inputs import RiskAdd, RiskUpdate
from governance.risks.models import Risk
from governance.risks.use_cases import add_risk, update_risk
from tests.conftest import ON_POSTGRES, Clock
from tests.postgres_cluster import throwaway_cluster

T = TypeVar("T")

WRITERS = 50
# The heavier run (`python -m pytest -m slow tests/test_concurrency.py`).
MANY_WRITERS = 200
CONNECTIONS = 50
WRITER_COUNTS = [WRITERS, pytest.param(MANY_WRITERS, marks=pytest.mark.slow, id="200")]
LEAD = Actor(team_id="T1", user_id="ULEAD", channel_id="CPLAN")
OWNER = Actor(team_id="T1", user_id="UOWNER", channel_id="CPLAN")
LEADS = [Actor(team_id="T1", user_id=f"ULEAD{n:02d}", channel_id="CPLAN") for n in range(5)]


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    """The suite's PostgreSQL database when it was given one, else a throwaway cluster's."""
    if ON_POSTGRES:
        return str(request.getfixturevalue("database_url"))
    return throwaway_cluster().create_database("concurrency")


@pytest.fixture
def postgres(postgres_url: str, clock: Clock) -> Iterator[UnitOfWork]:
    engine = make_engine(postgres_url, pool_size=CONNECTIONS, max_overflow=0, pool_timeout=120)
    yield UnitOfWork(engine, clock=clock)
    engine.dispose()


def all_at_once(work: list[Callable[[], T]]) -> list[T | DomainError]:
    """Run every callable on its own thread, released together; results in order."""
    start = threading.Barrier(len(work))

    def run(job: Callable[[], T]) -> T | DomainError:
        start.wait(timeout=30)
        try:
            return job()
        except DomainError as refusal:
            return refusal

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return list(pool.map(run, work, timeout=120))


def plan_with_leads(uow: UnitOfWork) -> int:
    plan = setup_plan(uow, LEAD, validate(PlanSetup, name="Devon ICS"))
    for lead in LEADS:
        set_role(uow, LEAD, validate(RoleChange, user_id=lead.user_id, role="lead"))
    return plan.id


def due_on(n: int) -> str:
    """A due date of its own for each writer, so every update changes the action."""
    return (date(2027, 1, 1) + timedelta(days=n)).isoformat()


@dataclass(frozen=True)
class Attempt:
    """Who updates, and the note that tells their update apart in the history."""

    actor: Actor
    note: str


@pytest.mark.parametrize("writers", WRITER_COUNTS)
def test_concurrent_updates_to_one_action_are_all_in_its_history(
    postgres: UnitOfWork, writers: int
) -> None:
    plan_with_leads(postgres)
    ref = add_action(postgres, OWNER, validate(ActionAdd, title="Staff passport")).action.ref
    attempts = [
        Attempt(OWNER if n % 2 == 0 else LEADS[n % len(LEADS)], f"update {n:03d}")
        for n in range(writers)
    ]
    outcomes = all_at_once(
        [
            lambda a=attempt, n=n: update_action(
                postgres,
                a.actor,
                validate(ActionUpdate, ref=ref, due=due_on(n), note=a.note),
            )
            for n, attempt in enumerate(attempts)
        ]
    )

    # A slash update carries no version: it applies to the latest state, so none is refused.
    refused = [o.message for o in outcomes if isinstance(o, DomainError)]
    assert refused == []
    history = show_action(postgres, OWNER, validate(ActionRef, ref=ref)).history
    assert sorted(entry.note for entry in history) == sorted(a.note for a in attempts)
    with postgres.transaction() as session:
        action = session.scalars(select(Action)).one()
        audited = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.verb == "update")
        )
        entries = session.scalars(select(ActionUpdateEntry).order_by(ActionUpdateEntry.id)).all()
        assert action.version == 1 + writers, "each update bumped the version once"
        assert audited == writers
        # Each entry starts where the one before it ended: no update was applied to a
        # state another had already replaced.
        chain = [tuple(e.changes["due"]) for e in entries]
        assert [start for start, _ in chain[1:]] == [end for _, end in chain[:-1]]
        assert chain[0][0] == "" and action.due_date.isoformat() == chain[-1][1]


@pytest.mark.parametrize("writers", WRITER_COUNTS)
def test_concurrent_adds_in_one_plan_get_distinct_numbers(
    postgres: UnitOfWork, writers: int
) -> None:
    plan_with_leads(postgres)
    members = [
        Actor(team_id="T1", user_id=f"UMEMBER{n:03d}", channel_id="CPLAN") for n in range(writers)
    ]
    outcomes = all_at_once(
        [
            lambda m=member: add_action(postgres, m, validate(ActionAdd, title=f"By {m.user_id}"))
            for member in members
        ]
    )
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert refused == []
    refs = sorted(o.action.ref for o in outcomes if not isinstance(o, DomainError))
    assert refs == sorted(f"A-{n}" for n in range(1, writers + 1))
    with postgres.transaction() as session:
        numbers = session.scalars(select(Action.number)).all()
        assert sorted(numbers) == list(range(1, writers + 1))


def test_concurrent_slash_updates_to_one_risk_are_all_audited(postgres: UnitOfWork) -> None:
    plan_with_leads(postgres)
    risk = add_risk(
        postgres, OWNER, validate(RiskAdd, title="Agency spend", likelihood=4, impact=4)
    )
    writers = [OWNER, *LEADS] * 4
    outcomes = all_at_once(
        [
            lambda a=actor, n=n: update_risk(
                postgres,
                a,
                validate(RiskUpdate, number=risk.ref, mitigation=f"mitigation {n:02d}"),
            )
            for n, actor in enumerate(writers)
        ]
    )
    assert [o.message for o in outcomes if isinstance(o, DomainError)] == []
    with postgres.transaction() as session:
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "risk", AuditEntry.verb == "update")
            .order_by(AuditEntry.id)
        ).all()
        final = session.scalars(select(Risk)).one()
    assert sorted(e.detail["after"]["mitigation"] for e in entries) == sorted(
        f"mitigation {n:02d}" for n in range(len(writers))
    )
    # Each change was made to the state the one before it left.
    befores = [e.detail["before"]["mitigation"] for e in entries]
    afters = [e.detail["after"]["mitigation"] for e in entries]
    assert befores[1:] == afters[:-1]
    assert final.mitigation == afters[-1]


def test_sqlite_writers_in_two_processes_never_see_database_is_locked(
    database_url: str, clock: Clock
) -> None:
    if ON_POSTGRES:
        pytest.skip("this is about SQLite's single writer lock")
    # Two engines stand for two processes: each has its own connections to the one file.
    engines: list[Engine] = [make_engine(database_url) for _ in range(2)]
    uows = [UnitOfWork(engine, clock=clock) for engine in engines]
    try:
        plan_with_leads(uows[0])
        ref = add_action(uows[0], OWNER, validate(ActionAdd, title="Shared rota")).action.ref
        per_engine = 12
        work: list[Callable[[], object]] = []
        for n in range(per_engine * 2):
            uow = uows[n % 2]
            if n % 3 == 0:
                work.append(
                    lambda u=uow, n=n: update_action(
                        u, OWNER, validate(ActionUpdate, ref=ref, note=f"note {n}")
                    )
                )
            else:
                member = Actor(team_id="T1", user_id=f"UWRITER{n:02d}", channel_id="CPLAN")
                work.append(
                    lambda u=uow, m=member: add_action(u, m, validate(ActionAdd, title=m.user_id))
                )
        outcomes = all_at_once(work)
        failures = [o for o in outcomes if isinstance(o, DomainError)]
        assert failures == [], [f.message for f in failures]
        with uows[1].transaction() as session:
            numbers = sorted(session.scalars(select(Action.number)))
            notes = session.scalar(select(func.count()).select_from(ActionUpdateEntry))
        adds = len(work) - len(range(0, len(work), 3))
        assert numbers == list(range(1, adds + 2))
        assert notes == len(range(0, len(work), 3))
    finally:
        for engine in engines:
            engine.dispose()
