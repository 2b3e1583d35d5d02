"""Who an owner written in a spreadsheet is: a Slack mention or id, an e-mail address
(users.lookupByEmail, with the users:read.email scope), or the name of someone the plan knows."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.command_router import log_failure
from governance.actor import is_user_id

_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|[^>]*)?>")
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
_ANGLED_EMAIL = re.compile(r"<?(?:mailto:)?([^@\s<>|]+@[^@\s<>|]+)(?:\|[^>]*)?>?")


def _folded(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


class SlackOwners:
    """`find(text)` → a user id or None; each e-mail address asked of Slack once, and the names
    of `people` (the plan's) fetched only if some owner is written as a name. Without a client
    (the command line with no bot token) only mentions and ids match."""

    def __init__(self, client: WebClient | None, people: Callable[[], Sequence[str]]) -> None:
        self.client = client
        self._people = people
        self._names: dict[str, str | None] | None = None

    def find(self, text: str) -> str | None:
        typed = text.strip()
        mention = _MENTION.fullmatch(typed)
        if mention:
            return mention[1]
        if is_user_id(typed):
            return typed
        angled = _ANGLED_EMAIL.fullmatch(typed)
        if angled and _EMAIL.fullmatch(angled[1]):
            return self._by_email(angled[1])
        return self._by_name(typed)

    def _by_email(self, email: str) -> str | None:
        if self.client is None:
            return None
        try:
            user = self.client.users_lookupByEmail(email=email)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") != "users_not_found":
                log_failure("looking up an owner by e-mail", exc)
            return None
        return str(user["id"]) if not user.get("deleted") else None

    def _by_name(self, name: str) -> str | None:
        if self.client is None:
            return None
        if self._names is None:
            self._names = self._known_names()
        return self._names.get(_folded(name))

    def _known_names(self) -> dict[str, str | None]:
        """Each name (real and display) of the plan's people; a name two people share is
        nobody's, so an owner is never guessed."""
        names: dict[str, str | None] = {}
        assert self.client is not None
        for user_id in self._people():
            try:
                user = self.client.users_info(user=user_id)["user"]
            except SlackApiError as exc:
                log_failure("looking up a name for an import", exc)
                continue
            profile = user.get("profile") or {}
            for name in {
                user.get("real_name"),
                profile.get("real_name"),
                profile.get("display_name"),
            }:
                if not name:
                    continue
                key = _folded(str(name))
                names[key] = user_id if names.get(key, user_id) == user_id else None
        return names
