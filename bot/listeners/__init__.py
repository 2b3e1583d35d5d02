"""Every listener, grouped by what Slack sends: commands, actions, views, events.

Each group's `register(app, deps)` registers the modules named in its `MODULES` tuple;
adding a listener module means adding its name there.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING

from slack_bolt import App

if TYPE_CHECKING:
    from bot.app import BotDeps

GROUPS = ("events", "commands", "actions", "views")


def register(app: App, deps: BotDeps) -> None:
    for group in GROUPS:
        import_module(f"{__name__}.{group}").register(app, deps)


def register_modules(package: str, modules: Iterable[str], app: App, deps: BotDeps) -> None:
    """Call `register(app, deps)` of each named module of `package`."""
    for name in modules:
        import_module(f"{package}.{name}").register(app, deps)
