"""Block action listeners (buttons, menus): one module per concept."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import BotDeps
from bot.listeners.actions import (
    action_buttons,
    challenge_buttons,
    import_buttons,
    risk_buttons,
    snooze_buttons,
)

LISTENERS = (risk_buttons, action_buttons, challenge_buttons, snooze_buttons, import_buttons)


def register(app: App, deps: BotDeps) -> None:
    for listener in LISTENERS:
        listener.register(app, deps)
