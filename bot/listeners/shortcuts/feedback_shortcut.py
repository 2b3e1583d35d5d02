"""Give feedback: a global shortcut opening the feedback form from anywhere in Slack.

With no channel to say which plan, the form goes to the person's plan, or offers theirs to
choose from; someone in no plan govbot knows of is told where to give feedback instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import PLAN_CHOICES, ShortcutContext, on_shortcut
from governance.feedback.use_cases import feedback_form
from governance.plans.use_cases import plans_of

if TYPE_CHECKING:
    from bot.deps import BotDeps

CALLBACK_ID = "give_feedback"


def give_feedback(ctx: ShortcutContext) -> Reply:
    plans = plans_of(ctx.uow, ctx.actor)[:PLAN_CHOICES]
    if not plans:
        return Reply.render("feedback_no_plan_modal.json.j2")
    form = feedback_form(ctx.uow, ctx.actor, plans[0].plan_id)
    return Reply.render(
        "feedback_give_modal.json.j2", form=form, plans=plans if len(plans) > 1 else ()
    )


def register(app: App, deps: BotDeps) -> None:
    on_shortcut(app, deps, CALLBACK_ID)(give_feedback)
