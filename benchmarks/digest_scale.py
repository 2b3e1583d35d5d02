"""Benchmark 2: the weekly digest of a large plan, at 1x and 10x, beside one aggregate query.

A plan with 10,000 actions, 2,000 risks, 50,000 feedback items, 1,000 wins and 500
challenges (spread over a year, about 2% in any week) is written with bulk inserts; then
the digest is composed the way the Monday job composes it, timed and its SQL statements
counted. The plan then grows tenfold and is measured again: the number of statements
must not change. Rendering the message, drawing the chart and the whole job pass
(compose, claim, post and upload to the loopback stand-in) are timed beside it.

The floor is one hand-written aggregate SQL statement computing the digest's counts; its
counts are checked against the digest's.

    python -m benchmarks.digest_scale [--database-url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Date, bindparam, delete, text
from sqlalchemy.orm import Session

from benchmarks.report import backend_of, environment, table, write_results
from benchmarks.seed import DIGEST_SCALE, Scale, add_scale, scale_plan
from benchmarks.servers import BOT_TOKEN, SIGNING_SECRET, TimedStandin, fresh_database
from bot.jobs import JobRunner, digest_message
from bot.settings import load_settings
from bot.slack_client import make_web_client
from documents.digest_chart import rag_chart_png
from governance.database import UnitOfWork, make_engine
from governance.jobs.digest import compose_digest
from governance.jobs.models import JobClaim
from governance.jobs.views import DigestView
from governance.local_time import local_today
from governance.orm import UTCDateTime
from governance.plans.models import Plan
from tests.queries import QueryCounter

# A Monday just after the default digest time (09:00 Europe/London).
NOW = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
FACTORS = (1, 10)
REPEATS = 5
QUICK_SCALE = Scale(actions=1_000, risks=200, feedback=5_000, wins=100, challenges=50, owners=200)
AIM_SECONDS = 1.0

T = TypeVar("T")

FLOOR_SQL = """
SELECT 'wins' AS kind, CAST(NULL AS INTEGER) AS key_int, CAST(NULL AS TEXT) AS key_text,
       count(*) AS n, CAST(NULL AS BIGINT) AS extra
  FROM wins WHERE plan_id = :plan AND created_at >= :since
UNION ALL
SELECT 'completed', NULL, NULL, count(*), NULL
  FROM actions WHERE plan_id = :plan AND status = 'done' AND completed_at >= :since
UNION ALL
SELECT 'function', function_id, status, count(*),
       sum(CASE WHEN status = 'done' THEN 100 ELSE progress END)
  FROM actions WHERE plan_id = :plan GROUP BY function_id, status
UNION ALL
SELECT 'attention',
       sum(CASE WHEN status = 'off-track' THEN 1 ELSE 0 END), NULL, count(*),
       sum(CASE WHEN due_date IS NOT NULL AND due_date < :today THEN 1 ELSE 0 END)
  FROM actions
 WHERE plan_id = :plan AND status NOT IN ('done', 'cancelled')
   AND ((due_date IS NOT NULL AND due_date < :today) OR status = 'off-track')
UNION ALL
SELECT 'extreme', NULL, NULL, count(*), NULL
  FROM risks WHERE plan_id = :plan AND status = 'open' AND likelihood * impact >= 15
UNION ALL
SELECT 'challenges', NULL, NULL, count(*), NULL
  FROM challenges WHERE plan_id = :plan AND answered_at IS NULL
UNION ALL
SELECT 'source', NULL, source, count(*), NULL
  FROM feedback WHERE plan_id = :plan AND created_at >= :since GROUP BY source
UNION ALL
SELECT 'feedback function', function_id, NULL, count(*), NULL
  FROM feedback WHERE plan_id = :plan AND created_at >= :since GROUP BY function_id
UNION ALL
SELECT 'answered', NULL, NULL, count(*), NULL
  FROM feedback WHERE plan_id = :plan AND answered_at >= :since
"""


def floor_statement() -> Any:
    return text(FLOOR_SQL).bindparams(
        bindparam("since", type_=UTCDateTime), bindparam("today", type_=Date)
    )


def floor_counts(session: Session, plan_id: int, since: datetime, today: date) -> dict[str, Any]:
    """The digest's counts from the floor's one statement."""
    counts: dict[str, Any] = {"function": {}, "source": {}, "feedback function": {}}
    rows = session.execute(floor_statement(), {"plan": plan_id, "since": since, "today": today})
    for kind, key_int, key_text, n, extra in rows:
        if kind == "function":
            counts["function"][(key_int, key_text)] = n
        elif kind == "source":
            counts["source"][key_text] = n
        elif kind == "feedback function":
            counts["feedback function"][key_int] = n
        elif kind == "attention":
            counts["attention"] = (n, int(extra or 0), int(key_int or 0))
        else:
            counts[kind] = n
    return counts


def digest_counts(digest: DigestView) -> dict[str, Any]:
    """The same counts, read from the composed digest."""
    return {
        "wins": digest.wins.total,
        "completed": digest.completed.total,
        "function": {
            (f.number, status.value): n for f in digest.functions for status, n in f.counts.items()
        },
        "attention": (digest.attention.total, digest.overdue_total, digest.red_total),
        "extreme": digest.extreme_risks.total,
        "challenges": digest.open_challenges.total,
        "source": {g.key: g.count for g in digest.feedback.by_source},
        "answered": len(digest.feedback.answered),
    }


def agree(floor: dict[str, Any], digest: dict[str, Any]) -> list[str]:
    """The counts on which the floor and the digest differ (none, when both are right)."""
    return [
        key
        for key, value in digest.items()
        if floor.get(key, 0 if key != "source" else {}) != value
    ]


def timed(repeats: int, work: Callable[[], T]) -> tuple[list[float], T]:
    """Run `work` once to warm up, then `repeats` times; seconds of each timed run."""
    result = work()
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def measure(
    uow: UnitOfWork,
    counter: QueryCounter,
    plan_id: int,
    standin: TimedStandin,
    url: str,
    repeats: int,
) -> dict[str, Any]:
    statements: list[int] = []

    def compose() -> DigestView:
        with counter.counting(), uow.transaction() as session:
            plan = session.get(Plan, plan_id)
            assert plan is not None
            digest = compose_digest(session, plan, NOW)
        statements.append(counter.count)
        return digest

    compose_s, digest = timed(repeats, compose)
    render_s, message = timed(repeats, lambda: digest_message(digest))
    chart_s, png = timed(max(1, repeats // 2), lambda: rag_chart_png(digest))

    # The plan has had no digest yet, so its first covers everything since it was set up.
    with uow.transaction() as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        since = plan.created_at
    floor_statements: list[int] = []

    def floor() -> dict[str, Any]:
        with counter.counting(), uow.transaction() as session:
            found = floor_counts(session, plan_id, since, local_today(NOW, "Europe/London"))
        floor_statements.append(counter.count)
        return found

    floor_s, counts = timed(repeats, floor)
    differ = agree(counts, digest_counts(digest))

    settings = load_settings(
        database_url=url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
    )
    runner = JobRunner(uow, make_web_client(settings))

    def job_pass() -> int:
        with uow.transaction() as session:
            session.execute(delete(JobClaim).where(JobClaim.kind == "digest"))
        report = runner.run("digest")
        if report.failed or len(report.sent) != 1:
            raise RuntimeError(f"the digest pass did not post once: {report.summary()}")
        return len(report.sent)

    pass_s, _ = timed(max(1, repeats // 2), job_pass)
    return {
        "compose_ms": ms(compose_s),
        "compose_runs_ms": [round(s * 1000, 1) for s in compose_s],
        "statements": sorted(set(statements)),
        "render_ms": ms(render_s),
        "blocks": len(message.get("blocks", [])),
        "chart_ms": ms(chart_s),
        "chart_bytes": len(png),
        "job_pass_ms": ms(pass_s),
        "floor_ms": ms(floor_s),
        "floor_statements": sorted(set(floor_statements)),
        "counts_differ": differ,
        "answered_loaded": len(digest.feedback.answered),
    }


def run(database_url: str | None, quick: bool, repeats: int) -> dict[str, Any]:
    base = QUICK_SCALE if quick else DIGEST_SCALE
    results: list[dict[str, Any]] = []
    with fresh_database(database_url) as url, TimedStandin() as standin:
        engine = make_engine(url)
        uow = UnitOfWork(engine, clock=lambda: NOW)
        counter = QueryCounter(engine)
        plan_id = scale_plan(uow)
        grown = 0
        for factor in FACTORS:
            started = time.perf_counter()
            add_scale(uow, plan_id, base.times(factor - grown), NOW, seed=factor)
            grown = factor
            if backend_of(url) == "postgresql":
                with engine.begin() as connection:
                    connection.exec_driver_sql("ANALYZE")
            seeded_s = time.perf_counter() - started
            scale = base.times(factor)
            measured = measure(uow, counter, plan_id, standin, url, repeats)
            results.append(
                {"factor": factor, **vars(scale), "seed_s": round(seeded_s, 1), **measured}
            )
        counter.close()
        engine.dispose()
    return {"scales": results}


def report(results: dict[str, Any], backend: str) -> tuple[str, dict[str, bool]]:
    scales = results["scales"]
    rows = [
        [
            f"{s['factor']}x",
            s["actions"],
            s["risks"],
            s["feedback"],
            s["wins"],
            s["compose_ms"],
            ",".join(map(str, s["statements"])),
            s["render_ms"],
            s["chart_ms"],
            s["job_pass_ms"],
            s["floor_ms"],
            ",".join(map(str, s["floor_statements"])),
            round(s["compose_ms"] / s["floor_ms"], 1) if s["floor_ms"] else None,
            "yes" if not s["counts_differ"] else "NO: " + ", ".join(s["counts_differ"]),
        ]
        for s in scales
    ]
    printed = table(
        (
            "plan",
            "actions",
            "risks",
            "feedback",
            "wins",
            "compose ms",
            "SQL",
            "render ms",
            "chart ms",
            "job pass ms",
            "floor ms",
            "floor SQL",
            "compose/floor",
            "counts agree",
        ),
        rows,
    )
    aims = {
        f"{s['factor']}x: compose under {AIM_SECONDS:.0f} s": s["compose_ms"] < AIM_SECONDS * 1000
        for s in scales
    }
    aims["statements constant from 1x to 10x"] = len(
        {tuple(s["statements"]) for s in scales}
    ) == 1 and all(len(s["statements"]) == 1 for s in scales)
    aims["counts agree with the floor"] = all(not s["counts_differ"] for s in scales)
    missed = [aim for aim, met in aims.items() if not met]
    text_ = (
        f"Digest at scale on {backend} (median of the timed runs; job pass = compose, claim, "
        "post and chart upload to the stand-in)\n\n"
        + printed
        + f"\n\nAims met: {len(aims) - len(missed)} of {len(aims)}"
        + "".join(f"\n  missed: {aim}" for aim in missed)
    )
    return text_, aims


def main() -> None:
    parser = argparse.ArgumentParser(description="The digest at scale, beside one aggregate query")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL (emptied first); default a temp SQLite file"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of the scale, for a smoke run"
    )
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs of each step")
    args = parser.parse_args()
    url = args.database_url or "sqlite://"
    env = environment(args.database_url)
    results = run(args.database_url, args.quick, args.repeats)
    printed, aims = report(results, backend_of(url))
    print(printed)
    path = write_results(
        "digest_scale",
        url,
        {"now": NOW.isoformat(), "factors": FACTORS, "repeats": args.repeats, "quick": args.quick},
        {**results, "aims": aims},
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
