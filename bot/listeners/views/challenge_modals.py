"""The challenge forms: ask about an action, and answer the oldest open question on an action
or a risk. (The risk challenge form is with the other risk forms.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.action_replies import challenge_answered_reply, challenge_asked_reply
from bot.command_router import Reply
from bot.interactions import ViewContext, on_view
from governance.challenges.inputs import ChallengeAnswer, ChallengeAsk
from governance.challenges.use_cases import answer_challenge, challenge_action
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps


def ask_about_action(ctx: ViewContext) -> Reply:
    asked = challenge_action(ctx.uow, ctx.actor, question(ctx))
    return challenge_asked_reply(ctx.client, ctx.actor, asked)


def answer(ctx: ViewContext) -> Reply:
    data = validate(
        ChallengeAnswer,
        plan_id=ctx.form.plan_id,
        ref=ctx.form.ref or "",
        answer=ctx.value("answer") or "",
    )
    answered = answer_challenge(ctx.uow, ctx.actor, data)
    return challenge_answered_reply(ctx.client, ctx.actor, answered)


def question(ctx: ViewContext) -> ChallengeAsk:
    return validate(
        ChallengeAsk,
        plan_id=ctx.form.plan_id,
        ref=ctx.form.ref or "",
        question=ctx.value("question") or "",
    )


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "action_challenge", errors_on="question")(ask_about_action)
    on_view(app, deps, "challenge_answer", errors_on="answer")(answer)
