"""What every benchmark shares: percentiles, a plain-text table, and a results file that
names the machine, the date and the versions it was measured with."""

from __future__ import annotations

import json
import math
import os
import platform
import re
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import text

from governance.database import make_engine

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parent.parent
PACKAGES = (
    "slack-bolt",
    "slack-sdk",
    "SQLAlchemy",
    "waitress",
    "psycopg",
    "Jinja2",
    "pydantic",
    "APScheduler",
    "matplotlib",
)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile of already sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99, max and mean in milliseconds."""
    ordered = sorted(seconds)
    ms = 1000.0
    return {
        "count": len(ordered),
        "p50_ms": round(percentile(ordered, 50) * ms, 2),
        "p95_ms": round(percentile(ordered, 95) * ms, 2),
        "p99_ms": round(percentile(ordered, 99) * ms, 2),
        "max_ms": round((ordered[-1] if ordered else 0.0) * ms, 2),
        "mean_ms": round((sum(ordered) / len(ordered) if ordered else 0.0) * ms, 2),
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A fixed-width table; numbers right-aligned."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [
        max(len(str(header)), *(len(row[i]) for row in cells)) if cells else len(str(header))
        for i, header in enumerate(headers)
    ]
    numeric = [
        all(_is_number(row[i]) for row in rows if row[i] not in ("", None))
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i])
            for i, value in enumerate(values)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line([str(h) for h in headers]), rule, *(line(row) for row in cells)])


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def backend_of(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgres") else "sqlite"


def environment(database_url: str | None = None) -> dict[str, Any]:
    """The machine, the software versions and the commit the figures belong to."""
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    if database_url and backend_of(database_url) == "postgresql":
        engine = make_engine(database_url)
        with engine.connect() as connection:
            versions["postgresql"] = str(connection.execute(text("SHOW server_version")).scalar())
        engine.dispose()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": _cpu_model(),
            "cores": len(os.sched_getaffinity(0)),
            "memory_gib": round(_memory_kib() / 1024 / 1024, 1),
            "kernel": platform.release(),
            "os": _os_name(),
        },
        "versions": versions,
        "commit": _git("describe", "--always", "--dirty"),
        "load_average_before": load_average(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews the figures."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_kib() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _redact(argument: str) -> str:
    """An argument with any password in a URL blanked."""
    return re.sub(r"(://[^:/@\s]+):[^@\s]+@", r"\1:***@", argument)


def header(env: dict[str, Any]) -> str:
    machine = env["machine"]
    versions = env["versions"]
    database = (
        f"PostgreSQL {versions['postgresql']}"
        if "postgresql" in versions
        else f"SQLite {versions['sqlite']}"
    )
    return (
        f"{env['date']}  commit {env['commit']}\n"
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['os']}, Linux {machine['kernel']}\n"
        f"Python {versions['python']}, {database}, slack-bolt {versions['slack-bolt']}, "
        f"SQLAlchemy {versions['SQLAlchemy']}, waitress {versions['waitress']}"
    )


def write_results(
    name: str,
    database_url: str | None,
    parameters: dict[str, Any],
    results: Any,
    printed: str,
    env: dict[str, Any] | None = None,
) -> Path:
    """Write `<name>-<backend>-<UTC time>.json` and `.txt` (what was printed) to results/."""
    env = env or environment(database_url)
    backend = backend_of(database_url) if database_url else "none"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = RESULTS_DIR / f"{name}-{backend}-{stamp}"
    document = {
        "benchmark": name,
        "backend": backend,
        "command": " ".join(["python", "-m", f"benchmarks.{name}", *map(_redact, sys.argv[1:])]),
        **env,
        "load_average_after": load_average(),
        "parameters": parameters,
        "results": results,
    }
    stem.with_suffix(".json").write_text(json.dumps(document, indent=2, default=str) + "\n")
    loads = f"load average before {env['load_average_before']}, after {load_average()}"
    stem.with_suffix(".txt").write_text(
        header(env) + "\n" + loads + "\n\n" + printed.rstrip() + "\n"
    )
    return stem.with_suffix(".json")
