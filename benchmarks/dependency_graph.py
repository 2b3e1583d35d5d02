"""Benchmark 7: `/action show` and `/action depends` in a dependency graph of 5,000 actions
and 10,000 edges.

1. `/action show A-10` of a plan of 5,000 actions, as signed slash commands over HTTP to the
   app on 127.0.0.1 (in this process, on waitress, as the tests serve it), timed until the
   answer reaches the response URL on the loopback stand-in; and the use case called
   directly, timed, with its SQL statements counted. First with no dependencies, then with
   10,000 edges: every action from A-2 waits on the one before it and on one earlier picked
   at random (seeded), so the graph has no loop, A-10 is waited on by several and A-5,000
   waits on every other action at some depth.
   Aim: p50 with 10,000 edges within 2 × the p50 of `/action show` before dependencies.
2. Adding edges, each checked for a loop: `/action depends A-5000 on:…` (accepted; the
   walk covers nearly every edge) and `/action depends A-1 on:A-5000` (refused: A-5,000
   waits on A-1 at some depth), the same two ways.

Run on a checkout from before dependencies (it has no `governance.dependencies`), the
script measures part 1 without edges only: today's `/action show`, the figure the aim is
against.

    python -m benchmarks.dependency_graph [--database-url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update

from benchmarks.report import environment, latency_summary, table, write_results
from benchmarks.servers import (
    BOT_TOKEN,
    SIGNING_SECRET,
    TEAM_ID,
    TimedStandin,
    fresh_database,
    slash_body,
)
from bot.app import build_app
from bot.http_server import HttpServer, make_wsgi_app
from bot.settings import load_settings
from bot.slack_client import make_web_client
from governance.actions.inputs import ActionRef
from governance.actions.models import Action
from governance.actions.use_cases import show_action
from governance.actor import Actor
from governance.database import UnitOfWork, make_engine
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.models import Plan
from governance.plans.use_cases import setup_plan
from tests.queries import QueryCounter
from tests.slack_harness import http
from tests.slack_signing import signed_headers

NOW = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
LEAD = "U0BENCHLEAD"
CHANNEL = "C0GRAPH"
ACTIONS = 5_000
EDGES = 10_000
SHOWN = "A-10"
SEED = 13
HAS_DEPENDENCIES = importlib.util.find_spec("governance.dependencies") is not None


def seed_actions(uow: UnitOfWork) -> tuple[Actor, int, dict[int, int]]:
    """The plan and its 5,000 actions, bulk inserted; their ids by number."""
    actor = Actor(TEAM_ID, LEAD, CHANNEL)
    plan_id = setup_plan(uow, actor, validate(PlanSetup, name="Graph plan")).id
    owners = [f"U0OWNER{n:02d}" for n in range(20)]
    statuses = ("not-started", "on-track", "at-risk", "off-track", "on-track")
    with uow.transaction() as session:
        session.execute(
            insert(Action),
            [
                {
                    "plan_id": plan_id,
                    "number": n,
                    "title": f"Action {n} of the graph",
                    "description": "",
                    "owner_id": owners[n % len(owners)],
                    "due_date": date(2027, 1 + n % 12, 1 + n % 28),
                    "status": statuses[n % len(statuses)],
                    "progress": n % 100,
                    "created_by": LEAD,
                    "created_at": NOW,
                    "updated_by": LEAD,
                    "updated_at": NOW,
                    "version": 1,
                }
                for n in range(1, ACTIONS + 1)
            ],
        )
        session.execute(
            update(Plan).where(Plan.id == plan_id).values(next_action_number=ACTIONS + 1)
        )
        ids = dict(
            session.execute(select(Action.number, Action.id).where(Action.plan_id == plan_id)).all()
        )
    return actor, plan_id, ids


def random_edges() -> list[tuple[int, int]]:
    """10,000 (waiting, waited on) numbers with no loop: each action from A-2 waits on the one
    before it and on one earlier picked at random, so A-5,000 waits on every other action at
    some depth and the loop check from it walks the whole graph: the worst case."""
    rng = random.Random(SEED)
    edges = {(waiting, waiting - 1) for waiting in range(2, ACTIONS + 1)}
    while len(edges) < EDGES:
        waiting = rng.randrange(3, ACTIONS + 1)
        edges.add((waiting, rng.randrange(1, waiting - 1)))
    return sorted(edges)


def insert_edges(
    uow: UnitOfWork, plan_id: int, ids: dict[int, int], edges: list[tuple[int, int]]
) -> None:
    from governance.dependencies.models import ActionDependency

    with uow.transaction() as session:
        session.execute(
            insert(ActionDependency),
            [
                {
                    "action_id": ids[a],
                    "depends_on_id": ids[b],
                    "plan_id": plan_id,
                    "created_at": NOW,
                }
                for a, b in edges
            ],
        )


def reached(edges: list[tuple[int, int]], start: int) -> int:
    """How many actions `start` waits on at any depth."""
    waits: dict[int, list[int]] = {}
    for a, b in edges:
        waits.setdefault(a, []).append(b)
    seen, stack = set(), [start]
    while stack:
        for nxt in waits.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return len(seen)


class Server:
    """govbot's app on waitress in this process, answering to the timed stand-in."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.standin = TimedStandin().start()
        settings = load_settings(
            database_url=str(uow.engine.url),
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=None,
            slack_api_url=self.standin.api_url,
            command_prefix="",
        )
        self.app = build_app(settings, uow, client=make_web_client(settings))
        self.server = HttpServer(make_wsgi_app(self.app, uow), "127.0.0.1", 0).start()
        self.sent = 0

    def answer_seconds(self, text: str, expect: str) -> float:
        """Seconds from sending `/action <text>` to its answer at the response URL."""
        self.sent += 1
        name = f"action-{self.sent}"
        arrived = self.standin.expect(name)
        body = slash_body(
            "/action",
            text,
            user_id=LEAD,
            channel_id=CHANNEL,
            response_url=self.standin.response_url(name),
        )
        start = time.perf_counter()
        headers = signed_headers(body, "application/x-www-form-urlencoded")
        http("POST", self.server.url + "/slack/events", body, headers)
        assert arrived.wait(10), text
        seen = self.standin.arrived(name)
        assert seen is not None and expect in str(seen[1].get("text")), (text, seen)
        return seen[0] - start

    def stop(self) -> None:
        self.server.stop()
        self.app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
        self.standin.stop()


def timed(
    uow: UnitOfWork,
    repeats: int,
    over_http: Callable[[int], float],
    directly: Callable[[int], object],
) -> dict[str, Any]:
    """p50/p95/max over HTTP and the use case called directly, with its statement count."""
    over_http(-1)  # warm up
    answers = [over_http(i) for i in range(repeats)]
    counter = QueryCounter(uow.engine)
    calls = []
    for i in range(repeats):
        with counter.counting():
            start = time.perf_counter()
            directly(i)
            calls.append(time.perf_counter() - start)
        statements = counter.count
    counter.close()
    return {
        "http": latency_summary(answers),
        "use_case": latency_summary(calls),
        # The best time is the one least moved by other work on a shared machine.
        "use_case_best_ms": round(min(calls) * 1000, 2),
        "statements": statements,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 10 if args.quick else 100
    env = environment(args.database_url)
    results: dict[str, Any] = {"with_dependencies": HAS_DEPENDENCIES}
    with fresh_database(args.database_url) as url:
        engine = make_engine(url)
        uow = UnitOfWork(engine, clock=lambda: NOW)
        actor, plan_id, ids = seed_actions(uow)
        server = Server(uow)
        try:
            show_ref = validate(ActionRef, ref=SHOWN)

            def show(_: int) -> float:
                return server.answer_seconds(f"show {SHOWN}", SHOWN)

            def show_directly(_: int) -> object:
                return show_action(uow, actor, show_ref)

            results["show_no_edges"] = timed(uow, repeats, show, show_directly)
            if HAS_DEPENDENCIES:
                results.update(
                    graph_results(uow, server, actor, plan_id, ids, repeats, show, show_directly)
                )
        finally:
            server.stop()
        engine.dispose()
    printed = report(results, repeats)
    print(printed)
    path = write_results(
        "dependency_graph",
        args.database_url or "sqlite:///",
        {
            "repeats": repeats,
            "quick": args.quick,
            "actions": ACTIONS,
            "edges": EDGES,
            "shown": SHOWN,
        },
        results,
        printed,
        env,
    )
    print(f"\nresults: {path}")


def graph_results(
    uow: UnitOfWork,
    server: Server,
    actor: Actor,
    plan_id: int,
    ids: dict[int, int],
    repeats: int,
    show: Callable[[int], float],
    show_directly: Callable[[int], object],
) -> dict[str, Any]:
    from governance.actions.inputs import ActionDepends
    from governance.dependencies.use_cases import set_dependencies
    from governance.errors import Invalid

    edges = random_edges()
    insert_edges(uow, plan_id, ids, edges)
    shown = int(SHOWN.split("-")[1])
    out: dict[str, Any] = {
        "edges": len(edges),
        "shown_waits_on": sum(1 for a, _ in edges if a == shown),
        "shown_waited_on_by": sum(1 for _, b in edges if b == shown),
        "reached_from_top": reached(edges, ACTIONS),
    }
    out["show_with_edges"] = timed(uow, repeats, show, show_directly)
    # Each accepted change differs from the one before, so every one writes.
    choices = [f"A-{ACTIONS - 1},A-{ACTIONS - 2}", f"A-{ACTIONS - 3},A-{ACTIONS - 4}"]

    def accept(i: int) -> float:
        return server.answer_seconds(f"depends A-{ACTIONS} on:{choices[i % 2]}", "now waits on")

    def accept_directly(i: int) -> object:
        on = tuple(choices[i % 2].split(","))
        return set_dependencies(uow, actor, validate(ActionDepends, ref=f"A-{ACTIONS}", on=on))

    out["depends_accepted"] = timed(uow, repeats, accept, accept_directly)

    def refuse(_: int) -> float:
        return server.answer_seconds(f"depends A-1 on:A-{ACTIONS}", "would make a loop")

    def refuse_directly(_: int) -> object:
        try:
            set_dependencies(uow, actor, validate(ActionDepends, ref="A-1", on=(f"A-{ACTIONS}",)))
        except Invalid as refused:
            return refused
        raise AssertionError("the loop was not refused")

    out["depends_refused"] = timed(uow, repeats, refuse, refuse_directly)
    return out


def report(results: dict[str, Any], repeats: int) -> str:
    rows = []
    labels = {
        "show_no_edges": f"/action show {SHOWN}, no dependencies",
        "show_with_edges": f"/action show {SHOWN}, 10,000 edges",
        "depends_accepted": f"/action depends A-{ACTIONS} on:… (accepted)",
        "depends_refused": f"/action depends A-1 on:A-{ACTIONS} (loop refused)",
    }
    for key, label in labels.items():
        if key in results:
            r = results[key]
            rows.append(
                [
                    label,
                    r["http"]["p50_ms"],
                    r["http"]["p95_ms"],
                    r["http"]["max_ms"],
                    r["use_case"]["p50_ms"],
                    r["use_case_best_ms"],
                    r["statements"],
                ]
            )
    lines = [
        f"A plan of {ACTIONS:,} actions; {repeats} of each, ms "
        f"({'with' if results['with_dependencies'] else 'before'} dependencies):",
        table(
            ["command", "answer p50", "p95", "max", "use case p50", "best", "SQL statements"], rows
        ),
    ]
    if "edges" in results:
        waits, waited = results["shown_waits_on"], results["shown_waited_on_by"]
        lines.append(
            f"{results['edges']:,} edges; {SHOWN} waits on {waits} and is waited on by {waited}; "
            f"A-{ACTIONS} waits on {results['reached_from_top']:,} actions at some depth "
            "(what the loop check walks)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
