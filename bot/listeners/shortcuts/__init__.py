"""Shortcut listeners: message shortcuts (on a message) and global ones (from anywhere)."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import BotDeps
from bot.listeners.shortcuts import action_shortcut, feedback_shortcut

LISTENERS = (action_shortcut, feedback_shortcut)


def register(app: App, deps: BotDeps) -> None:
    for listener in LISTENERS:
        listener.register(app, deps)
