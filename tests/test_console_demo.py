"""`govbot console --demo`: a working bot with a full plan, from the first command."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from bot.console import run_console
from bot.settings import load_settings
from tests.feedback_form_client import FormVisitor
from tests.test_console import console


def test_the_demo_starts_as_lead_of_its_plan_and_its_digest_is_full_at_once(
    database_url: str,
) -> None:
    printed = console(database_url, "/plan\n:jobs run digest\n", demo=True)
    assert "Seeded “Wessex Vale ICS integrated workforce plan” in #workforce-plan" in printed
    overview, digest = printed.split("@you #workforce-plan> /plan")[1].split("> :jobs run digest")
    assert "Your role: lead" in overview
    assert "Board channel: #people-board" in overview
    assert "╭─ govbot in #people-board" in digest
    for part in (
        "Weekly digest: Wessex Vale ICS integrated workforce plan",
        "Celebrating success",
        "Completed: 5 actions",
        "Progress by people function",
        "10. Supporting system design and development",
        "Needs attention",
        "Extreme risks (scored 15 or more): 2",
        "Open challenges: 1",
        "You said",
        "[chart: ",
    ):
        assert part in digest, part


def test_demo_nudges_reach_owners_and_a_nudge_button_snoozes(database_url: str) -> None:
    printed = console(
        database_url,
        ":jobs run nudges\n:as @sam\n:click 3\n",
        demo=True,
    )
    nudges, as_sam = printed.split("> :as @sam")
    assert "✉ govbot sent @sam a direct message" in nudges
    assert "[1] Update  [2] Done  [3] Snooze a week" in as_sam
    assert "A-4 Recruit 40 international nurses before winter is snoozed" in as_sam


def test_a_second_demo_session_keeps_the_plan_it_found(database_url: str) -> None:
    console(database_url, '/feedback staff "More night parking please"\n', demo=True)
    printed = console(database_url, "/feedback list\n", demo=True)
    assert "Using the demo plan already in this database" in printed
    assert "F-13" in printed and "More night parking please" in printed


def test_govbot_console_demo_reads_a_script_from_a_pipe(database_url: str, tmp_path: Path) -> None:
    """The README's walk-through, through the installed command: `printf … | govbot console`."""
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("SLACK_SIGNING_SECRET", None)
    env.pop("SLACK_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--demo"],
        input="/plan\n/action list overdue\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "@you #workforce-plan> /action list overdue" in result.stdout
    overdue = result.stdout.split("> /action list overdue")[1]
    assert "A-13 Rotational posts between hospital and community teams" in overdue
    assert "overdue" in overdue


class _VisitFormThenList(io.StringIO):
    """Standard input that, when the console first waits for a line, sends feedback through
    the form at the address it printed, as a person with a browser would; then lists it."""

    def __init__(self, out: io.StringIO) -> None:
        super().__init__()
        self.out = out
        self.sent: list[int] = []

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self.sent:
            return ""
        [address] = re.findall(
            r"give feedback at (http://127\.0\.0\.1:\d+/f/\S+)", self.out.getvalue()
        )
        visitor = FormVisitor(address.rsplit("/f/", 1)[0], "/f/" + address.rsplit("/f/", 1)[1])
        self.sent.append(visitor.send(source="carer", text="Respite nights saved my family").status)
        return "/feedback list\n"


def test_the_demo_plan_has_a_feedback_form_served_while_the_console_runs(
    database_url: str,
) -> None:
    out = io.StringIO()
    stdin = _VisitFormThenList(out)
    code = run_console(load_settings(database_url=database_url), stdin=stdin, stdout=out, demo=True)
    assert code == 0 and stdin.sent == [303]
    printed = out.getvalue()
    assert "open it in a browser while the console runs" in printed
    listing = printed.split("> /feedback list", 1)[1]
    assert "Respite nights saved my family" in listing
    # One carer is a group under the anonymity threshold: the source is withheld.
    shown = " ".join(listing.replace("│", " ").split())
    assert (
        "F-13 · Source withheld (a small group) · Respite care · Good (4/5) · web form L-1" in shown
    )


def test_the_demo_plan_makes_a_board_paper_the_console_saves_to_open(
    database_url: str, tmp_path: Path
) -> None:
    printed = console(database_url, "/plan report\n", demo=True)
    assert "Making your paper…" in printed
    [saved] = re.findall(r"\(PDF\) saved as (\S+\.pdf)", printed)
    text = "\n".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Wessex Vale ICS integrated workforce plan" in text
    assert "Risk share:" in text and "(lead partner)" in text
    # The seed made October's paper on 1 November, so November's shows the change since.
    assert "Change since 2026-10" in text and "▲ up" in text
    assert "Workforce measures" in text and "You said:" in text
