"""Benchmark 7: importing a 5,000-row Excel action log, the way Slack drives it.

A workbook of 5,000 actions (a title row, merged headers, UK dates, BRAG letters, owners by
e-mail address for 50 people, 5 partners, people functions by name) is uploaded to the
loopback stand-in; the import form is submitted as a signed view submission to the app in
this process (as the tests serve it). Timed from the submission to the moment the progress
message in the lead's DM becomes the preview (files.info, the download with the bot token,
reading, matching owners with users.lookupByEmail, checking every row, keeping the preview);
then from the Import click to the answer on the response URL (every action written in one
transaction). Peak memory is the process's peak resident set (ru_maxrss), measured in a
fresh process that made nothing else. Aims: preview under 5 s, applied under 10 s, peak
under 300 MiB, all after the acknowledgement.

    python -m benchmarks.import_scale [--database-url postgresql://...] [--rows 5000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.report import environment, table, write_results
from benchmarks.servers import fresh_database
from bot.app import build_app
from governance.actions.models import Action
from governance.actor import Actor
from governance.database import UnitOfWork, make_engine
from governance.inputs import validate
from governance.plans.inputs import PlanSetup
from governance.plans.use_cases import setup_plan
from tests.slack_faults import FaultyStandin
from tests.slack_harness import ALICE, CHANNEL, TEAM_ID, BotServer, harness_settings
from tests.workbooks import action_log

PEOPLE = 50
PARTNERS = ("Devon County Council", "Torbay Council", "RD&E", "Livewell Southwest", "Age UK")
FUNCTIONS = (
    "Supporting the health and wellbeing of all staff",
    "supply",
    "3",
    "leadership",
    "Leading workforce transformation and new ways of working",
)
RAG = ("G", "A", "R", "B", "Not started")


def rows(count: int) -> list[list[Any]]:
    first = date(2027, 1, 1)
    return [
        [
            f"ACT-{n:05d}",
            f"Action {n}: recruit and retain staff in service {n % 97}",
            f"person{n % PEOPLE}@devon.nhs.uk",
            (first + timedelta(days=n % 365)).strftime("%d/%m/%Y"),
            None,
            RAG[n % len(RAG)],
            None if RAG[n % len(RAG)] in ("B", "Not started") else (n % 10) / 10,
            FUNCTIONS[n % len(FUNCTIONS)],
            PARTNERS[n % len(PARTNERS)],
            "imported for the benchmark",
        ]
        for n in range(1, count + 1)
    ]


def measure(database_url: str, workbook: Path) -> dict[str, Any]:
    """Preview and apply `workbook` over signed HTTP; the timings and the peak memory."""
    content = workbook.read_bytes()
    with FaultyStandin() as standin:
        for n in range(PEOPLE):
            standin.set_user(f"U0PERSON{n}", email=f"person{n}@devon.nhs.uk")
        settings = harness_settings(database_url, standin.api_url)
        engine = make_engine(database_url)
        uow = UnitOfWork(engine)
        plan = setup_plan(uow, Actor(TEAM_ID, ALICE, CHANNEL), validate(PlanSetup, name="Devon"))
        bot = BotServer(settings, uow, standin, build_app(settings, uow), real_http=False)
        file_id = standin.add_file("Action log.xlsx", content)
        started = time.perf_counter()
        acked = bot.submit(
            "import_form",
            {
                "file": {"type": "file_input", "files": [{"id": file_id}]},
                "kind": {"type": "radio_buttons", "selected_option": {"value": "actions"}},
                "sheet": "",
            },
            private_metadata=bot.sealed({"plan_id": plan.id, "channel_id": CHANNEL}),
        )
        ack_seconds = time.perf_counter() - started
        assert acked.status == 200 and acked.body == b"", acked
        preview = standin.wait_for(
            lambda: [
                c.params
                for c in standin.calls_to("chat.update")
                if "import_apply" in json.dumps(c.params.get("blocks"))
            ],
            timeout=120,
        )[0]
        preview_seconds = time.perf_counter() - started
        updates = len(standin.calls_to("chat.update"))
        value = next(
            element["value"]
            for block in preview["blocks"]
            for element in block.get("elements", [])
            if element.get("action_id") == "import_apply"
        )
        started = time.perf_counter()
        sent = bot.click("import_apply", value, channel_id="D0ALICE")
        done = bot.reply_to(sent, timeout=120)
        apply_seconds = time.perf_counter() - started
        bot.stop()
        with uow.transaction() as session:
            stored = session.scalar(select(func.count()).select_from(Action))
        engine.dispose()
    return {
        "ack_ms": round(ack_seconds * 1000, 1),
        "preview_s": round(preview_seconds, 2),
        "apply_s": round(apply_seconds, 2),
        "progress_updates": updates,
        "preview_text": preview["text"],
        "answer_text": done["text"],
        "actions_stored": stored,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "file_bytes": len(content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.database_url, args.measure)))
        return
    env = environment(args.database_url)
    with tempfile.TemporaryDirectory(prefix="govbot-import-") as folder:
        workbook = Path(folder) / "Action log.xlsx"
        workbook.write_bytes(action_log(rows(args.rows)))
        with fresh_database(args.database_url) as url:
            child = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.import_scale",
                    "--measure",
                    str(workbook),
                    "--database-url",
                    url,
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    printed = "\n".join(
        [
            f"Importing a {args.rows:,}-row .xlsx action log "
            f"({figures['file_bytes'] / 1024:.0f} KiB) over signed HTTP:",
            table(
                ["step", "figure", "aim"],
                [
                    ["form acknowledged", f"{figures['ack_ms']} ms", "under 3 s"],
                    ["preview ready (after the ack)", f"{figures['preview_s']} s", "under 5 s"],
                    ["applied (after the click's ack)", f"{figures['apply_s']} s", "under 10 s"],
                    ["peak resident memory", f"{figures['peak_rss_mib']} MiB", "under 300 MiB"],
                ],
            ),
            f"progress message updates: {figures['progress_updates']}; "
            f"preview: {figures['preview_text']}; answer: {figures['answer_text']}; "
            f"actions stored: {figures['actions_stored']}",
        ]
    )
    print(printed)
    path = write_results(
        "import_scale",
        args.database_url or "sqlite:///",
        {"rows": args.rows},
        figures,
        printed,
        env,
    )
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
