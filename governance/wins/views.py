"""Plain data the win use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.people_functions.catalogue import FunctionEntry


@dataclass(frozen=True)
class WinView:
    """A win `W-<n>`: `people` are the user ids credited, `partners` the partners' names."""

    plan_id: int
    ref: str
    text: str
    function_key: str | None
    function_name: str | None
    people: tuple[str, ...]
    partners: tuple[str, ...]
    created_by: str
    created_at: datetime


@dataclass(frozen=True)
class WinListView:
    """The plan's recent wins, most recent first; `total` counts beyond what is listed."""

    plan_id: int
    plan_name: str
    items: tuple[WinView, ...]
    total: int


@dataclass(frozen=True)
class WinFormView:
    """What the win form offers: the plan it goes to, its partners and the people functions."""

    plan_id: int
    plan_name: str
    partners: tuple[str, ...]
    functions: tuple[FunctionEntry, ...]
