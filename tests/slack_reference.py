"""Slack's own specifications, to test govbot against: the app manifest's JSON Schema and each
Web API method's documented arguments (`shared/reference/` beside the checkout, read once).

`problems(calls)` names every way the calls the stand-in recorded stray from the reference:
a method Slack does not document, an argument the method does not take, a required one
missing, or blocks sent without the `text` fallback that notifications and screen readers read.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.console.slack_standin import Call

ROOT = Path(__file__).resolve().parent.parent

# slack_sdk adds `team_id` to every call of a client made for one workspace (the reference's
# README says so); it is the client's, not govbot's, and Slack accepts it everywhere.
ADDED_BY_THE_CLIENT = frozenset({"team_id"})
# Recorded by the stand-in but not Web API methods: the upload step of files_upload_v2 (bytes
# to the URL files.getUploadURLExternal gave), a file fetched from its private URL, and
# messages posted to response URLs.
UPLOAD, DOWNLOAD, RESPONSE = "upload", "download", "response"


@functools.cache
def reference_dir() -> Path:
    """`shared/reference`, in the nearest folder above the checkout that has one."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "reference"
        if (candidate / "slack-manifest.schema.json").is_file():
            return candidate
    raise FileNotFoundError(f"no shared/reference/ with Slack's specifications above {ROOT}")


@functools.cache
def manifest_schema() -> dict[str, Any]:
    schema = json.loads((reference_dir() / "slack-manifest.schema.json").read_text("utf-8"))
    return dict(schema)


@functools.cache
def api_methods() -> dict[str, dict[str, Any]]:
    """Each documented method's `args` schema (`properties`, `required`), by method name."""
    methods = {}
    for path in sorted((reference_dir() / "slack-api-methods").glob("*.json")):
        methods[path.stem] = json.loads(path.read_text("utf-8")).get("args") or {}
    return methods


def problems(calls: Iterable[Call]) -> list[str]:
    """Every way `calls` stray from Slack's reference, each naming the method and argument."""
    found: list[str] = []
    for call in calls:
        for problem in _problems_of(call):
            if problem not in found:
                found.append(problem)
    return found


def _problems_of(call: Call) -> list[str]:
    if call.method in (UPLOAD, DOWNLOAD):
        return []
    if call.method == RESPONSE:
        return _missing_fallback("a response URL message", call.params)
    args = api_methods().get(call.method)
    if args is None:
        return [f"{call.method}: not a method in Slack's reference"]
    documented = set(args.get("properties", {}))
    found = [
        f"{call.method}: argument {name!r} is not documented"
        for name in sorted(call.params)
        if name not in documented and name not in ADDED_BY_THE_CLIENT
    ]
    for name in args.get("required", []):
        given = call.token if name == "token" else call.params.get(name)
        if given in (None, ""):
            found.append(f"{call.method}: required argument {name!r} is missing")
    if "text" in documented:
        found += _missing_fallback(call.method, call.params)
    return found


def _missing_fallback(what: str, params: dict[str, Any]) -> list[str]:
    blocks = params.get("blocks")
    text = params.get("text")
    if blocks and not (isinstance(text, str) and text.strip()):
        return [f"{what}: sends 'blocks' without a 'text' fallback"]
    return []
