"""Every listener, grouped by what Slack sends: commands, actions, views, events, shortcuts.

Each group's `register(app, deps)` registers the modules it imports; adding a listener
module means importing it there and adding it to the group's `LISTENERS`.
"""

from __future__ import annotations

from slack_bolt import App

from bot.deps import BotDeps
from bot.listeners import actions, commands, events, shortcuts, views

# Events first: its middleware (each event processed once) must run before any listener.
GROUPS = (events, commands, actions, views, shortcuts)


def register(app: App, deps: BotDeps) -> None:
    for group in GROUPS:
        group.register(app, deps)
