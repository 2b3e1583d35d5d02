"""Uploading a file (an export, a QR code) to the channel a command came from, or to the
person's DM with govbot, with Slack's refusals turned into words a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.command_router import CommandContext, log_failure


@dataclass(frozen=True)
class UploadProblem:
    """Why Slack didn't take a file, fit to show the person who asked."""

    message: str
    hint: str | None = None


def upload_file(ctx: CommandContext, where: str, **file: Any) -> UploadProblem | None:
    """Upload with files upload v2 to the channel (`where="channel"`) or the DM (`"dm"`);
    `file` is files_upload_v2's arguments (content or file, filename, title, alt_txt)."""
    try:
        channel = ctx.actor.channel_id
        if where == "dm":
            channel = ctx.client.conversations_open(users=ctx.actor.user_id)["channel"]["id"]
        ctx.client.files_upload_v2(channel=channel, **file)
    except SlackApiError as exc:
        log_failure(f"uploading {file.get('filename', 'a file')}", exc)
        if exc.response.get("error") in ("not_in_channel", "channel_not_found"):
            return UploadProblem(
                "govbot couldn't upload the file here because it isn't in this channel.",
                hint="Invite it with `/invite @govbot`, then try again.",
            )
        return UploadProblem("Slack didn't take the file just now. Please try again in a minute.")
    return None
