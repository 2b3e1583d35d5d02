"""Benchmark 5: how parse time grows with the length of a slash command's text.

Each pathological shape is built at 1 KB, 10 KB and 100 KB and read the way `/risk add`
reads it: `parse_command_text` and then `parse_share` on any `share:` value. A refusal
counts as an answer (most of these inputs are refused); the time is until the answer.

- quotes in a share: `add "t" share:x` and then nothing but `"` (the 100 KB command that
  stalled a server);
- quoted words: `"a" "a" "a" …`;
- options: `aa:1 ab:1 ac:1 …`, every key different;
- share list: `share:"Org 1"=1, "Org 2"=1, …`.

The parser is timed without the length cap (`limit=None`), so the figures show how the
parser itself grows; with the cap a command over `MAX_COMMAND_TEXT` is refused before any
parsing. In-process, no database, no HTTP.

    python -m benchmarks.parse_scale [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import string
import time
from collections.abc import Callable
from typing import Any

from benchmarks.report import environment, table, write_results
from bot.grammar import parse_command_text, parse_share
from governance.errors import Invalid

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
REPEATS = 5
# A size slower than this is timed once, and the larger sizes of that shape are skipped.
SLOW_SECONDS = 10.0
# The aim: linear, and 100 KB of any shape read (or refused) in under 50 ms.
AIM_MS = 50


def quotes_in_share(size: int) -> str:
    head = 'add "t" likelihood:3 impact:3 share:x'
    return head + '"' * (size - len(head))


def quoted_words(size: int) -> str:
    return ('"a" ' * (size // 4 + 1))[:size]


def options(size: int) -> str:
    keys = ("".join(letters) for letters in itertools.product(string.ascii_lowercase, repeat=3))
    parts = []
    length = 0
    for key in keys:
        part = f"{key}:1 "
        if length + len(part) > size:
            break
        parts.append(part)
        length += len(part)
    return "".join(parts)


def share_list(size: int) -> str:
    parts = ['add "t" share:']
    length = len(parts[0])
    for number in itertools.count(1):
        part = f'"Org {number}"=1, '
        if length + len(part) > size:
            break
        parts.append(part)
        length += len(part)
    return "".join(parts)


SHAPES: dict[str, Callable[[int], str]] = {
    "quotes in a share": quotes_in_share,
    "quoted words": quoted_words,
    "options": options,
    "share list": share_list,
}


def read_like_risk_add(text: str) -> None:
    """Parse `text` as `/risk add` does, uncapped; a refusal is an answer."""
    try:
        parsed = parse_command_text(text, limit=None)
        if "share" in parsed.options:
            parse_share(parsed.options["share"])
    except Invalid:
        pass


def time_once(text: str) -> float:
    started = time.perf_counter()
    read_like_risk_add(text)
    return time.perf_counter() - started


def run(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    rows = []
    for shape, build in SHAPES.items():
        for size in sizes:
            text = build(size)
            first = time_once(text)
            if first > SLOW_SECONDS:
                rows.append({"shape": shape, "bytes": len(text), "ms": round(first * 1000, 1)})
                break
            seconds = [first, *(time_once(text) for _ in range(REPEATS - 1))]
            median = statistics.median(seconds)
            rows.append({"shape": shape, "bytes": len(text), "ms": round(median * 1000, 2)})
    return rows


def report(rows: list[dict[str, Any]], sizes: tuple[int, ...]) -> tuple[str, dict[str, bool]]:
    printed = table(
        ("shape", "bytes", "parse ms"), [[r["shape"], r["bytes"], r["ms"]] for r in rows]
    )
    aims: dict[str, bool] = {}
    for shape in SHAPES:
        timed = [r for r in rows if r["shape"] == shape]
        largest = timed[-1]
        aims[f"{shape}: {sizes[-1]:,} bytes in under {AIM_MS} ms"] = (
            len(timed) == len(sizes) and largest["ms"] < AIM_MS
        )
    missed = [aim for aim, met in aims.items() if not met]
    return (
        f"Command text parsed as /risk add reads it, uncapped (median of {REPEATS})\n\n"
        + printed
        + f"\n\nAims met: {len(aims) - len(missed)} of {len(aims)}"
        + "".join(f"\n  missed: {aim}" for aim in missed)
    ), aims


def main() -> None:
    parser = argparse.ArgumentParser(description="parse time as command text grows")
    parser.add_argument("--quick", action="store_true", help="1 KB and 10 KB only")
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    env = environment()
    rows = run(sizes)
    printed, aims = report(rows, sizes)
    print(printed)
    path = write_results(
        "parse_scale",
        None,
        {"sizes": sizes, "repeats": REPEATS, "quick": args.quick},
        {"rows": rows, "aims": aims},
        printed,
        env,
    )
    print(f"\nResults: {path}")


if __name__ == "__main__":
    main()
