"""Plain data the plan use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True)
class PlanView:
    id: int
    name: str
    timezone: str
    board_channel_id: str | None
    channel_ids: tuple[str, ...]
    digest_weekday: int
    digest_time: time
    nudge_time: time
    quiet_weekends: bool
    anonymity_threshold: int
    your_role: str
