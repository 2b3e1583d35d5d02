"""Who is acting, and where: the only identity the domain knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A person's id as the workspace gives it (`U0123ABC`; `W…` in an Enterprise Grid): the one
# pattern every input, refusal and renderer checks a user id against.
USER_ID = r"^[UW][A-Z0-9]{1,31}$"
_USER_ID = re.compile(USER_ID)


def is_user_id(text: object) -> bool:
    return isinstance(text, str) and _USER_ID.match(text) is not None


@dataclass(frozen=True)
class Actor:
    """A person acting in a channel of a workspace; ids are opaque strings to the domain."""

    team_id: str
    user_id: str
    channel_id: str
