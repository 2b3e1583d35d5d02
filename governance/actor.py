"""Who is acting, and where: the only identity the domain knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A person's id as the workspace gives it (`U0123ABC`; `W…` in an Enterprise Grid): the one
# pattern every input, refusal and renderer checks a user id against.
USER_ID = r"^[UW][A-Z0-9]{1,31}$"
# Where someone acts: a channel (`C…`), a private channel (`G…`) or a direct message (`D…`).
CHANNEL_ID = r"^[CGD][A-Z0-9]{1,31}$"
# A workspace (`T…`), or an Enterprise Grid organisation (`E…`).
TEAM_ID = r"^[TE][A-Z0-9]{1,31}$"
_USER_ID = re.compile(USER_ID)
_CHANNEL_ID = re.compile(CHANNEL_ID)
_TEAM_ID = re.compile(TEAM_ID)


def is_user_id(text: object) -> bool:
    return isinstance(text, str) and _USER_ID.fullmatch(text) is not None


def is_channel_id(text: object) -> bool:
    return isinstance(text, str) and _CHANNEL_ID.fullmatch(text) is not None


def is_team_id(text: object) -> bool:
    return isinstance(text, str) and _TEAM_ID.fullmatch(text) is not None


@dataclass(frozen=True)
class Actor:
    """A person acting in a channel of a workspace; ids are opaque strings to the domain."""

    team_id: str
    user_id: str
    channel_id: str
