"""View submission listeners (modals): one module per concept."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import BotDeps
from bot.listeners.views import (
    action_modals,
    challenge_modals,
    decision_modals,
    feedback_modals,
    import_modals,
    issue_modals,
    measure_modals,
    risk_modals,
    win_modals,
)

LISTENERS = (
    feedback_modals,
    risk_modals,
    win_modals,
    action_modals,
    challenge_modals,
    measure_modals,
    decision_modals,
    issue_modals,
    import_modals,
)


def register(app: App, deps: BotDeps) -> None:
    for listener in LISTENERS:
        listener.register(app, deps)
