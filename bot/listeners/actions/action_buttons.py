"""The buttons on action cards, lists, nudges and App Home: Update, Done and Challenge.

Each carries `<plan_id>:A-<n>`, so it works wherever the message is, DMs included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.action_replies import action_changed_reply
from bot.command_router import Reply
from bot.interactions import ActionContext, on_action
from governance.actions.inputs import ActionDone, ActionRef
from governance.actions.status import ActionStatus
from governance.actions.use_cases import action_to_update, complete_action, show_action
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps


def update(ctx: ActionContext) -> Reply:
    target = ctx.target
    action = action_to_update(
        ctx.uow, ctx.actor, validate(ActionRef, plan_id=target.plan_id, ref=target.ref)
    )
    return Reply.render("action_update_modal.json.j2", action=action, statuses=list(ActionStatus))


def done(ctx: ActionContext) -> Reply:
    target = ctx.target
    changed = complete_action(
        ctx.uow, ctx.actor, validate(ActionDone, plan_id=target.plan_id, ref=target.ref)
    )
    return action_changed_reply(ctx.client, ctx.actor, changed, "done")


def challenge(ctx: ActionContext) -> Reply:
    target = ctx.target
    detail = show_action(
        ctx.uow, ctx.actor, validate(ActionRef, plan_id=target.plan_id, ref=target.ref)
    )
    return Reply.render(
        "action_challenge_modal.json.j2",
        plan_id=target.plan_id,
        ref=detail.action.ref,
        title=detail.action.title,
    )


def register(app: App, deps: BotDeps) -> None:
    on_action(app, deps, "action_update")(update)
    on_action(app, deps, "action_done")(done)
    on_action(app, deps, "action_challenge")(challenge)
