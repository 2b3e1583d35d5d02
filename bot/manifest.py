"""The Slack app manifest: bot/manifest.yml, with request URLs and command prefix applied."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml

EVENTS_PATH = "/slack/events"
REDIRECT_PATH = "/slack/oauth_redirect"


def load_manifest() -> dict[str, Any]:
    """The manifest as shipped in the package."""
    text = files("bot").joinpath("manifest.yml").read_text(encoding="utf-8")
    manifest = yaml.safe_load(text)
    if not isinstance(manifest, dict):
        raise ValueError("bot/manifest.yml is not a mapping")
    return manifest


def bot_scopes() -> list[str]:
    """The bot scopes govbot asks for, in the manifest and in its OAuth flow alike."""
    return list(load_manifest()["oauth_config"]["scopes"]["bot"])


def build_manifest(
    *, url: str | None = None, command_prefix: str = "", socket_mode: bool = False
) -> dict[str, Any]:
    """The manifest for one deployment.

    `url` is the public base URL (https://host); every request URL becomes
    <url>/slack/events. `command_prefix` renames commands (`wf-` gives `/wf-action`).
    With `socket_mode`, Slack delivers over Socket Mode and request URLs are left out.
    """
    manifest = load_manifest()
    request_url = url.rstrip("/") + EVENTS_PATH if url else None
    redirect_urls = [url.rstrip("/") + REDIRECT_PATH] if url else None
    for command in manifest["features"]["slash_commands"]:
        command["command"] = "/" + command_prefix + command["command"].lstrip("/")
        _set_url(command, "url", request_url, socket_mode)
    settings = manifest["settings"]
    _set_url(settings["event_subscriptions"], "request_url", request_url, socket_mode)
    _set_url(settings["interactivity"], "request_url", request_url, socket_mode)
    settings["socket_mode_enabled"] = socket_mode
    # Where Slack sends an installer back to in OAuth mode (many workspaces).
    _set_url(manifest["oauth_config"], "redirect_urls", redirect_urls, socket_mode)
    return manifest


def _set_url(section: dict[str, Any], key: str, url: object, socket_mode: bool) -> None:
    if socket_mode:
        section.pop(key, None)
    elif url:
        section[key] = url


def manifest_yaml(manifest: dict[str, Any]) -> str:
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
