"""`challenge` and `answer`, the same on `/action` and `/risk`: checks and challenges.

    router = CommandRouter("risk", usage=(..., *challenge_usage("risk")))
    add_challenge_forms(router, "risk")

A challenge by command, by a card's button or from App Home is told to whoever must answer
it and shown in the plan's channel; so is its answer (see `bot.action_replies`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from bot.action_replies import challenge_answered_reply, challenge_asked_reply
from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes, Usage
from bot.grammar import refuse_unknown_options
from governance.actor import Actor
from governance.challenges.inputs import ChallengeAnswer, ChallengeAsk
from governance.challenges.use_cases import answer_challenge, challenge_action, challenge_risk
from governance.challenges.views import ChallengeOutcomeView
from governance.database import UnitOfWork
from governance.errors import Invalid
from governance.inputs import validate

Kind = Literal["action", "risk"]
EXAMPLE: dict[Kind, str] = {"action": "A-3", "risk": "R-2"}
ASK: dict[Kind, Callable[[UnitOfWork, Actor, ChallengeAsk], ChallengeOutcomeView]] = {
    "action": challenge_action,
    "risk": challenge_risk,
}
TAKES = Takes(words=1, quoted=MANY)


def challenge_usage(kind: Kind) -> tuple[Usage, ...]:
    """The two forms' usage lines for `kind`'s command."""
    ref = EXAMPLE[kind]
    return (
        (f'challenge {ref} "question"', f"question the {kind}'s status; its owner is asked"),
        (f'answer {ref} "reply"', "answer its oldest open challenge (owner, leads and chairs)"),
    )


def add_challenge_forms(router: CommandRouter, kind: Kind) -> None:
    """Put `challenge` and `answer` on `kind`'s router."""

    @router.sub("challenge", takes=TAKES)
    def challenge(ctx: CommandContext) -> Reply:
        ref, question = _ref_and_text(ctx, kind, "question")
        data = validate(ChallengeAsk, ref=ref, question=question)
        return challenge_asked_reply(ctx.client, ctx.actor, ASK[kind](ctx.uow, ctx.actor, data))

    @router.sub("answer", takes=TAKES)
    def answer(ctx: CommandContext) -> Reply:
        ref, text = _ref_and_text(ctx, kind, "answer")
        data = validate(ChallengeAnswer, ref=ref, answer=text, kind=kind)
        answered = answer_challenge(ctx.uow, ctx.actor, data)
        return challenge_answered_reply(ctx.client, ctx.actor, answered)


def _ref_and_text(ctx: CommandContext, kind: Kind, what: str) -> tuple[str, str]:
    """The reference and the quoted text both forms take: `R-2 "…"`."""
    refuse_unknown_options(ctx.args, ())
    if not ctx.args.words:
        raise Invalid(f"Say which {kind}, like {EXAMPLE[kind]}.")
    if not ctx.args.quoted:
        raise Invalid(f'Put your {what} in "double quotes".')
    return ctx.args.words[0], " ".join(ctx.args.quoted)
