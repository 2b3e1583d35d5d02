"""With GOVBOT_COMMAND_PREFIX, every command govbot names is one that exists in the workspace.

A workspace that runs govbot beside another bot may register its commands as `/wf-plan`,
`/wf-action`…; a reply that tells people to type `/action add` sends them to a command that
is not there. The domain names commands by concept; the adapter spells them.
"""

from __future__ import annotations

import ast
import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.console import run_console
from bot.jobs import run_once
from bot.settings import load_settings
from tests.conftest import Clock
from tests.jobs_world import sent_messages
from tests.slack_harness import ALICE, BotServer, assert_valid_blocks

ROOT = Path(__file__).resolve().parent.parent
BOB = "U0BOB"
LONDON = ZoneInfo("Europe/London")
# A command without the workspace's prefix: `/plan`, not `/wf-plan` (nor a path like a/plan).
BARE_COMMAND = re.compile(r"(?<![\w/-])/(plan|action|risk|feedback|win|measure|decision|issue)\b")


def bare_commands(message: dict[str, Any]) -> list[str]:
    return [m.group(0) for m in BARE_COMMAND.finditer(json.dumps(message, ensure_ascii=False))]


def test_every_reply_refusal_nudge_and_digest_names_the_prefixed_commands(
    make_bot_server: Callable[..., BotServer], clock: Clock
) -> None:
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=LONDON))
    bot = make_bot_server(command_prefix="wf-")
    replies: list[dict[str, Any]] = []

    def say(command: str, text: str = "", user_id: str = ALICE) -> dict[str, Any]:
        reply = bot.slash_reply(command, text, user_id=user_id)
        assert_valid_blocks(reply)
        replies.append(reply)
        return reply

    for command in ("/plan", "/action", "/risk", "/feedback", "/win"):
        say(command, "help")
    say("/plan")  # no plan here yet: how to set one up
    say("/plan", 'setup "Wessex Vale ICS workforce plan"')
    say("/action", "list")
    say("/risk", "list")
    say("/win", "list")
    say("/feedback", "list")
    say("/feedback", "staff")  # the feedback itself is missing
    say("/action", "show A-99")
    say("/risk", "show R-9")
    say("/action", 'update A-99 "note"')
    say("/plan", "role @U0BOB chair", user_id=BOB)
    say("/plan", "digest post")  # no board channel yet
    say("/plan", 'partners add "Devon County Council" sector:council')
    say("/action", 'add "Recruit 40 nurses" partner:"Cornwall Council"')
    say("/action", f'add "Recruit 40 nurses" owner:<@{BOB}> due:2026-11-20')
    say("/action", "update A-1")  # nothing to update
    say("/action", 'add "Staff the wards"')
    say("/action", "depends A-2 on:A-9")  # no such action
    say("/action", "depends A-2 on:A-1")  # A-1 is overdue by the nudge and the digest
    say("/risk", 'add "Agency spend" likelihood:4 impact:5')
    say("/plan", "board <#C0BOARD|people-board>")
    for view in ("", "functions", "partners", "settings"):
        say("/plan", view)
    say("/action", "list")
    say("/plan", "digest")
    say("/plan", "export everything")

    settings = bot.settings
    run_once(settings, "nudges", at=datetime(2026, 11, 25, 9, 30))
    run_once(settings, "digest", at=datetime(2026, 11, 30, 9, 0))
    posted = sent_messages(bot.standin)
    assert {m["channel"] for m in posted} >= {BOB, "C0BOARD"}  # the nudge and the digest

    everything = [*replies, *posted]
    assert {json.dumps(m)[:80]: bare_commands(m) for m in everything if bare_commands(m)} == {}
    shown = json.dumps(everything)
    for named in ("/wf-plan setup", "/wf-action list", "/wf-plan board", "/wf-plan role"):
        assert named in shown


def test_the_console_spells_commands_with_the_prefix(database_url: str) -> None:
    out = io.StringIO()
    settings = load_settings(database_url=database_url, command_prefix="wf-")
    script = (
        '/plan help\n/plan\n/plan setup "Wessex Vale ICS workforce plan"\n/action show A-9\n'
        ":help\nplan\n/nosuch\n"
    )
    now = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    run_console(settings, stdin=io.StringIO(script), stdout=out, clock=lambda: now)
    printed = out.getvalue()
    # What the person typed is echoed after the prompt as typed; govbot's words use the prefix.
    typed = script.splitlines()
    answers = "\n".join(
        line for line in printed.splitlines() if not any(line.endswith(t) for t in typed)
    )
    assert "/wf-plan setup" in answers and "/wf-action" in answers
    assert "e.g. /wf-plan help, /wf-action list overdue" in answers  # the console's own :help
    assert BARE_COMMAND.findall(answers) == []


def _strings_outside_docstrings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_refusal_the_domain_can_raise_spells_a_command() -> None:
    """The domain names commands by concept (governance.hints), so every refusal and hint
    it can make leaves the spelling, prefix included, to the adapter."""
    spelled = {
        str(path.relative_to(ROOT)): found
        for path in (ROOT / "governance").rglob("*.py")
        if (found := [s for s in _strings_outside_docstrings(path) if BARE_COMMAND.search(s)])
    }
    assert spelled == {}


def test_no_template_spells_a_command_without_the_prefix() -> None:
    spelled = {}
    for path in (ROOT / "message_templates").glob("*.j2"):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        if found := BARE_COMMAND.findall(source):
            spelled[path.name] = found
    assert spelled == {}


def test_no_status_or_grade_emoji_code_is_left_in_the_domain() -> None:
    codes = re.compile(r":[a-z0-9]+(?:_[a-z0-9]+)+:")  # :large_green_circle:, :red_circle:
    found = {
        str(path.relative_to(ROOT)): hits
        for path in (ROOT / "governance").rglob("*.py")
        if (hits := [s for s in _strings_outside_docstrings(path) if codes.search(s)])
    }
    assert found == {}
