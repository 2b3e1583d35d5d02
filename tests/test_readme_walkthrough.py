"""The README's walk-through works as written: its commands, run top to bottom on a new plan
over signed HTTP, each get a success, never a refusal."""

from __future__ import annotations

import re
from pathlib import Path

from bot.command_router import SORRY_TEXT, UNAVAILABLE_TEXT
from bot.console.directory import ConsoleDirectory
from tests.slack_harness import BotServer, assert_valid_blocks

README = Path(__file__).resolve().parent.parent / "README.md"


def walkthrough() -> list[str]:
    """The command lines of the first code block under "Using govbot in Slack", without the
    description written beside each."""
    section = README.read_text(encoding="utf-8").split("## Using govbot in Slack", 1)[1]
    block = section.split("```", 2)[1]
    return [re.split(r"\s{2,}", line.strip())[0] for line in block.splitlines() if line.strip()]


def test_the_readme_walkthrough_runs_top_to_bottom_on_a_new_plan(bot_server: BotServer) -> None:
    lines = walkthrough()
    assert lines[0].startswith("/plan setup") and len(lines) >= 10
    # People and channels are named as in a workspace: @sam becomes <@U…|sam>, as Slack sends.
    directory = ConsoleDirectory()
    for line in lines:
        command, _, text = line.partition(" ")
        reply = bot_server.slash_reply(command, directory.as_slack_sends(text))
        assert_valid_blocks(reply)
        first = reply.get("blocks", [{}])[0].get("text", {}).get("text", "")
        assert not first.startswith(":warning:"), (line, reply["text"])  # how refusals begin
        assert reply["text"] not in (SORRY_TEXT, UNAVAILABLE_TEXT), line
