"""The risk forms: add (`risk_add`), update (`risk_update`) and challenge (`risk_challenge`).

A refusal appears beside the input it is about. An update to a risk someone else changed
after the form opened shows the form again, filled in with the risk as it is now.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from slack_bolt import App

from bot.action_replies import challenge_asked_reply
from bot.command_router import Reply
from bot.grammar import parse_share
from bot.interactions import FieldInvalid, ViewContext, on_view
from bot.listeners.views.challenge_modals import question
from governance.actor import Actor
from governance.challenges.use_cases import challenge_risk
from governance.database import UnitOfWork
from governance.errors import Conflict, InputInvalid, Invalid
from governance.inputs import describe
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.risks.inputs import (
    RiskAdd,
    RiskUpdate,
)
from governance.risks.rules import IMPACT_WORDS, LIKELIHOOD_WORDS
from governance.risks.use_cases import add_risk, risk_form, update_risk
from governance.risks.views import RiskUpdatedView, RiskView

if TYPE_CHECKING:
    from bot.deps import BotDeps

M = TypeVar("M", bound=BaseModel)

# Inputs named differently in the use case than the block that holds them.
BLOCK_OF = {"owner_id": "owner", "lead": "share"}
# Use-case inputs a person fills in on a form (the rest come from private_metadata).
FORM_INPUTS = (
    "title",
    "likelihood",
    "impact",
    "owner_id",
    "target",
    "review",
    "mitigation",
    "share",
    "function",
)


def add_form(uow: UnitOfWork, actor: Actor) -> Reply:
    """The add-risk form for the plan of the actor's channel."""
    form = risk_form(uow, actor)
    return Reply.render(
        "risk_add_modal.json.j2",
        form=form,
        metadata=json.dumps({"plan_id": form.plan_id}),
        partners=form.partners,
        functions=PEOPLE_FUNCTIONS,
        likelihood_words=LIKELIHOOD_WORDS,
        impact_words=IMPACT_WORDS,
    )


def update_form(risk: RiskView, notice: str | None = None) -> Reply:
    """The update-risk form filled in with `risk`, carrying the version it shows."""
    return Reply.render(
        "risk_update_modal.json.j2",
        risk=risk,
        notice=notice,
        metadata=json.dumps({"plan_id": risk.plan_id, "ref": risk.ref, "version": risk.version}),
        share_text=share_text(risk),
        partners=(),
        likelihood_words=LIKELIHOOD_WORDS,
        impact_words=IMPACT_WORDS,
    )


def challenge_form(risk: RiskView) -> Reply:
    return Reply.render(
        "risk_challenge_modal.json.j2",
        risk=risk,
        metadata=json.dumps({"plan_id": risk.plan_id, "ref": risk.ref}),
    )


def updated_reply(updated: RiskUpdatedView, actor: Actor) -> Reply:
    """The card after an update: shown to the channel when something changed, else privately."""
    return Reply.render(
        "risk_card.json.j2",
        risk=updated.risk,
        event=("reviewed" if updated.reviewed else "updated") if updated.changes else "unchanged",
        changes=updated.changes,
        actor_id=actor.user_id,
        in_channel=bool(updated.changes),
    )


def share_text(risk: RiskView) -> str:
    """The share as someone would type it, lead partner first: `"Org A"=60, "Org B"=40`."""
    return ", ".join(f'"{share.partner}"={share.percent}' for share in risk.shares)


def add(ctx: ViewContext) -> Reply:
    fields = _scored_fields(ctx)
    fields.update(
        plan_id=ctx.form.plan_id,
        title=ctx.value("title") or "",
        function=ctx.value("function"),
    )
    data = _validated(RiskAdd, fields, default_block="title")
    with _beside_input():
        risk = add_risk(ctx.uow, ctx.actor, data)
    return Reply.render(
        "risk_card.json.j2", risk=risk, event="added", actor_id=ctx.actor.user_id, in_channel=True
    )


def update(ctx: ViewContext) -> Reply:
    fields = _scored_fields(ctx)
    fields.update(
        plan_id=ctx.form.plan_id,
        number=ctx.form.ref,
        expected_version=ctx.form.version,
    )
    data = _validated(RiskUpdate, fields, default_block="likelihood")
    try:
        with _beside_input():
            updated = update_risk(ctx.uow, ctx.actor, data)
    except Conflict as exc:
        if isinstance(exc.current, RiskView):
            return update_form(exc.current, notice=exc.message)
        raise
    return updated_reply(updated, ctx.actor)


def challenge(ctx: ViewContext) -> Reply:
    asked = challenge_risk(ctx.uow, ctx.actor, question(ctx))
    return challenge_asked_reply(ctx.client, ctx.actor, asked)


def _scored_fields(ctx: ViewContext) -> dict[str, Any]:
    """The inputs both risk forms share, as the use-case input names them."""
    share = ctx.value("share")
    lines = None
    if isinstance(share, str):
        try:
            lines = tuple(parse_share(share))
        except Invalid as exc:
            raise FieldInvalid("share", exc.message, hint=exc.hint) from None
    return {
        "likelihood": ctx.value("likelihood"),
        "impact": ctx.value("impact"),
        "owner_id": ctx.value("owner"),
        "target": ctx.value("target"),
        "review": ctx.value("review"),
        "mitigation": ctx.value("mitigation") or "",
        "share": lines,
    }


def _validated(model: type[M], fields: dict[str, Any], *, default_block: str) -> M:
    try:
        return model(**fields)
    except ValidationError as exc:
        location = exc.errors()[0]["loc"]
        field = str(location[0]) if location else ""
        block = BLOCK_OF.get(field, field) if field in FORM_INPUTS else default_block
        raise FieldInvalid(block, describe(exc, model)) from None


@contextmanager
def _beside_input() -> Iterator[None]:
    try:
        yield
    except InputInvalid as exc:
        raise FieldInvalid(BLOCK_OF.get(exc.field, exc.field), exc.message, hint=exc.hint) from None


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "risk_add", errors_on="title")(add)
    on_view(app, deps, "risk_update", errors_on="likelihood")(update)
    on_view(app, deps, "risk_challenge", errors_on="question")(challenge)
