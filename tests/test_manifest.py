"""The Slack app manifest: what a workspace admin pastes to create govbot."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.cli import main
from bot.manifest import build_manifest, load_manifest
from tests.slack_reference import manifest_schema

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["/plan", "/action", "/risk", "/feedback", "/win", "/measure", "/decision", "/issue"]


def request_urls(manifest: dict) -> list[str]:
    settings = manifest["settings"]
    return [
        *(c.get("url") for c in manifest["features"]["slash_commands"]),
        settings["event_subscriptions"].get("request_url"),
        settings["interactivity"].get("request_url"),
    ]


def test_the_top_level_manifest_is_the_packaged_one() -> None:
    assert (ROOT / "manifest.yml").read_text() == (ROOT / "bot" / "manifest.yml").read_text()


def test_every_command_has_a_description_and_a_usage_hint() -> None:
    commands = load_manifest()["features"]["slash_commands"]
    assert [c["command"] for c in commands] == COMMANDS
    for command in commands:
        assert 0 < len(command["description"]) <= 100
        assert "help" in command["usage_hint"]
        assert command["should_escape"] is True, "mentions must arrive as <@U…> escapes"


def test_the_bot_asks_only_for_the_scopes_it_uses() -> None:
    scopes = load_manifest()["oauth_config"]["scopes"]["bot"]
    assert sorted(scopes) == sorted(
        [
            "commands",
            "chat:write",
            "im:write",
            "files:write",
            "files:read",
            "users:read",
            "users:read.email",
        ]
    )


def test_interactivity_events_and_app_home_are_on_and_socket_mode_off() -> None:
    manifest = load_manifest()
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_a_url_points_every_request_at_slack_events() -> None:
    manifest = build_manifest(url="https://govbot.devon-ics.nhs.uk/")
    assert request_urls(manifest) == ["https://govbot.devon-ics.nhs.uk/slack/events"] * (
        len(COMMANDS) + 2
    )


def test_a_url_gives_the_oauth_redirect_url_and_socket_mode_none() -> None:
    manifest = build_manifest(url="https://govbot.devon-ics.nhs.uk/")
    assert manifest["oauth_config"]["redirect_urls"] == [
        "https://govbot.devon-ics.nhs.uk/slack/oauth_redirect"
    ]
    assert "redirect_urls" not in build_manifest(socket_mode=True)["oauth_config"]


def test_the_command_prefix_renames_every_command() -> None:
    commands = build_manifest(command_prefix="wf-")["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/wf-{c[1:]}" for c in COMMANDS]


def test_socket_mode_drops_the_request_urls() -> None:
    manifest = build_manifest(url="https://ignored.example", socket_mode=True)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert request_urls(manifest) == [None] * (len(COMMANDS) + 2)


def test_govbot_manifest_prints_yaml_with_the_url_and_prefix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVBOT_COMMAND_PREFIX", "wf-")
    assert main(["manifest", "--url", "https://bot.example.org"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["features"]["slash_commands"][1]["command"] == "/wf-action"
    assert set(request_urls(printed)) == {"https://bot.example.org/slack/events"}


def test_govbot_manifest_refuses_a_url_that_is_not_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["manifest", "--url", "govbot.example.org"])
    assert exit_info.value.code == 2
    assert "https://" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "prefix"),
    [
        (["--url", "https://govbot.devon-ics.nhs.uk"], ""),
        (["--url", "https://govbot.devon-ics.nhs.uk"], "wf-"),
        (["--socket"], ""),
        (["--socket"], "wf-"),
    ],
    ids=["http", "http-prefixed", "socket", "socket-prefixed"],
)
def test_govbot_manifest_is_valid_against_slacks_manifest_schema(
    arguments: list[str],
    prefix: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVBOT_COMMAND_PREFIX", prefix)
    assert main(["manifest", *arguments]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in jsonschema.Draft7Validator(manifest_schema()).iter_errors(printed)
    ]
    assert errors == [], "Slack's manifest schema refuses govbot's manifest:\n" + "\n".join(errors)
    commands = [c["command"] for c in printed["features"]["slash_commands"]]
    assert commands == [f"/{prefix}{c[1:]}" for c in COMMANDS]
    assert printed["settings"]["socket_mode_enabled"] is (arguments == ["--socket"])
