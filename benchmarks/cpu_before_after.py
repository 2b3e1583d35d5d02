"""Benchmark 1c: server CPU per command, an earlier commit beside this checkout, interleaved.

The machine this runs on is shared and its speed moves by half between one minute and the
next, so two runs of benchmark 1 made minutes apart can differ more than a change does.
This script starts `govbot serve --http` from an earlier tree (`--before`, e.g. made with
`git archive <commit> | tar -x -C /tmp/before`) and from this checkout, one after the other,
round after round (the order swapped each round), each on the same database and the same
stand-in, and measures what benchmark 1 measures at 10 clients: the server process's CPU
time per command while 10 closed-loop clients each send 30 (`/action update`, `/action
list` of 200, `/plan`), and the answers' p99. The medians of the rounds are compared.

    python -m benchmarks.cpu_before_after --before /tmp/before [--rounds 4]
        [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

from benchmarks.command_latency import ACTIONS, COMMANDS, TARGETS, Load
from benchmarks.report import environment, percentile, table, write_results
from benchmarks.seed import working_plan
from benchmarks.servers import ServerProcess, TimedStandin, fresh_database, server_environment
from governance.database import UnitOfWork, make_engine

CLIENTS = 10
REQUESTS_PER_CLIENT = 30
WARMUP_REQUESTS = 10
VARIANTS = ("before", "after")


def start(variant: str, before: Path, database_url: str, api_url: str) -> ServerProcess:
    """`govbot serve --http` from the earlier tree (first on the import path) or this one."""
    env = server_environment(database_url, api_url)
    if variant == "before":
        env["PYTHONPATH"] = str(before)
    command = [sys.executable, "-m", "bot.cli", "serve", "--http"]
    return ServerProcess(variant, [*command, "--host", "127.0.0.1", "--port", "0"], env)


def run(before: Path, database_url: str | None, rounds: int) -> dict[str, Any]:
    cpu: dict[str, dict[str, list[float]]] = {v: {c.label: [] for c in COMMANDS} for v in VARIANTS}
    p99: dict[str, dict[str, list[float]]] = {v: {c.label: [] for c in COMMANDS} for v in VARIANTS}
    with fresh_database(database_url) as url, TimedStandin() as standin:
        engine = make_engine(url)
        working_plan(UnitOfWork(engine), actions=ACTIONS)
        engine.dispose()
        for round_ in range(rounds):
            order = VARIANTS if round_ % 2 == 0 else VARIANTS[::-1]
            for variant in order:
                server = start(variant, before, url, standin.api_url)
                try:
                    server.wait_healthy()
                    load = Load(server, standin, TARGETS[-1])
                    for command in COMMANDS:
                        load.level(command, 1, WARMUP_REQUESTS)
                    for command in COMMANDS:
                        level = load.level(command, CLIENTS, REQUESTS_PER_CLIENT)
                        if level.errors:
                            raise RuntimeError(f"{variant} {command.label}: {level.error_samples}")
                        cpu[variant][command.label].append(level.cpu_s / level.sent * 1000)
                        answers = sorted(level.answer_s)
                        p99[variant][command.label].append(percentile(answers, 99) * 1000)
                finally:
                    server.stop()
            print(f"round {round_ + 1} of {rounds} done", file=sys.stderr, flush=True)
    return {"server_cpu_ms_per_request": cpu, "answer_p99_ms": p99}


def report(results: dict[str, Any]) -> str:
    cpu, p99 = results["server_cpu_ms_per_request"], results["answer_p99_ms"]
    rows = []
    for command in COMMANDS:
        label = command.label
        b, a = statistics.median(cpu["before"][label]), statistics.median(cpu["after"][label])
        rows.append(
            [
                label,
                round(b, 2),
                round(a, 2),
                f"{a / b:.2f}",
                " ".join(f"{x:.1f}" for x in cpu["before"][label]),
                " ".join(f"{x:.1f}" for x in cpu["after"][label]),
                round(statistics.median(p99["before"][label]), 1),
                round(statistics.median(p99["after"][label]), 1),
            ]
        )
    headers = [
        "command",
        "CPU ms before",
        "CPU ms after",
        "after / before",
        "each round before",
        "each round after",
        "answer p99 ms before",
        "after",
    ]
    return f"Server CPU per command at {CLIENTS} clients (medians of the rounds)\n\n" + table(
        headers, rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Server CPU per command, before beside after")
    parser.add_argument("--before", type=Path, required=True, help="an earlier tree of govbot")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied first)")
    args = parser.parse_args()
    if not (args.before / "bot" / "cli.py").is_file():
        parser.error(f"{args.before} is not a tree of govbot (no bot/cli.py)")
    env = environment(args.database_url)
    results = run(args.before.resolve(), args.database_url, args.rounds)
    printed = report(results)
    print(printed)
    path = write_results(
        "cpu_before_after",
        args.database_url or "sqlite://",
        {
            "before": str(args.before),
            "rounds": args.rounds,
            "clients": CLIENTS,
            "requests_per_client": REQUESTS_PER_CLIENT,
            "actions_in_plan": ACTIONS,
        },
        results,
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
