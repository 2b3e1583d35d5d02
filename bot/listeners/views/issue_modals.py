"""The add-issue form (`issue_add`), and the reply every change to an issue gets: its card,
with a direct message to a newly assigned owner. A refusal appears beside its input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient

from bot.action_replies import tell
from bot.command_router import Reply
from bot.interactions import FieldInvalid, ViewContext, on_view
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.errors import InputInvalid
from governance.issues.inputs import IssueAdd
from governance.issues.rules import SEVERITY_WORDS
from governance.issues.use_cases import add_issue, issue_form
from governance.issues.views import IssueChangeView
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS

if TYPE_CHECKING:
    from bot.deps import BotDeps

# The form's block for each input of the use case.
BLOCKS = {
    "title": "issue_title",
    "severity": "issue_severity",
    "description": "issue_description",
    "owner_id": "issue_owner",
    "function": "issue_function",
    "partner": "issue_partners",
    "partners": "issue_partners",
    "action": "issue_actions",
    "actions": "issue_actions",
}


def add_form(uow: UnitOfWork, actor: Actor) -> Reply:
    """The add-issue form for the plan of the actor's channel."""
    return Reply.render(
        "issue_add_modal.json.j2",
        form=issue_form(uow, actor),
        functions=PEOPLE_FUNCTIONS,
        severity_words=SEVERITY_WORDS,
        owner_id=actor.user_id,
    )


def changed_reply(
    client: WebClient, actor: Actor, changed: IssueChangeView, *, in_channel: bool = False
) -> Reply:
    """The issue's card saying what happened; a newly assigned owner is told by DM."""
    if changed.notify_owner:
        notice = Reply.render(
            "issue_card.json.j2",
            issue=changed.issue,
            event="assigned",
            actor_id=actor.user_id,
            plan_name=changed.plan_name,
        )
        tell(client, [changed.notify_owner], notice, "telling an issue's new owner")
    return Reply.render(
        "issue_card.json.j2",
        issue=changed.issue,
        event=changed.event,
        changes=changed.changes,
        actor_id=actor.user_id,
        in_channel=in_channel,
    )


def _many(value: str | list[str] | None) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def add(ctx: ViewContext) -> Reply:
    data = ctx.input(
        IssueAdd,
        blocks=BLOCKS,
        fallback="issue_title",
        plan_id=ctx.form.plan_id,
        title=ctx.value("issue_title") or "",
        severity=ctx.value("issue_severity"),
        description=ctx.value("issue_description") or "",
        owner_id=ctx.value("issue_owner"),
        function=ctx.value("issue_function"),
        partners=_many(ctx.value("issue_partners")),
        actions=_many(ctx.value("issue_actions")),
    )
    try:
        added = add_issue(ctx.uow, ctx.actor, data)
    except InputInvalid as exc:
        block = ctx.block_for(exc.field, BLOCKS, "issue_title")
        raise FieldInvalid(block, exc.message, hint=exc.hint) from None
    return changed_reply(ctx.client, ctx.actor, added, in_channel=True)


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "issue_add", errors_on="issue_title")(add)
