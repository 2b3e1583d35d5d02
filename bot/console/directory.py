"""The console's people and channels: handles as typed (@sam, #workforce-plan) and Slack ids.

Anyone named is someone: the first time `@sam` or `#people-board` is typed, an id is
made for it, the way a real workspace already has everyone in it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Container
from dataclasses import dataclass, field

from bot.console.terminal_render import Directory

TEAM_ID = "T0CONSOLE"
_HANDLE = r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?"
# A name needs a letter, so `#3` (a way to write A-3) stays as typed.
_TYPED_USER = re.compile(rf"(?<![\w<@|;])@(?=[\w.-]*[a-z])({_HANDLE})", re.IGNORECASE)
_TYPED_CHANNEL = re.compile(rf"(?<![\w<#|&;])#(?=[\w.-]*[a-z])({_HANDLE})", re.IGNORECASE)
_SPECIAL = ("here", "channel", "everyone")


def clean_handle(text: str, sigil: str) -> str:
    """`@Sam` -> `sam`; raises ValueError for something that is not a handle."""
    handle = text.strip().removeprefix(sigil).lower()
    if not re.fullmatch(_HANDLE, handle) or not re.search("[a-z]", handle):
        raise ValueError(f"“{text}” is not a {'user' if sigil == '@' else 'channel'} name")
    return handle


@dataclass
class ConsoleDirectory:
    """Who and where, both ways: handle -> id for what is typed, id -> handle for what is shown."""

    user_ids: dict[str, str] = field(default_factory=dict)
    channel_ids: dict[str, str] = field(default_factory=dict)
    real_names: dict[str, str] = field(default_factory=dict)
    # The same, the other way round; the renderer reads these, so it sees newcomers at once.
    handles: dict[str, str] = field(default_factory=dict)
    channel_names: dict[str, str] = field(default_factory=dict)

    def user(self, handle: str, real_name: str | None = None) -> str:
        """The id of @handle, made the first time it is named."""
        handle = clean_handle(handle, "@")
        if handle not in self.user_ids:
            user_id = _fresh_id("U", handle, self.handles)
            self.user_ids[handle], self.handles[user_id] = user_id, handle
        if real_name:
            self.real_names[handle] = real_name
        return self.user_ids[handle]

    def channel(self, name: str) -> str:
        """The id of #name, made the first time it is named."""
        name = clean_handle(name, "#")
        if name not in self.channel_ids:
            channel_id = _fresh_id("C", name, self.channel_names)
            self.channel_ids[name], self.channel_names[channel_id] = channel_id, name
        return self.channel_ids[name]

    def handle_of(self, user_id: str) -> str:
        return self.handles.get(user_id, user_id)

    def channel_name_of(self, channel_id: str) -> str:
        return self.channel_names.get(channel_id, channel_id)

    def for_rendering(self) -> Directory:
        return Directory(users=self.handles, channels=self.channel_names)

    def as_slack_sends(self, typed: str) -> str:
        """Typed text as Slack sends it: `&<>` escaped, @people and #channels as mentions."""
        text = html.escape(typed, quote=False)

        def user(match: re.Match[str]) -> str:
            handle = match[1].lower()
            if handle in _SPECIAL:
                return f"<!{handle}>"
            return f"<@{self.user(handle)}|{handle}>"

        def channel(match: re.Match[str]) -> str:
            name = match[1].lower()
            return f"<#{self.channel(name)}|{name}>"

        return _TYPED_CHANNEL.sub(channel, _TYPED_USER.sub(user, text))


def _fresh_id(prefix: str, handle: str, taken: Container[str]) -> str:
    base = prefix + (re.sub(r"[^A-Z0-9]", "", handle.upper()) or "X")
    base = base[:20]
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}{number}", number + 1
    return candidate
