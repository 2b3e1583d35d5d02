"""Benchmark 1b: `/action list` as the plan's update history grows.

A plan of 200 open actions gains update history (0, 1,000, 5,000 and 20,000 updates,
about two years of weekly updates); at each size `/action list` is answered in process
through the command router (use case and template, no HTTP), timed and its SQL
statements counted. The list shows no history, so its cost should not grow with it.

    python -m benchmarks.list_history [--database-url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from benchmarks.digest_scale import ms, timed
from benchmarks.report import backend_of, environment, table, write_results
from benchmarks.seed import CHANNEL, LEAD, TEAM_ID, working_plan
from benchmarks.servers import BOT_TOKEN, SIGNING_SECRET, TimedStandin, fresh_database
from bot.deps import BotDeps
from bot.listeners.commands.action_command import router
from bot.settings import load_settings
from bot.slack_client import make_web_client
from governance.actions.models import Action, ActionUpdateEntry
from governance.database import UnitOfWork, make_engine
from tests.queries import QueryCounter

HISTORY = (0, 1_000, 5_000, 20_000)
QUICK_HISTORY = (0, 1_000, 5_000)
REPEATS = 10
# The list shows no history, so history may cost it only a little.
GROWTH_LIMIT_MS = 100


def run(database_url: str | None, quick: bool) -> dict[str, Any]:
    sizes = QUICK_HISTORY if quick else HISTORY
    rows = []
    with fresh_database(database_url) as url, TimedStandin() as standin:
        engine = make_engine(url)
        uow = UnitOfWork(engine)
        counter = QueryCounter(engine)
        working_plan(uow)
        settings = load_settings(
            database_url=url,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=standin.api_url,
        )
        deps = BotDeps(uow=uow, settings=settings)
        client = make_web_client(settings)
        body = {"team_id": TEAM_ID, "user_id": LEAD, "channel_id": CHANNEL, "text": "list"}
        with uow.transaction() as session:
            action_ids = list(session.scalars(select(Action.id).order_by(Action.id)))
        statements: list[int] = []

        def answer() -> Any:
            with counter.counting():
                reply = router.handle(body, deps, client)
            statements.append(counter.count)
            return reply

        history = 0
        for size in sizes:
            if size > history:
                with uow.transaction() as session:
                    session.execute(
                        insert(ActionUpdateEntry),
                        [
                            {
                                "action_id": action_ids[n % len(action_ids)],
                                "user_id": LEAD,
                                "at": datetime.now(UTC),
                                "progress_from": n % 100,
                                "progress_to": n % 100 + 1,
                                "changes": {},
                                "note": "Waiting on HR for the job description",
                            }
                            for n in range(history, size)
                        ],
                    )
            history = size
            statements.clear()
            seconds, reply = timed(REPEATS, answer)
            if reply is None or "200 actions" not in reply.text:
                raise RuntimeError(f"unexpected answer: {reply}")
            rows.append(
                {
                    "history": size,
                    "list_ms": ms(seconds),
                    "statements": sorted(set(statements)),
                }
            )
        counter.close()
        engine.dispose()
    return {"sizes": rows}


def report(results: dict[str, Any], backend: str) -> tuple[str, dict[str, bool]]:
    rows = results["sizes"]
    printed = table(
        ("updates in history", "/action list ms", "SQL"),
        [[r["history"], r["list_ms"], ",".join(map(str, r["statements"]))] for r in rows],
    )
    first, last = rows[0], rows[-1]
    aims = {
        f"{last['history']:,} updates add under {GROWTH_LIMIT_MS} ms": (
            last["list_ms"] - first["list_ms"] < GROWTH_LIMIT_MS
        )
    }
    missed = [aim for aim, met in aims.items() if not met]
    return (
        f"/action list of 200 open actions on {backend}, in process (median of {REPEATS})\n\n"
        + printed
        + f"\n\nAims met: {len(aims) - len(missed)} of {len(aims)}"
        + "".join(f"\n  missed: {aim}" for aim in missed)
    ), aims


def main() -> None:
    parser = argparse.ArgumentParser(description="/action list as update history grows")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL (emptied first); default a temp SQLite file"
    )
    parser.add_argument("--quick", action="store_true", help="up to 5,000 updates only")
    args = parser.parse_args()
    url = args.database_url or "sqlite://"
    env = environment(args.database_url)
    results = run(args.database_url, args.quick)
    printed, aims = report(results, backend_of(url))
    print(printed)
    path = write_results(
        "list_history",
        url,
        {"history": QUICK_HISTORY if args.quick else HISTORY, "repeats": REPEATS},
        {**results, "aims": aims},
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
