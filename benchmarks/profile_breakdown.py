"""Where govbot's server CPU goes under benchmark 1's load, from its py-spy profile.

    python -m benchmarks.command_latency --only govbot --profile before.prof
    python -m benchmarks.profile_breakdown before.prof [after.prof]

Each sample (a thread's stack, py-spy's raw collapsed format) is given to one part of the
request's path, by the innermost frame that names one: the reply's HTTP call, Block Kit
fitting, Jinja rendering and its JSON parse, the unit of work and ORM loading, the use
case, parsing and routing the command, Bolt's dispatch, waitress and the WSGI app. A
listener's samples are told apart by command (its subcommand's handler); the request
thread's, common to every command, are shown once. Samples of threads waiting (a lock,
`sleep`, `select`) are counted apart: they cost no CPU.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from benchmarks.report import table

# The innermost frame matching one of these names the part; the first part that matches
# from the leaf outwards wins. Patterns match "function (path:line)".
PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reply's HTTP call", re.compile(r"\((?:[^)]*/)?(?:urllib|http/client|socket|ssl)\.py")),
    ("reply's HTTP call", re.compile(r"^(?:respond|deliver|post) \([^)]*bot/")),
    ("reply's HTTP call", re.compile(r"slack_sdk/webhook|slack_bolt/context/respond")),
    ("Block Kit fitting", re.compile(r"^(?:fit|fit_blocks|_truncate\w*) \([^)]*bot/rendering")),
    ("Jinja and its JSON", re.compile(r"jinja2/|markupsafe/|/json/|message_templates")),
    ("Jinja and its JSON", re.compile(r"^render \([^)]*bot/rendering")),
    ("unit of work and ORM", re.compile(r"sqlalchemy/|sqlite3|psycopg|governance/database")),
    ("use case", re.compile(r"governance/|pydantic")),
    ("parsing and routing", re.compile(r"bot/(?:grammar|command_router|listeners)|bot/rendering")),
    ("Bolt's dispatch", re.compile(r"slack_bolt/|slack_sdk/")),
    ("WSGI and waitress", re.compile(r"waitress/|bot/http_server|bot/acknowledgement")),
)
# A thread waiting for the GIL, a lock, a work slot, a condition or the network: no CPU.
WAITING = re.compile(
    r"^(?:[\w<>]+\.)*(?:wait|sleep|select|poll|acquire|accept|_wait_for_tstate_lock"
    r"|readinto|recv|recv_into|connect) \("
    r"|^WorkSlots\.__enter__ \("  # the slot's lock (C code, not sampled as a frame)
    r"|^UnitOfWork\.transaction \(governance/database\.py:\d+\)$"  # SQLite's writer lock
    r"|^_worker \(concurrent/futures/thread\.py:81\)$"  # an idle listener thread
    r"|^handler_thread \(waitress/task\.py"  # an idle waitress thread
)
# A listener's command, by the handler its stack passes through.
COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("/action update", re.compile(r"^update \([^)]*action_command")),
    ("/action list", re.compile(r"^list_ \([^)]*action_command")),
    ("/plan", re.compile(r"^overview \([^)]*plan_command")),
)
LISTENER = re.compile(r"govbot-listener|^listener \([^)]*command_router|run_ack_function")


def samples(path: Path) -> Iterable[tuple[list[str], int]]:
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            yield stack.split(";"), int(count)


def part_of(frames: list[str]) -> str:
    if WAITING.match(frames[-1]):
        return "waiting"
    for frame in reversed(frames):
        for part, pattern in PARTS:
            if pattern.search(frame):
                return part
    return "other"


def command_of(frames: list[str]) -> str:
    for command, pattern in COMMANDS:
        if any(pattern.match(frame) for frame in frames):
            return command
    if any(LISTENER.search(frame) for frame in frames):
        return "listener, other"
    return "request thread"


def breakdown(path: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for frames, count in samples(path):
        counts.setdefault(command_of(frames), Counter())[part_of(frames)] += count
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", type=Path, nargs="+")
    args = parser.parse_args()
    parts = sorted({p for p, _ in PARTS} | {"other", "waiting"})
    for path in args.profiles:
        counts = breakdown(path)
        busy = sum(n for c in counts.values() for p, n in c.items() if p != "waiting")
        print(f"{path}: {busy} busy samples")
        rows = []
        for where, counter in sorted(counts.items()):
            total = sum(n for p, n in counter.items() if p != "waiting")
            rows.append(
                [where, total]
                + [
                    f"{100 * counter[p] / busy:.1f}" if p != "waiting" else counter[p]
                    for p in parts
                ]
            )
        print(table(["where", "busy samples", *[f"{p} %" for p in parts]], rows))
        print()


if __name__ == "__main__":
    main()
