"""The Snooze a week button on a nudge: keeps an action or risk out of nudges for 7 days.

It carries `<plan_id>:A-<n>` or `<plan_id>:R-<n>`, like every shared button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import ActionContext, on_action
from governance.inputs import validate
from governance.jobs.snooze import SnoozeRequest, snooze_item

if TYPE_CHECKING:
    from bot.deps import BotDeps


def snooze(ctx: ActionContext) -> Reply:
    target = ctx.target
    snoozed = snooze_item(
        ctx.uow, ctx.actor, validate(SnoozeRequest, plan_id=target.plan_id, ref=target.ref)
    )
    return Reply.render("nudge_snoozed.json.j2", snoozed=snoozed)


def register(app: App, deps: BotDeps) -> None:
    on_action(app, deps, "snooze_week")(snooze)
