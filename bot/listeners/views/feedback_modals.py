"""The feedback form (`feedback_give`): refusals appear beside the input they are about.

The thanks replaces the form rather than arriving as a message: no Web API call names the
person, which matters when the feedback is anonymous.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import FieldInvalid, ViewContext, on_view
from governance.errors import InputInvalid
from governance.feedback.inputs import (
    FeedbackGive,
)
from governance.feedback.use_cases import give_feedback
from governance.inputs import describe

if TYPE_CHECKING:
    from bot.deps import BotDeps

BLOCKS = {
    "source": "feedback_source",
    "text": "feedback_text",
    "function": "feedback_function",
    "service_area": "feedback_area",
    "rating": "feedback_rating",
    "anonymous": "feedback_anonymous",
}
PLAN_BLOCK = "feedback_plan"


def feedback_give(ctx: ViewContext) -> Reply:
    data = form_input(ctx)
    try:
        given = give_feedback(ctx.uow, ctx.actor, data)
    except InputInvalid as exc:
        raise FieldInvalid(BLOCKS[exc.field], exc.message, hint=exc.hint) from None
    return Reply.render("feedback_given.json.j2", feedback=given, modal=True)


def form_input(ctx: ViewContext) -> FeedbackGive:
    fields: dict[str, Any] = {
        "plan_id": chosen_plan(ctx),
        "source": ctx.value(BLOCKS["source"]) or "",
        "text": ctx.value(BLOCKS["text"]) or "",
        "function": ctx.value(BLOCKS["function"]),
        "service_area": ctx.value(BLOCKS["service_area"]),
        "rating": ctx.value(BLOCKS["rating"]),
        "anonymous": "anonymous" in (ctx.value(BLOCKS["anonymous"]) or []),
    }
    try:
        return FeedbackGive(**fields)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise FieldInvalid(BLOCKS.get(field, BLOCKS["text"]), describe(exc, FeedbackGive)) from None


def chosen_plan(ctx: ViewContext) -> int | None:
    """The form's plan: the one it was opened for, or the one chosen of those it offered."""
    if not ctx.form.plan_ids:
        return ctx.form.plan_id
    chosen = ctx.value(PLAN_BLOCK)
    offered = {str(plan_id): plan_id for plan_id in ctx.form.plan_ids}
    if not isinstance(chosen, str) or chosen not in offered:
        raise FieldInvalid(PLAN_BLOCK, "Choose the plan your feedback is for.")
    return offered[chosen]


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "feedback_give", errors_on=BLOCKS["text"])(feedback_give)
