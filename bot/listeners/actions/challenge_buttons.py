"""The Answer button on a challenge (App Home): opens the answer form for its oldest question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import ActionContext, on_action
from governance.challenges.inputs import ChallengeSubject
from governance.challenges.use_cases import challenge_to_answer
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps


def answer(ctx: ActionContext) -> Reply:
    target = ctx.target
    waiting = challenge_to_answer(
        ctx.uow, ctx.actor, validate(ChallengeSubject, plan_id=target.plan_id, ref=target.ref)
    )
    return Reply.render("challenge_answer_modal.json.j2", challenge=waiting)


def register(app: App, deps: BotDeps) -> None:
    on_action(app, deps, "challenge_answer")(answer)
