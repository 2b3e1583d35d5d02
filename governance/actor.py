"""Who is acting, and where: the only identity the domain knows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A person acting in a channel of a workspace; ids are opaque strings to the domain."""

    team_id: str
    user_id: str
    channel_id: str
