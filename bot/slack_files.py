"""Fetching a file someone shared in Slack: files.info for its private URL, then the bytes from
that URL with the bot token, never more than an import reads."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.command_router import log_failure
from governance.errors import Invalid
from governance.imports.table import MAX_BYTES, too_big

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SharedFile:
    name: str
    content: bytes


def fetch_file(client: WebClient, file_id: str) -> SharedFile:
    """The file's name and bytes; refused (Invalid) in words when Slack won't give them."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as exc:
        log_failure("files.info for an import", exc)
        raise Invalid(
            "Slack wouldn't let govbot read that file. Upload it again in the import form.",
            hint="If it keeps happening, ask an admin to check govbot has the files:read scope.",
        ) from None
    size = int(info.get("size") or 0)
    if size > MAX_BYTES:
        raise too_big(size)
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not url.startswith(("https://", "http://")):
        raise Invalid("Slack gave no address to read that file from. Please upload it again.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            content = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError) as exc:
        log_failure("fetching a file for an import", exc)
        raise Invalid(
            "govbot couldn't fetch that file from Slack just now. Please try again."
        ) from None
    if len(content) > MAX_BYTES:
        raise too_big(len(content))
    return SharedFile(name=str(info.get("name") or info.get("title") or "file"), content=content)
