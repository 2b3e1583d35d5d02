"""Benchmark 3: Monday's nudge pass for 5,000 owners with 4 actions each.

The owners' actions (all needing attention: due this week, overdue, or quiet for a month)
are written with bulk inserts. Then:

- compose: `due_nudges` in this process, timed, its SQL statements counted and its peak
  Python allocation traced (tracemalloc, in a run of its own);
- render: every nudge rendered to Block Kit;
- send: the pass as an operator runs it, `govbot jobs run nudges --at ...` in a
  subprocess, sending to the loopback stand-in, which answers each Web API call only after
  `--latency-ms` (150 by default; Slack's own round trip is 100-300 ms): wall time, the
  subprocess's peak resident memory, the most calls in flight at once (and to one
  channel), and a check that each owner got exactly one direct message;
- the same pass again (claims cleared) with the stand-in answering 429 with Retry-After on
  every n-th chat.postMessage: still one message per owner, every refused call retried to
  the same channel, and none sooner than the Retry-After asked.

There is no floor query here: the floor of a pass is the stand-in's latency per message
over the calls in flight at once.

    python -m benchmarks.nudge_scale [--database-url postgresql://...] [--quick]
        [--owners 5000] [--latency-ms 150]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete

from benchmarks.digest_scale import ms, timed
from benchmarks.report import backend_of, environment, table, write_results
from benchmarks.seed import LEAD, add_owner_actions, owner, scale_plan
from benchmarks.servers import TimedStandin, fresh_database, server_environment
from bot.jobs import nudge_message
from governance.database import UnitOfWork, make_engine
from governance.jobs.models import JobClaim
from governance.jobs.nudges import due_nudges
from governance.plans.models import MemberPreference
from tests.queries import QueryCounter

# A Monday (not a bank holiday) just after the default nudge time, 09:00 Europe/London.
NOW = datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
OWNERS = 5_000
QUICK_OWNERS = 500
ACTIONS_EACH = 4
REPEATS = 3
RATE_LIMIT_EVERY = 100
QUICK_RATE_LIMIT_EVERY = 50
RETRY_AFTER = 1
LATENCY_MS = 150
PASS_TIMEOUT = 1200
# The aim for a pass of 5,000 owners when Slack answers in 150 ms.
PASS_AIM_S = 180


def job_pass(url: str, standin: TimedStandin) -> dict[str, Any]:
    """`govbot jobs run nudges --at NOW` in a subprocess; its time, peak RSS and report."""
    govbot = shutil.which("govbot")
    command = ([govbot] if govbot else [sys.executable, "-m", "bot.cli"]) + [
        "jobs",
        "run",
        "nudges",
        "--at",
        NOW.isoformat(),
    ]
    standin.reset()
    standin.arrivals.clear()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            env=server_environment(url, standin.api_url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + PASS_TIMEOUT
        while True:
            # wait4 gives this child's own peak resident memory (ru_maxrss, KiB).
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                raise TimeoutError(f"the nudge pass took over {PASS_TIMEOUT} s")
            time.sleep(0.01)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace").strip()
    return {
        "wall_s": round(wall, 2),
        "exit": process.returncode,
        "summary": output.splitlines()[-1] if output else "",
        "peak_rss_kib": usage.ru_maxrss,
        # On a busy machine a pass waits for a core as well as for Slack: its own CPU time
        # says how much of the wall time was work.
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
    }


def deliveries(standin: TimedStandin, owners: set[str]) -> dict[str, Any]:
    """What reached the stand-in: messages per owner, 429s, the wait before each refused
    call's retry (the next call to its channel: no pass sends two to one channel at once),
    and the most calls in flight at once."""
    posts = [a for a in standin.arrivals if a.method == "chat.postMessage"]
    delivered = Counter(a.channel for a in posts if a.status == 200)
    limited = [i for i, a in enumerate(posts) if a.status == 429]
    retries = {
        i: next((later for later in posts[i + 1 :] if later.channel == posts[i].channel), None)
        for i in limited
    }
    waits = [retry.at - posts[i].at for i, retry in retries.items() if retry is not None]
    owner_counts = Counter(delivered[o] for o in owners)
    ok_posts = [a.at for a in posts if a.status == 200]
    to_one_channel = [
        n
        for key, n in standin.peak_in_flight.items()
        if isinstance(key, tuple) and key[0] == "chat.postMessage"
    ]
    return {
        "owners_with_one": owner_counts.get(1, 0),
        "owners_with_none": owner_counts.get(0, 0),
        "owners_with_more": sum(n for times, n in owner_counts.items() if times > 1),
        "others_messaged": sorted(c for c in delivered if c not in owners),
        "posts_ok": len(ok_posts),
        "rate_limited": len(limited),
        "shortest_wait_after_429_s": round(min(waits), 3) if waits else None,
        "every_429_retried": all(retry is not None for retry in retries.values()),
        "users_info_calls": sum(1 for a in standin.arrivals if a.method == "users.info"),
        "send_window_s": round(ok_posts[-1] - ok_posts[0], 2) if len(ok_posts) > 1 else 0.0,
        "most_in_flight": standin.peak_in_flight.get("chat.postMessage", 0),
        "most_in_flight_to_one_channel": max(to_one_channel, default=0),
        "most_users_info_in_flight": standin.peak_in_flight.get("users.info", 0),
    }


def run(
    database_url: str | None, count: int, every: int, repeats: int, latency_ms: int
) -> dict[str, Any]:
    owners = [owner(n) for n in range(1, count + 1)]
    with (
        fresh_database(database_url) as url,
        TimedStandin(latency=latency_ms / 1000) as standin,
    ):
        engine = make_engine(url)
        uow = UnitOfWork(engine, clock=lambda: NOW)
        counter = QueryCounter(engine)
        started = time.perf_counter()
        plan_id = scale_plan(uow, board=False)
        add_owner_actions(uow, plan_id, owners, ACTIONS_EACH, NOW, seed=1)
        if backend_of(url) == "postgresql":
            with engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        seed_s = time.perf_counter() - started

        statements: list[int] = []

        def compose() -> list[Any]:
            with counter.counting():
                nudges = due_nudges(uow)
            statements.append(counter.count)
            return nudges

        compose_s, nudges = timed(repeats, compose)
        tracemalloc.start()
        due_nudges(uow)
        _, compose_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        render_s, _ = timed(max(1, repeats - 1), lambda: [nudge_message(n) for n in nudges])

        passes = {}
        for name, limit in (("plain", None), (f"429 every {every}", every)):
            with uow.transaction() as session:
                session.execute(delete(JobClaim))
                session.execute(delete(MemberPreference))
            if limit:
                standin.rate_limit("chat.postMessage", limit, RETRY_AFTER)
            measured = job_pass(url, standin)
            passes[name] = {**measured, **deliveries(standin, set(owners))}
        counter.close()
        engine.dispose()
    return {
        "owners": count,
        "actions": count * ACTIONS_EACH,
        "seed_s": round(seed_s, 1),
        "nudges_composed": len(nudges),
        "compose_ms": ms(compose_s),
        "compose_runs_ms": [round(s * 1000, 1) for s in compose_s],
        "compose_statements": sorted(set(statements)),
        "compose_peak_traced_mib": round(compose_peak / 1024 / 1024, 1),
        "render_all_ms": ms(render_s),
        "passes": passes,
        "rate_limit_every": every,
        "retry_after_s": RETRY_AFTER,
        "latency_ms": latency_ms,
    }


def report(results: dict[str, Any], backend: str) -> tuple[str, dict[str, bool]]:
    compose = table(
        (
            "owners",
            "actions",
            "nudges",
            "compose ms",
            "SQL",
            "peak traced MiB",
            "render all ms",
        ),
        [
            [
                results["owners"],
                results["actions"],
                results["nudges_composed"],
                results["compose_ms"],
                ",".join(map(str, results["compose_statements"])),
                results["compose_peak_traced_mib"],
                results["render_all_ms"],
            ]
        ],
    )
    rows = []
    aims: dict[str, bool] = {
        "one nudge composed per owner": results["nudges_composed"] == results["owners"]
    }
    for name, p in results["passes"].items():
        sent = p["posts_ok"] or 1
        rows.append(
            [
                name,
                p["wall_s"],
                p["cpu_s"],
                p["send_window_s"],
                round(p["send_window_s"] / sent * 1000, 2),
                round(p["peak_rss_kib"] / 1024, 1),
                p["posts_ok"],
                p["owners_with_one"],
                p["owners_with_none"],
                p["owners_with_more"],
                p["rate_limited"],
                p["shortest_wait_after_429_s"],
                p["users_info_calls"],
                p["most_in_flight"],
                p["most_in_flight_to_one_channel"],
            ]
        )
        aims[f"{name}: every owner exactly one DM"] = (
            p["owners_with_one"] == results["owners"] and p["exit"] == 0
        )
        if p["rate_limited"]:
            aims[f"{name}: no retry before Retry-After"] = (
                p["shortest_wait_after_429_s"] is not None
                and p["shortest_wait_after_429_s"] >= results["retry_after_s"]
                and p["every_429_retried"]
            )
        aims[f"{name}: never two calls to one channel at once"] = (
            p["most_in_flight_to_one_channel"] <= 1
        )
    plain = results["passes"]["plain"]
    if results["owners"] >= OWNERS and results["latency_ms"] >= LATENCY_MS:
        aims[f"plain: {results['owners']:,} owners in under {PASS_AIM_S} s"] = (
            plain["wall_s"] < PASS_AIM_S
        )
    passes = table(
        (
            "pass",
            "wall s",
            "CPU s",
            "sending s",
            "ms per DM",
            "peak RSS MiB",
            "DMs",
            "owners 1 DM",
            "0 DMs",
            ">1 DM",
            "429s",
            "min wait after 429 s",
            "users.info",
            "most in flight",
            "to one channel",
        ),
        rows,
    )
    missed = [aim for aim, met in aims.items() if not met]
    printed = (
        f"Nudge pass at scale on {backend} (compose: median of the timed runs, in process; "
        "passes: `govbot jobs run nudges` as a subprocess; the stand-in answers each call "
        f"after {results['latency_ms']} ms)\n\n"
        + compose
        + "\n\n"
        + passes
        + "\n\nDMs beyond the owners' (the plan lead's escalation): "
        + ", ".join(
            f"{name}: {', '.join(p['others_messaged']) or 'none'}"
            for name, p in results["passes"].items()
        )
        + f"\n\nAims met: {len(aims) - len(missed)} of {len(aims)}"
        + "".join(f"\n  missed: {aim}" for aim in missed)
    )
    return printed, aims


def main() -> None:
    parser = argparse.ArgumentParser(description="The nudge pass for 5,000 owners")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL (emptied first); default a temp SQLite file"
    )
    parser.add_argument("--quick", action="store_true", help="500 owners, for a smoke run")
    parser.add_argument("--owners", type=int, help=f"owners (default {OWNERS:,})")
    parser.add_argument(
        "--latency-ms", type=int, default=LATENCY_MS, help="how long Slack takes to answer"
    )
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed compose runs")
    args = parser.parse_args()
    url = args.database_url or "sqlite://"
    env = environment(args.database_url)
    count = args.owners or (QUICK_OWNERS if args.quick else OWNERS)
    every = QUICK_RATE_LIMIT_EVERY if count <= QUICK_OWNERS else RATE_LIMIT_EVERY
    results = run(args.database_url, count, every, args.repeats, args.latency_ms)
    printed, aims = report(results, backend_of(url))
    print(printed)
    path = write_results(
        "nudge_scale",
        url,
        {
            "now": NOW.isoformat(),
            "actions_each": ACTIONS_EACH,
            "repeats": args.repeats,
            "quick": args.quick or count < OWNERS,
            "lead": LEAD,
        },
        {**results, "aims": aims},
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
