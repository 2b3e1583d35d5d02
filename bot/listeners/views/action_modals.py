"""The add-action and update-action forms: refusals appear beside the input they are about.

An update form carries the version it showed. If someone else changed the action since, the
form is shown again with the action as it now stands, saying so, rather than overwriting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from slack_bolt import App

from bot.action_replies import action_changed_reply
from bot.command_router import Reply
from bot.interactions import FieldInvalid, ViewContext, on_view
from governance.actions.inputs import (
    ActionAdd,
    ActionUpdate,
)
from governance.actions.status import ActionStatus
from governance.actions.use_cases import add_action, update_action
from governance.actions.views import ActionFormView, ActionView
from governance.errors import Conflict, InputInvalid
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS

if TYPE_CHECKING:
    from bot.deps import BotDeps

# Input fields whose block in the form has another name.
BLOCK_OF = {"owner_id": "owner"}


def add(ctx: ViewContext) -> Reply:
    data = ctx.input(
        ActionAdd,
        blocks=BLOCK_OF,
        fallback="title",
        plan_id=ctx.form.plan_id,
        title=ctx.value("title") or "",
        description=ctx.value("description") or "",
        owner_id=ctx.value("owner"),
        function=ctx.value("function"),
        partner=ctx.value("partner"),
        due=ctx.value("due"),
        source_link=ctx.form.source_link,
    )
    with on_its_block(ctx, fallback="title"):
        added = add_action(ctx.uow, ctx.actor, data)
    return action_changed_reply(ctx.client, ctx.actor, added, "added")


def update(ctx: ViewContext) -> Reply:
    data = ctx.input(
        ActionUpdate,
        blocks=BLOCK_OF,
        fallback="note",
        plan_id=ctx.form.plan_id,
        ref=ctx.form.ref or "",
        expected_version=ctx.form.version,
        status=ctx.value("status"),
        progress=ctx.value("progress"),
        # An emptied date picker clears the due date.
        due=ctx.value("due") or "none",
        owner_id=ctx.value("owner"),
        note=ctx.value("note") or "",
    )
    try:
        with on_its_block(ctx, fallback="note"):
            changed = update_action(ctx.uow, ctx.actor, data)
    except Conflict as exc:
        if not isinstance(exc.current, ActionView):
            raise
        return update_form(exc.current, conflict=exc.message)
    return action_changed_reply(ctx.client, ctx.actor, changed, "updated")


def add_form(
    form: ActionFormView,
    owner_id: str,
    *,
    title: str = "",
    description: str = "",
    from_message: bool = False,
    source_link: str | None = None,
) -> Reply:
    """The add-action form, empty or filled from a message (and linked to it when Slack
    gave the message's permalink)."""
    return Reply.render(
        "action_add_modal.json.j2",
        form=form,
        functions=PEOPLE_FUNCTIONS,
        owner_id=owner_id,
        title=title,
        description=description,
        from_message=from_message,
        source_link=source_link,
    )


def update_form(action: ActionView, conflict: str | None = None) -> Reply:
    """The update form filled with `action` as it stands (after a clash, saying so)."""
    return Reply.render(
        "action_update_modal.json.j2",
        action=action,
        statuses=list(ActionStatus),
        conflict=conflict,
    )


@contextmanager
def on_its_block(ctx: ViewContext, fallback: str) -> Iterator[None]:
    """Show a refusal about one input of the action beside that input."""
    try:
        yield
    except InputInvalid as exc:
        block = ctx.block_for(exc.field, BLOCK_OF, fallback)
        raise FieldInvalid(block, exc.message, hint=exc.hint) from None


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "action_add", errors_on="title")(add)
    on_view(app, deps, "action_update", errors_on="note")(update)
