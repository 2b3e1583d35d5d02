"""Benchmark 4: footprint. How long `govbot serve --http` takes from launch to a healthy
/healthz, and its resident memory idle and after the load of benchmark 1, beside the floor
(the same stack with a bare Bolt app).

Each server is started several times on a database holding a working plan; then
benchmark 1's load (benchmarks.command_latency) runs against each, and the resident memory
after it is read from /proc.

    python -m benchmarks.footprint [--database-url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from benchmarks import command_latency
from benchmarks.report import environment, table, write_results
from benchmarks.seed import working_plan
from benchmarks.servers import TimedStandin, fresh_database, start_floor, start_govbot
from governance.database import UnitOfWork, make_engine

STARTS = 5
QUICK_STARTS = 2
SETTLE_S = 1.0
# Long enough to see a server that keeps a core busy with nothing to do.
IDLE_S = 2.0
SERVERS = {"floor": start_floor, "govbot": start_govbot}


def starts(url: str, api_url: str, count: int) -> dict[str, Any]:
    """Launch each server `count` times: seconds to healthy, RSS once settled (KiB)."""
    found: dict[str, Any] = {}
    for name, start in SERVERS.items():
        healthy, rss, idle_cpu = [], [], []
        for _ in range(count):
            server = start(url, api_url)
            try:
                healthy.append(server.wait_healthy())
                time.sleep(SETTLE_S)
                rss.append(server.memory_kib()["VmRSS"])
                used = server.cpu_seconds()
                time.sleep(IDLE_S)
                idle_cpu.append((server.cpu_seconds() - used) / IDLE_S)
            finally:
                server.stop()
        found[name] = {
            "healthy_s": [round(s, 3) for s in healthy],
            "healthy_median_s": round(statistics.median(healthy), 3),
            "rss_idle_kib": rss,
            "rss_idle_median_kib": int(statistics.median(rss)),
            "idle_cpu_share": round(statistics.median(idle_cpu), 3),
        }
    return found


def run(database_url: str | None, quick: bool) -> dict[str, Any]:
    with fresh_database(database_url) as url, TimedStandin() as standin:
        engine = make_engine(url)
        working_plan(UnitOfWork(engine))
        engine.dispose()
        started = starts(url, standin.api_url, QUICK_STARTS if quick else STARTS)
    # Benchmark 1's run, on a database of its own; its servers report RSS before and after.
    load = command_latency.run(database_url, quick=quick, targets=("floor", "govbot"))
    return {"starts": started, "after_load": load["servers"], "load_per_client": load["per_client"]}


def report(results: dict[str, Any]) -> str:
    rows = []
    for name, info in results["starts"].items():
        after = results["after_load"][name]
        rows.append(
            [
                name,
                info["healthy_median_s"],
                min(info["healthy_s"]),
                max(info["healthy_s"]),
                round(info["rss_idle_median_kib"] / 1024, 1),
                info.get("idle_cpu_share"),
                round(after["rss_after_kib"] / 1024, 1),
                round(after["rss_peak_kib"] / 1024, 1),
            ]
        )
    govbot, floor = rows[-1], rows[0]
    return (
        "Footprint (healthy: launch to the first 200 from /healthz; RSS from /proc, "
        "after benchmark 1's load)\n\n"
        + table(
            (
                "server",
                "healthy s (median)",
                "min",
                "max",
                "RSS idle MiB",
                "idle CPU (cores)",
                "RSS after load MiB",
                "peak MiB",
            ),
            rows,
        )
        + f"\n\ngovbot / floor: start {govbot[1] / floor[1]:.1f}x, "
        f"idle memory {govbot[4] / floor[4]:.1f}x, after load {govbot[6] / floor[6]:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Start time and memory, govbot beside the floor")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL (emptied first); default a temp SQLite file"
    )
    parser.add_argument("--quick", action="store_true", help="fewer starts and a short load")
    args = parser.parse_args()
    url = args.database_url or "sqlite://"
    env = environment(args.database_url)
    results = run(args.database_url, args.quick)
    printed = report(results)
    print(printed)
    path = write_results(
        "footprint",
        url,
        {"starts": QUICK_STARTS if args.quick else STARTS, "quick": args.quick},
        results,
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
