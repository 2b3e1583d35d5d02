"""Slash command listeners: one module per command, each a CommandRouter."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import BotDeps
from bot.listeners.commands import (
    action_command,
    decision_command,
    feedback_command,
    issue_command,
    measure_command,
    plan_command,
    plan_digest,
    plan_feedback_link,
    plan_import,
    plan_report,
    risk_command,
    win_command,
)

# Bolt tries each listener's matcher in the order registered until one matches, and each
# try builds the matcher's arguments: the commands typed most come first.
LISTENERS = (
    action_command,
    plan_command,
    plan_digest,
    plan_feedback_link,
    plan_report,
    plan_import,
    risk_command,
    feedback_command,
    win_command,
    measure_command,
    decision_command,
    issue_command,
)


def register(app: App, deps: BotDeps) -> None:
    for listener in LISTENERS:
        listener.register(app, deps)
