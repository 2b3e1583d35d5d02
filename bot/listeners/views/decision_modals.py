"""The propose form (`decision_propose`): a proposal with its reasons, the evidence it rests
on and what it affects; a refusal appears beside the input it is about."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import CommandContext, Reply
from bot.grammar import parse_list
from bot.interactions import FieldInvalid, ViewContext, on_view
from governance.decisions.inputs import DecisionPropose
from governance.decisions.use_cases import decision_form, propose_decision
from governance.decisions.views import DecisionView
from governance.errors import InputInvalid, Invalid

if TYPE_CHECKING:
    from bot.deps import BotDeps

# Each block of the form is named for the use-case input it fills.
BLOCKS: dict[str, str] = {}


def open_form(ctx: CommandContext) -> Reply:
    """The propose form for the plan of the actor's channel."""
    return Reply.render("decision_propose_modal.json.j2", form=decision_form(ctx.uow, ctx.actor))


def proposed_reply(decision: DecisionView, actor_id: str) -> Reply:
    return Reply.render(
        "decision_card.json.j2",
        decision=decision,
        event="proposed",
        actor_id=actor_id,
        in_channel=True,
    )


def propose(ctx: ViewContext) -> Reply:
    data = ctx.input(
        DecisionPropose,
        blocks=BLOCKS,
        fallback="title",
        plan_id=ctx.form.plan_id,
        title=ctx.value("title") or "",
        proposal=ctx.value("proposal") or "",
        reasons=ctx.value("reasons") or "",
        informed_by=_listed(ctx, "informed_by"),
        affects=_listed(ctx, "affects"),
        supersedes=ctx.value("supersedes"),
    )
    with _beside_input():
        decision = propose_decision(ctx.uow, ctx.actor, data)
    return proposed_reply(decision, ctx.actor.user_id)


def _listed(ctx: ViewContext, block: str) -> tuple[str, ...]:
    typed = ctx.value(block)
    if not isinstance(typed, str):
        return ()
    try:
        return tuple(parse_list(typed))
    except Invalid as exc:
        raise FieldInvalid(block, exc.message, hint=exc.hint) from None


@contextmanager
def _beside_input() -> Iterator[None]:
    try:
        yield
    except InputInvalid as exc:
        raise FieldInvalid(exc.field, exc.message, hint=exc.hint) from None


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "decision_propose", errors_on="title")(propose)
