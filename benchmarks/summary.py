"""The summary table for the README, from the newest results of each benchmark and backend.

python -m benchmarks.summary      (prints Markdown)
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.report import RESULTS_DIR

BACKENDS = ("sqlite", "postgresql")


def newest(name: str, backend: str) -> dict[str, Any] | None:
    """The newest full (not --quick) run of `name` on `backend`."""
    for path in sorted(RESULTS_DIR.glob(f"{name}-{backend}-*.json"), reverse=True):
        document = json.loads(path.read_text())
        if not document["parameters"].get("quick"):
            document["file"] = path.name
            return document
    return None


def _level(doc: dict[str, Any], target: str, command: str, clients: int) -> dict[str, Any]:
    return next(
        level
        for level in doc["results"]["levels"]
        if (level["target"], level["command"], level["clients"]) == (target, command, clients)
    )


def _cpu(level: dict[str, Any]) -> str:
    cpu = level.get("server_cpu_ms_per_request")
    return "–" if cpu is None else f"{cpu:.1f}"


def latency_rows(doc: dict[str, Any], backend: str) -> list[str]:
    rows = []
    for command in ("/action update", "/action list", "/plan"):
        for clients in (1, 10, 50):
            govbot = _level(doc, "govbot", command, clients)
            floor = _level(doc, "floor", command, clients)
            reply = _level(doc, "floor + reply", command, clients)
            rows.append(
                f"| {backend} | `{command}` | {clients} "
                f"| {govbot['ack']['p50_ms']:.0f} / {govbot['ack']['p99_ms']:.0f} / "
                f"{govbot['ack']['max_ms']:.0f} "
                f"| {govbot['answer']['p50_ms']:.0f} / {govbot['answer']['p99_ms']:.0f} / "
                f"{govbot['answer']['max_ms']:.0f} "
                f"| {floor['ack']['p50_ms']:.0f} / {floor['ack']['p99_ms']:.0f} / "
                f"{floor['ack']['max_ms']:.0f} "
                f"| {reply['answer']['p50_ms']:.0f} "
                f"| {govbot['answer']['p50_ms'] / floor['ack']['p50_ms']:.1f}x "
                f"| {govbot['throughput_per_s']:.0f} / {floor['throughput_per_s']:.0f} "
                f"| {_cpu(govbot)} / {_cpu(floor)} "
                f"| {govbot['errors']} |"
            )
    return rows


def main() -> None:
    print("Slash commands (ms: p50 / p99 / max; answer = reply at the response URL)\n")
    print(
        "| db | command | clients | govbot ack | govbot answer | floor ack | floor+reply answer "
        "p50 | answer p50 / floor | answers/s govbot / floor | server CPU ms/request govbot / "
        "floor | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    sources = []
    for backend in BACKENDS:
        doc = newest("command_latency", backend)
        if doc:
            print("\n".join(latency_rows(doc, backend)))
            sources.append(f"{doc['file']} (load {doc['load_average_before']})")
    print("\nDigest at 1x and 10x\n")
    print(
        "| db | plan | compose ms | SQL statements | floor ms (1 statement) | compose / floor "
        "| render ms | chart ms | job pass ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for backend in BACKENDS:
        doc = newest("digest_scale", backend)
        if doc:
            sources.append(f"{doc['file']} (load {doc['load_average_before']})")
            for s in doc["results"]["scales"]:
                print(
                    f"| {backend} | {s['factor']}x ({s['actions']:,} actions, "
                    f"{s['feedback']:,} feedback) | {s['compose_ms']:.0f} "
                    f"| {','.join(map(str, s['statements']))} | {s['floor_ms']:.0f} "
                    f"| {s['compose_ms'] / s['floor_ms']:.1f}x | {s['render_ms']:.0f} "
                    f"| {s['chart_ms']:.0f} | {s['job_pass_ms']:.0f} |"
                )
    print("\nNudge pass, 5,000 owners x 4 actions\n")
    print(
        "| db | compose ms (SQL) | render all ms | Slack answers after ms | pass | wall s "
        "| ms per DM | peak RSS MiB | owners with exactly 1 DM | 429s | shortest wait after 429 s "
        "| most in flight (to one channel) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for backend in BACKENDS:
        doc = newest("nudge_scale", backend)
        if doc:
            sources.append(f"{doc['file']} (load {doc['load_average_before']})")
            r = doc["results"]
            statements = ",".join(map(str, r["compose_statements"]))
            for name, p in r["passes"].items():
                per_dm = p["send_window_s"] / max(p["posts_ok"], 1) * 1000
                # Runs before the stand-in had a latency answered at once, one call at a time.
                in_flight = p.get("most_in_flight", 1), p.get("most_in_flight_to_one_channel", 1)
                print(
                    f"| {backend} | {r['compose_ms']:.0f} ({statements}) "
                    f"| {r['render_all_ms']:.0f} | {r.get('latency_ms', 0)} | {name} "
                    f"| {p['wall_s']:.1f} | {per_dm:.1f} | {p['peak_rss_kib'] / 1024:.0f} "
                    f"| {p['owners_with_one']:,} of {r['owners']:,} "
                    f"| {p['rate_limited']} | {p['shortest_wait_after_429_s'] or ''} "
                    f"| {in_flight[0]} ({in_flight[1]}) |"
                )
    print("\nFootprint\n")
    print(
        "| db | server | launch to healthy s (median) | RSS idle MiB | idle CPU (cores) "
        "| RSS after benchmark 1 MiB |"
    )
    print("|---|---|---|---|---|---|")
    for backend in BACKENDS:
        doc = newest("footprint", backend)
        if doc:
            sources.append(f"{doc['file']} (load {doc['load_average_before']})")
            for name, info in doc["results"]["starts"].items():
                after = doc["results"]["after_load"][name]
                print(
                    f"| {backend} | {name} | {info['healthy_median_s']:.2f} "
                    f"| {info['rss_idle_median_kib'] / 1024:.0f} "
                    f"| {info.get('idle_cpu_share', '–')} "
                    f"| {after['rss_after_kib'] / 1024:.0f} |"
                )
    print("\nFrom: " + "; ".join(sources))


if __name__ == "__main__":
    main()
