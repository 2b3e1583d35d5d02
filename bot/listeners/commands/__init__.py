"""Slash command listeners: one module per command, each a CommandRouter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.listeners import register_modules

if TYPE_CHECKING:
    from bot.app import BotDeps

MODULES: tuple[str, ...] = (
    "feedback_command",
    "risk_command",
    "win_command",
    "plan_command",
    "plan_digest",
    "action_command",
)


def register(app: App, deps: BotDeps) -> None:
    register_modules(__name__, MODULES, app, deps)
