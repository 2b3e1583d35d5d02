"""docs/reference.md says what govbot does: each command's forms as its `help` shows them
(asked over signed HTTP), each CLI verb as its `--help` prints it, every setting, every
endpoint. When one changes without the other, these fail."""

from __future__ import annotations

import argparse
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from bot.cli import build_parser, main
from bot.settings import _ENV_NAMES
from tests.slack_harness import BotServer, assert_valid_blocks

ROOT = Path(__file__).parents[1]
REFERENCE = (ROOT / "docs" / "reference.md").read_text()
COMMANDS = [
    entry["command"]
    for entry in yaml.safe_load((ROOT / "bot" / "manifest.yml").read_text())["features"][
        "slash_commands"
    ]
]


def section(heading: str) -> str:
    """The text under a markdown heading, up to the next heading of the same or higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", REFERENCE, re.M)
    assert match, f"docs/reference.md has no heading {heading!r}"
    level = len(match[1])
    body = REFERENCE[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", body, re.M)
    return body[: end.start()] if end else body


def listed_forms(text: str, prefix: str) -> list[tuple[str, str]]:
    """`- \\`form\\` — description` lines whose form starts with `prefix`."""
    return [
        (m[1], m[2])
        for m in re.finditer(rf"^- `({re.escape(prefix)}(?: [^`]*)?)` — (.*)$", text, re.M)
    ]


def help_forms(reply: dict[str, object]) -> tuple[str, list[tuple[str, str]]]:
    """The summary and (form, description) pairs of a `help` reply, unescaped."""
    blocks = reply["blocks"]
    assert isinstance(blocks, list)
    heading, forms = (html.unescape(block["text"]["text"]) for block in blocks[:2])
    summary = heading.split("\n", 1)[1] if "\n" in heading else ""
    pairs = []
    for line in forms.splitlines():
        match = re.fullmatch(r"`([^`]*)`(?:  (.*))?", line)
        assert match, line
        pairs.append((match[1], match[2] or ""))
    return summary, pairs


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_is_documented_as_its_help_shows_it(
    bot_server: BotServer, command: str
) -> None:
    reply = bot_server.slash_reply(command, "help")
    assert_valid_blocks(reply)
    summary, forms = help_forms(reply)
    documented = section(f"`{command}`")
    assert listed_forms(documented, command) == forms
    assert documented.strip().splitlines()[0] == summary


def test_the_reference_documents_no_command_govbot_lacks() -> None:
    headings = re.findall(r"^### `(/[a-z-]+)`$", REFERENCE, re.M)
    assert headings == COMMANDS


def leaf_parsers(
    parser: argparse.ArgumentParser, description: str | None = None
) -> Iterator[tuple[list[str], argparse.ArgumentParser, str | None]]:
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield parser.prog.split()[1:], parser, description
        return
    for action in subcommands:
        described = {choice.dest: choice.help for choice in action._choices_actions}
        for name, child in action.choices.items():
            yield from leaf_parsers(child, described[name])


def test_each_cli_verb_is_documented_as_its_help_prints_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    documented = dict(listed_forms(section("Command line"), "govbot"))
    printed: dict[str, str] = {}
    for words, _parser, description in leaf_parsers(build_parser()):
        with pytest.raises(SystemExit) as exited:
            main([*words, "--help"])
        assert exited.value.code == 0
        usage = capsys.readouterr().out.split("\n\n", 1)[0]
        form = " ".join(usage.removeprefix("usage: ").split()).replace(" [-h]", "")
        printed[form] = description or ""
    assert documented == printed


def test_version_is_documented_and_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert re.fullmatch(r"govbot \S+\n", capsys.readouterr().out)
    assert "`govbot --version`" in section("Command line")


def test_every_setting_is_documented_and_nothing_else() -> None:
    rows = re.findall(r"^\| `([A-Z_]+)` \|", section("Environment variables"), re.M)
    assert sorted(rows) == sorted(_ENV_NAMES.values())


@pytest.fixture
def metered(make_bot_server: Callable[..., BotServer]) -> BotServer:
    return make_bot_server(metrics=True)


def test_every_documented_endpoint_answers_and_others_do_not(metered: BotServer) -> None:
    rows = re.findall(r"^\| `(GET|POST) (/[a-z/_]+)` \|", section("HTTP endpoints"), re.M)
    assert rows == [
        ("POST", "/slack/events"),
        ("GET", "/healthz"),
        ("GET", "/metrics"),
        ("GET", "/slack/install"),
        ("GET", "/slack/oauth_redirect"),
    ]
    assert metered.post(b"", "application/json", signed=False).status == 401
    assert metered.get("/healthz").status == 200
    assert metered.get("/metrics").status == 200
    # Served in OAuth mode only (tests/test_oauth.py installs govbot through them).
    assert metered.get("/slack/install").status == 404
    assert metered.get("/slack/oauth_redirect").status == 404
