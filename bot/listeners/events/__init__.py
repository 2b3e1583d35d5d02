"""Events API listeners, and the middleware that processes each event once."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import BotDeps
from bot.listeners.events import app_home, retries

# Retries first: its middleware must see an event before any listener does.
LISTENERS = (retries, app_home)


def register(app: App, deps: BotDeps) -> None:
    for listener in LISTENERS:
        listener.register(app, deps)
