"""Benchmark: the board paper of a plan at the issue's scale.

A plan with 10,000 actions, 2,000 risks, 50,000 feedback and 50 measures (24 monthly values
each), bulk inserted, and 20 issues, 20 decisions (informed by R-1 and M-1) and a chain of 20
dependencies added as the commands add them; the paper for the month is then made in a
process of its own, as `govbot report` makes it (the figures in SQL, then the PDF), so its
peak resident memory is the paper's alone (imports included). The same is done for a plan a
tenth the size, to show the SQL statements do not grow with the plan. Aims: under 10 s and
400 MiB peak RSS, and the same statement count at both sizes.

    python -m benchmarks.board_paper [--database-url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pypdf import PdfReader
from sqlalchemy import insert, select, update

from benchmarks.report import environment, table, write_results
from benchmarks.seed import DIGEST_SCALE, LEAD, PLAN_NAME, Scale, add_scale, lead, scale_plan
from benchmarks.servers import fresh_database
from documents.board_paper import board_paper_pdf
from governance.actions.inputs import ActionDepends
from governance.board_papers.use_cases import board_paper_of
from governance.database import UnitOfWork, make_engine
from governance.decisions.inputs import DecisionPropose
from governance.decisions.use_cases import propose_decision
from governance.dependencies.use_cases import set_dependencies
from governance.inputs import validate
from governance.issues.inputs import IssueAdd
from governance.issues.use_cases import add_issue
from governance.measures.inputs import MeasureAdd
from governance.measures.models import Measure, MeasureValue
from governance.measures.use_cases import add_measure
from governance.plans.models import Plan
from tests.queries import QueryCounter

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MONTH = "2026-11"
PRESETS = ("vacancy-rate", "staff-turnover", "sickness-absence", "agency-spend")
VALUES = 24
RAID = 20
AIM_SECONDS = 10.0
AIM_RSS_MIB = 400


def seed(url: str, scale: Scale, measures: int) -> None:
    engine = make_engine(url)
    uow = UnitOfWork(engine, clock=lambda: NOW)
    plan_id = scale_plan(uow)
    with uow.transaction() as session:
        # The plan's year of work (add_scale spreads it over the past year) is all its own.
        session.execute(
            update(Plan).where(Plan.id == plan_id).values(created_at=NOW - timedelta(days=366))
        )
    add_scale(uow, plan_id, scale, NOW, seed=14)
    for n in range(measures):
        add_measure(uow, lead, validate(MeasureAdd, preset=PRESETS[n % len(PRESETS)]))
    # Section 5's issues and decisions, and a chain of dependencies, as the use cases add them.
    for n in range(RAID):
        add_issue(uow, lead, validate(IssueAdd, title=f"Issue {n}", severity=n % 5 + 1))
        propose_decision(
            uow, lead, validate(DecisionPropose, title=f"Decision {n}", informed_by=("R-1", "M-1"))
        )
        set_dependencies(uow, lead, validate(ActionDepends, ref=f"A-{n + 2}", on=(f"A-{n + 1}",)))
    with uow.transaction() as session:
        ids = list(session.scalars(select(Measure.id).where(Measure.plan_id == plan_id)))
        session.execute(
            insert(MeasureValue),
            [
                {
                    "measure_id": measure_id,
                    "period_start": date(2024 + (11 + m) // 12, (11 + m) % 12 + 1, 1),
                    "value": 8 + ((m * 7 + measure_id) % 11) / 5,
                    "note": "",
                    "recorded_by": LEAD,
                    "recorded_at": NOW,
                    "version": 1,
                }
                for measure_id in ids
                for m in range(VALUES)
            ],
        )
    engine.dispose()


def make(url: str) -> dict[str, Any]:
    """In the child: make the paper twice (the first keeps its figures, the second counts
    afresh as a draft would not: it reads them back), timing the first."""
    engine = make_engine(url)
    uow = UnitOfWork(engine, clock=lambda: NOW)
    counter = QueryCounter(engine)
    start = time.perf_counter()
    with counter.counting():
        paper = board_paper_of(uow, PLAN_NAME, MONTH)
    figures = time.perf_counter() - start
    statements = counter.count
    drawn = time.perf_counter()
    pdf = board_paper_pdf(paper)
    drawing = time.perf_counter() - drawn
    total = time.perf_counter() - start
    with counter.counting():
        board_paper_of(uow, PLAN_NAME, MONTH)
    counter.close()
    engine.dispose()
    return {
        "figures_seconds": round(figures, 3),
        "pdf_seconds": round(drawing, 3),
        "total_seconds": round(total, 3),
        "statements": statements,
        "statements_remade": counter.count,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "pdf_kib": len(pdf) // 1024,
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measured(url: str) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.board_paper", "--make", url],
        capture_output=True,
        text=True,
    )
    if child.returncode:
        raise SystemExit(f"making the paper failed:\n{child.stderr}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


def run(database_url: str | None, scale: Scale, measures: int) -> dict[str, Any]:
    with fresh_database(database_url) as url:
        started = time.perf_counter()
        seed(url, scale, measures)
        seeded = time.perf_counter() - started
        return {"seed_seconds": round(seeded, 1), **measured(url)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--quick", action="store_true", help="a tenth of the scale only")
    parser.add_argument("--make", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        print(json.dumps(make(args.make)))
        return
    env = environment(args.database_url)
    full = DIGEST_SCALE.times(1)
    tenth = Scale(*(max(1, v // 10) for v in vars(full).values()))
    results = {"tenth": run(args.database_url, tenth, 5)}
    if not args.quick:
        results["full"] = run(args.database_url, full, 50)
    rows = [
        [
            name,
            f"{(full if name == 'full' else tenth).actions:,} / {r['pages']}",
            r["figures_seconds"],
            r["pdf_seconds"],
            r["total_seconds"],
            r["peak_rss_mib"],
            r["statements"],
            r["statements_remade"],
        ]
        for name, r in results.items()
    ]
    big = results.get("full", results["tenth"])
    printed = "\n".join(
        [
            "The board paper of a plan (10,000 actions, 2,000 risks, 50,000 feedback, 50 "
            "measures × 24 values) and of one a tenth its size, made in a process of its own:",
            table(
                [
                    "plan",
                    "actions / pages",
                    "figures s",
                    "PDF s",
                    "total s",
                    "peak RSS MiB",
                    "statements",
                    "re-made",
                ],
                rows,
            ),
            f"aims: under {AIM_SECONDS:.0f} s: {big['total_seconds'] < AIM_SECONDS}; under "
            f"{AIM_RSS_MIB} MiB: {big['peak_rss_mib'] < AIM_RSS_MIB}; statements the same at "
            f"both sizes: {len({r['statements'] for r in results.values()}) == 1}",
        ]
    )
    print(printed)
    path = write_results(
        "board_paper",
        args.database_url or "sqlite:///",
        {"quick": args.quick, "month": MONTH, "measure_values": VALUES},
        results,
        printed,
        env,
    )
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
