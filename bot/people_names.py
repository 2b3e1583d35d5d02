"""People's names for their Slack ids, so files a board reads (exports, the board paper)
show names. Someone Slack can't tell us about keeps their id."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.command_router import log_failure
from governance.people.pseudonyms import is_pseudonym


def names_for(client: WebClient, user_ids: Iterable[str | None], doing: str) -> dict[str, str]:
    """Each id's real name (else display name), looked up once; pseudonyms are left alone."""
    names: dict[str, str] = {}
    for user_id in sorted({i for i in user_ids if i and not is_pseudonym(i)}):
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            log_failure(f"looking up a name for {doing}", exc)
            continue
        profile = user.get("profile") or {}
        name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
        if name:
            names[user_id] = str(name)
    return names
