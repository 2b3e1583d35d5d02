"""The console's people and channels: handles as typed (@sam, #workforce-plan) and Slack ids.

Anyone named is someone: the first time `@sam` or `#people-board` is typed, an id is
made for it, the way a real workspace already has everyone in it. With a SQLite database the
names are kept beside it (`govbot.people.json` for `govbot.db`), so the next session on the
same folder shows @sam again rather than the id the database holds.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Container
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

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


def names_file_for(database_url: str) -> Path | None:
    """Where the console keeps the names it made up: beside a SQLite database file (none for
    an in-memory or server database)."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).with_suffix(".people.json")


def files_folder_for(database_url: str) -> Path:
    """Where the console saves the files govbot uploads: beside a SQLite database file, else
    in the current directory."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return Path("govbot-files").absolute()
    return Path(url.database).absolute().with_suffix(".files")


@dataclass
class ConsoleDirectory:
    """Who and where, both ways: handle -> id for what is typed, id -> handle for what is shown.

    With `kept_in`, the names already there are read at the start and each new one is written.
    """

    user_ids: dict[str, str] = field(default_factory=dict)
    channel_ids: dict[str, str] = field(default_factory=dict)
    real_names: dict[str, str] = field(default_factory=dict)
    # The same, the other way round; the renderer reads these, so it sees newcomers at once.
    handles: dict[str, str] = field(default_factory=dict)
    channel_names: dict[str, str] = field(default_factory=dict)
    kept_in: Path | None = None

    def __post_init__(self) -> None:
        if self.kept_in is None:
            return
        try:
            kept = json.loads(self.kept_in.read_text(encoding="utf-8"))
            users, channels = dict(kept["users"]), dict(kept["channels"])
            real_names = dict(kept.get("real_names", {}))
        except (OSError, ValueError, KeyError, TypeError):
            return  # nothing kept yet, or not readable: names are made afresh
        self.user_ids.update(users)
        self.handles.update({user_id: handle for handle, user_id in users.items()})
        self.channel_ids.update(channels)
        self.channel_names.update({channel_id: name for name, channel_id in channels.items()})
        self.real_names.update(real_names)

    def _keep(self) -> None:
        if self.kept_in is None:
            return
        kept = {"users": self.user_ids, "channels": self.channel_ids, "real_names": self.real_names}
        # A read-only folder: this session still works, the next one makes names afresh.
        with suppress(OSError):
            self.kept_in.write_text(json.dumps(kept, indent=1, sort_keys=True), encoding="utf-8")

    def user(self, handle: str, real_name: str | None = None) -> str:
        """The id of @handle, made the first time it is named."""
        handle = clean_handle(handle, "@")
        changed = handle not in self.user_ids or (
            real_name is not None and self.real_names.get(handle) != real_name
        )
        if handle not in self.user_ids:
            user_id = _fresh_id("U", handle, self.handles)
            self.user_ids[handle], self.handles[user_id] = user_id, handle
        if real_name:
            self.real_names[handle] = real_name
        if changed:
            self._keep()
        return self.user_ids[handle]

    def channel(self, name: str) -> str:
        """The id of #name, made the first time it is named."""
        name = clean_handle(name, "#")
        if name not in self.channel_ids:
            channel_id = _fresh_id("C", name, self.channel_names)
            self.channel_ids[name], self.channel_names[channel_id] = channel_id, name
            self._keep()
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
