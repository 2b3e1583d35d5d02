"""Benchmark 6: measures at scale, for the issue's two aims.

1. `/measure show` of a measure with 120 monthly values beside `/action show` on the same
   server: signed slash commands over HTTP to the app on 127.0.0.1 (in this process, on
   waitress, as the tests serve it), timed until the answer reaches the response URL on the
   loopback stand-in. The chart is drawn and uploaded after the answer; its time is shown
   apart. Aim: p50 of `/measure show` within 2 × p50 of `/action show`.
2. The digest of a plan with 50 measures × 60 values: composing it with and without its
   measures, and the SQL statements it sends at 30 and at 60 values per measure. Aims: under
   200 ms added, and the same number of statements whatever the number of values.

    python -m benchmarks.measure_scale [--database-url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, select

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
from governance.actions.inputs import ActionAdd
from governance.actions.use_cases import add_action
from governance.actor import Actor
from governance.database import UnitOfWork, make_engine
from governance.inputs import validate
from governance.jobs.digest import compose_digest
from governance.measures.inputs import MeasureAdd
from governance.measures.models import Measure, MeasureValue
from governance.measures.rules import previous_period
from governance.measures.use_cases import add_measure
from governance.plans.inputs import PlanSetup
from governance.plans.models import Plan
from governance.plans.use_cases import setup_plan
from tests.queries import QueryCounter
from tests.slack_harness import http
from tests.slack_signing import signed_headers

NOW = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
LEAD = "U0BENCHLEAD"


def months_back(count: int) -> list[date]:
    months = [previous_period(date(2026, 11, 1), "monthly")]
    while len(months) < count:
        months.insert(0, previous_period(months[0], "monthly"))
    return months


def add_measures(uow: UnitOfWork, actor: Actor, count: int, values: int) -> list[int]:
    """`count` vacancy-rate measures with `values` monthly values each, bulk inserted."""
    for _ in range(count):
        add_measure(uow, actor, validate(MeasureAdd, preset="vacancy-rate"))
    with uow.transaction() as session:
        plan_id = session.scalar(select(Plan.id).where(Plan.name == actor.channel_id))
        measure_ids = list(session.scalars(select(Measure.id).where(Measure.plan_id == plan_id)))
        rows = [
            {
                "measure_id": measure_id,
                "period_start": month,
                "value": 8 + ((i * 7 + measure_id) % 11) / 5,
                "note": "",
                "recorded_by": LEAD,
                "recorded_at": NOW,
                "version": 1,
            }
            for measure_id in measure_ids
            for i, month in enumerate(months_back(values))
        ]
        session.execute(insert(MeasureValue), rows)
    return measure_ids


def plan_actor(uow: UnitOfWork, channel: str) -> Actor:
    actor = Actor(TEAM_ID, LEAD, channel)
    setup_plan(uow, actor, validate(PlanSetup, name=channel))
    return actor


def uploads(standin: TimedStandin) -> list[float]:
    return [a.at for a in standin.arrivals if a.method == "files.completeUploadExternal"]


def wait_for_upload(standin: TimedStandin, count: int, timeout: float = 30) -> float:
    """When the `count`-th chart upload completed (perf_counter)."""
    deadline = time.monotonic() + timeout
    while len(uploads(standin)) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"chart {count} was not uploaded within {timeout} s")
        time.sleep(0.005)
    return uploads(standin)[count - 1]


def show_latency(uow: UnitOfWork, repeats: int) -> dict[str, Any]:
    actor = plan_actor(uow, "C0SHOW")
    add_action(uow, actor, validate(ActionAdd, title="Recruit 20 nurses", due="2027-03-31"))
    add_measures(uow, actor, 1, 120)
    with TimedStandin() as standin:
        settings = load_settings(
            database_url=str(uow.engine.url),
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=None,
            slack_api_url=standin.api_url,
            command_prefix="",
        )
        app = build_app(settings, uow, client=make_web_client(settings))
        server = HttpServer(make_wsgi_app(app, uow), "127.0.0.1", 0).start()
        try:
            timings: dict[str, list[float]] = {"/action show A-1": [], "/measure show M-1": []}
            chart_times: list[float] = []
            for index in range(repeats):
                for typed in timings:
                    command, text = typed.split(" ", 1)
                    name = f"{command[1:]}-{index}"
                    arrived = standin.expect(name)
                    body = slash_body(
                        command,
                        text,
                        user_id=LEAD,
                        channel_id=actor.channel_id,
                        response_url=standin.response_url(name),
                    )
                    start = time.perf_counter()
                    http("POST", server.url + "/slack/events", body, signed_headers(body))
                    assert arrived.wait(10), typed
                    seen = standin.arrived(name)
                    assert seen is not None and text.split()[-1] in str(seen[1].get("text")), seen
                    timings[typed].append(seen[0] - start)
                    if command == "/measure":
                        # Its chart is drawn after the answer: let it finish before the next
                        # command, so neither command's time includes the other's drawing.
                        chart_times.append(wait_for_upload(standin, index + 1) - start)
            charts = uploads(standin)
        finally:
            server.stop()
            app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]
    summary = {typed: latency_summary(seconds) for typed, seconds in timings.items()}
    ratio = summary["/measure show M-1"]["p50_ms"] / summary["/action show A-1"]["p50_ms"]
    return {
        "latency": summary,
        "ratio_p50": ratio,
        "charts_uploaded": len(charts),
        "chart_uploaded_after": latency_summary(chart_times),
    }


def digest_cost(uow: UnitOfWork, repeats: int) -> dict[str, Any]:
    actor = plan_actor(uow, "C0DIGEST")
    counter = QueryCounter(uow.engine)

    def compose() -> tuple[float, int]:
        best, statements = float("inf"), 0
        for _ in range(repeats):
            with uow.transaction() as session, counter.counting():
                plan = session.scalar(select(Plan).where(Plan.name == actor.channel_id))
                assert plan is not None
                start = time.perf_counter()
                compose_digest(session, plan, NOW)
                best = min(best, time.perf_counter() - start)
                statements = counter.count
        return best, statements

    compose()  # warm up: the first composition pays for imports and caches
    without, statements_without = compose()
    measure_ids = add_measures(uow, actor, 50, 60)
    with60, statements_60 = compose()
    with uow.transaction() as session:
        keep = months_back(30)
        session.execute(delete(MeasureValue).where(MeasureValue.period_start < keep[0]))
    with30, statements_30 = compose()
    counter.close()
    return {
        "measures": len(measure_ids),
        "compose_ms_without_measures": without * 1000,
        "compose_ms_50x60": with60 * 1000,
        "compose_ms_50x30": with30 * 1000,
        "added_ms_50x60": (with60 - without) * 1000,
        "statements_without_measures": statements_without,
        "statements_50x30": statements_30,
        "statements_50x60": statements_60,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 10 if args.quick else 40
    env = environment(args.database_url)
    with fresh_database(args.database_url) as url:
        engine = make_engine(url)
        uow = UnitOfWork(engine, clock=lambda: NOW)
        shows = show_latency(uow, repeats)
        digest = digest_cost(uow, max(5, repeats // 3))
        engine.dispose()
    rows = [[typed, s["p50_ms"], s["p95_ms"], s["max_ms"]] for typed, s in shows["latency"].items()]
    printed = "\n".join(
        [
            f"/measure show (120 values) beside /action show, {repeats} each, ms to the answer:",
            table(["command", "p50", "p95", "max"], rows),
            f"ratio of p50s: {shows['ratio_p50']:.2f} (aim: at most 2.00); "
            f"charts uploaded after the answer: {shows['charts_uploaded']}, "
            f"p50 {shows['chart_uploaded_after']['p50_ms']} ms from the command",
            "",
            "The digest of a plan with 50 measures:",
            table(
                ["", "compose ms (best)", "SQL statements"],
                [
                    [
                        "no measures",
                        digest["compose_ms_without_measures"],
                        digest["statements_without_measures"],
                    ],
                    ["50 × 30 values", digest["compose_ms_50x30"], digest["statements_50x30"]],
                    ["50 × 60 values", digest["compose_ms_50x60"], digest["statements_50x60"]],
                ],
            ),
            f"added by 50 × 60 values: {digest['added_ms_50x60']:.1f} ms (aim: under 200); "
            f"statements the same at 30 and 60 values: "
            f"{digest['statements_50x30'] == digest['statements_50x60']}",
        ]
    )
    print(printed)
    path = write_results(
        "measure_scale",
        args.database_url or "sqlite:///",
        {"repeats": repeats},
        {"show": shows, "digest": digest},
        printed,
        env,
    )
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
