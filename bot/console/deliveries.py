"""What govbot sent, read from the calls the stand-in recorded: who receives each message,
form or Home view, and where."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.console.slack_standin import Call

Kind = Literal[
    "reply",  # posted to a response URL: ephemeral, or in the channel
    "channel",  # chat.postMessage to a channel
    "dm",  # chat.postMessage to a person (nudges, notifications)
    "ephemeral",  # chat.postEphemeral
    "update",  # chat.update of an earlier message
    "modal",  # views.open / views.push / views.update
    "home",  # views.publish
    "file",  # a file uploaded to a channel
]


@dataclass(frozen=True)
class Delivery:
    kind: Kind
    payload: dict[str, Any]
    channel_id: str | None = None
    user_id: str | None = None  # whose eyes: the DM's or ephemeral's person, the Home's owner
    in_channel: bool = False  # a reply everyone in the channel sees
    replaces: bool = False  # the reply replaces the message a button was on
    deletes: bool = False
    file_body: bytes = field(default=b"", compare=False)


@dataclass(frozen=True)
class ReplyTarget:
    """Where a response URL minted for one request posts: that person, in that channel."""

    user_id: str
    channel_id: str


def read_deliveries(calls: list[Call], targets: Mapping[str, ReplyTarget]) -> list[Delivery]:
    """The deliveries among `calls`, in order; lookups and uploads' plumbing are left out."""
    uploads = {c.name: c.body for c in calls if c.method == "upload" and c.name}
    filenames = _filenames(calls)
    found: list[Delivery] = []
    for call in calls:
        p = call.params
        if call.method == "response":
            target = targets.get(call.name or "")
            found.append(
                Delivery(
                    "reply",
                    _message(p),
                    channel_id=target.channel_id if target else None,
                    user_id=target.user_id if target else None,
                    in_channel=p.get("response_type") == "in_channel",
                    replaces=_truthy(p.get("replace_original")),
                    deletes=_truthy(p.get("delete_original")),
                )
            )
        elif call.method == "chat.postMessage":
            channel = str(p.get("channel", ""))
            if channel[:1] in ("U", "W", "D"):
                found.append(Delivery("dm", _message(p), user_id="U" + channel[1:]))
            else:
                found.append(Delivery("channel", _message(p), channel_id=channel))
        elif call.method == "chat.postEphemeral":
            found.append(
                Delivery(
                    "ephemeral",
                    _message(p),
                    channel_id=str(p.get("channel")),
                    user_id=str(p.get("user")),
                )
            )
        elif call.method == "chat.update":
            found.append(Delivery("update", _message(p), channel_id=str(p.get("channel"))))
        elif call.method in ("views.open", "views.push", "views.update"):
            found.append(Delivery("modal", dict(_json(p.get("view")) or {})))
        elif call.method == "views.publish":
            view = dict(_json(p.get("view")) or {})
            found.append(Delivery("home", view, user_id=str(p.get("user_id"))))
        elif call.method == "files.completeUploadExternal":
            files = _json(p.get("files")) or []
            for entry in files:
                body = uploads.get(str(entry.get("id")), b"")
                found.append(
                    Delivery(
                        "file",
                        {
                            "title": entry.get("title", ""),
                            "comment": p.get("initial_comment"),
                            "filename": filenames.get(str(entry.get("id")), ""),
                        },
                        channel_id=str(p.get("channel_id") or p.get("channels") or ""),
                        file_body=body,
                    )
                )
    return found


def _filenames(calls: list[Call]) -> dict[str, str]:
    """Each uploaded file's name by its id: files upload v2 asks for an upload URL with the
    name, then sends the bytes to it (named by the file's id) before the next is asked for."""
    names: dict[str, str] = {}
    asked = ""
    for call in calls:
        if call.method == "files.getUploadURLExternal":
            asked = str(call.params.get("filename", ""))
        elif call.method == "upload" and call.name:
            names[call.name] = asked
    return names


def _message(params: Mapping[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"text": str(params.get("text") or "")}
    blocks = _json(params.get("blocks"))
    if blocks:
        message["blocks"] = blocks
    return message


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
