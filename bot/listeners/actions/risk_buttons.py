"""The buttons on a risk card: Update opens the update form, Challenge the challenge form.

Both carry `<plan_id>:R-<n>`, so they work wherever the card is: a channel, a DM, App Home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import ActionContext, on_action
from bot.listeners.views.risk_modals import challenge_form, update_form
from governance.inputs import validate
from governance.risks.inputs import RiskShow
from governance.risks.use_cases import risk_to_update, show_risk

if TYPE_CHECKING:
    from bot.deps import BotDeps


def open_update(ctx: ActionContext) -> Reply:
    risk = risk_to_update(ctx.uow, ctx.actor, _risk_named(ctx))
    return update_form(risk)


def open_challenge(ctx: ActionContext) -> Reply:
    return challenge_form(show_risk(ctx.uow, ctx.actor, _risk_named(ctx)))


def _risk_named(ctx: ActionContext) -> RiskShow:
    """The risk a button's `<plan_id>:R-<n>` value names."""
    target = ctx.target
    return validate(RiskShow, plan_id=target.plan_id, number=target.ref)


def register(app: App, deps: BotDeps) -> None:
    on_action(app, deps, "risk_update")(open_update)
    on_action(app, deps, "risk_challenge")(open_challenge)
