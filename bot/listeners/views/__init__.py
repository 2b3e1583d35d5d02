"""View submission listeners (modals): one module per concept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.listeners import register_modules

if TYPE_CHECKING:
    from bot.app import BotDeps

MODULES: tuple[str, ...] = (
    "feedback_modals",
    "risk_modals",
    "win_modals",
    "action_modals",
    "challenge_modals",
)


def register(app: App, deps: BotDeps) -> None:
    register_modules(__name__, MODULES, app, deps)
