"""Block action listeners (buttons, menus): one module per concept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.listeners import register_modules

if TYPE_CHECKING:
    from bot.app import BotDeps

MODULES: tuple[str, ...] = ("risk_buttons", "action_buttons", "challenge_buttons", "snooze_buttons")


def register(app: App, deps: BotDeps) -> None:
    register_modules(__name__, MODULES, app, deps)
