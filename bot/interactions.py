"""Block actions and view submissions: the same shape as commands, for buttons and modals.

    def register(app, deps):
        @on_action(app, deps, "action_done")
        def done(ctx: ActionContext) -> Reply | None: ...

        @on_view(app, deps, "action_add", errors_on="title")
        def add(ctx: ViewContext) -> Reply | None: ...

A button is acknowledged at once and its Reply (or refusal) follows as an ephemeral
message. A modal's work is done before its acknowledgement, so a refusal can be shown on
the form itself: a `FieldInvalid` on the block it names, any other refusal on `errors_on`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.command_router import (
    SORRY_TEXT,
    UNAVAILABLE_TEXT,
    Reply,
    deliver,
    error_reply,
    log_failure,
)
from bot.rendering import command_prefix, hint_text
from governance.actor import Actor
from governance.errors import DomainError, HintText, Invalid, Unavailable

if TYPE_CHECKING:
    from bot.deps import BotDeps
    from governance.database import UnitOfWork

FIELD_ERROR_LIMIT = 300


class FieldInvalid(Invalid):
    """A refusal about one input of a modal, shown under the block `block_id`."""

    def __init__(self, block_id: str, message: str, *, hint: HintText = None) -> None:
        super().__init__(message, hint=hint)
        self.block_id = block_id


@dataclass(frozen=True)
class ActionContext:
    """A click: who, where, which element (`action`, with its `value`), and the means to act."""

    actor: Actor
    action: dict[str, Any]
    body: dict[str, Any]
    deps: BotDeps
    client: WebClient
    trigger_id: str | None

    @property
    def value(self) -> str | None:
        """The button's value, or the option chosen from a menu."""
        if "value" in self.action:
            return str(self.action["value"])
        option = self.action.get("selected_option")
        return str(option["value"]) if isinstance(option, dict) else None

    @property
    def uow(self) -> UnitOfWork:
        return self.deps.uow

    def now(self) -> datetime:
        return self.deps.uow.now()


@dataclass(frozen=True)
class ViewContext:
    """A modal submitted: who, the form's values by block, and its private metadata."""

    actor: Actor
    view: dict[str, Any]
    metadata: dict[str, Any]
    deps: BotDeps
    client: WebClient

    def value(self, block_id: str) -> str | list[str] | None:
        """What the person entered in the block's one input, whatever kind of input it is."""
        state = self.view.get("state", {}).get("values", {}).get(block_id, {})
        for element in state.values():
            return _element_value(element)
        return None

    @property
    def uow(self) -> UnitOfWork:
        return self.deps.uow

    def now(self) -> datetime:
        return self.deps.uow.now()


def _element_value(element: Mapping[str, Any]) -> str | list[str] | None:
    kind = element.get("type")
    if kind in ("checkboxes", "multi_static_select", "multi_external_select"):
        return [str(o["value"]) for o in element.get("selected_options") or []]
    for key in ("selected_users", "selected_conversations", "selected_channels"):
        if key in element:
            return [str(v) for v in element[key] or []]
    for key in (
        "selected_user",
        "selected_conversation",
        "selected_channel",
        "selected_date",
        "selected_time",
        "value",
    ):
        if key in element:
            return None if element[key] in (None, "") else str(element[key])
    option = element.get("selected_option")
    return str(option["value"]) if isinstance(option, dict) else None


ActionHandler = Callable[[ActionContext], "Reply | None"]
ViewHandler = Callable[[ViewContext], "Reply | None"]


def on_action(
    app: App, deps: BotDeps, action_id: str | re.Pattern[str]
) -> Callable[[ActionHandler], ActionHandler]:
    """Register the decorated handler for clicks on `action_id`."""

    def decorator(handler: ActionHandler) -> ActionHandler:
        def listener(
            ack: Ack,
            body: dict[str, Any],
            action: dict[str, Any],
            respond: Respond,
            client: WebClient,
        ) -> None:
            ack()
            actor = _interaction_actor(body)
            context = ActionContext(actor, action, body, deps, client, body.get("trigger_id"))
            with deps.work_slots, command_prefix(deps.settings.command_prefix):
                reply = _answer(handler.__name__, lambda: handler(context))
            deliver(reply, body=body, respond=respond, client=client, actor=actor)

        listener.__name__ = f"action_{handler.__name__}"
        app.action(action_id)(listener)
        return handler

    return decorator


def on_view(
    app: App, deps: BotDeps, callback_id: str | re.Pattern[str], *, errors_on: str
) -> Callable[[ViewHandler], ViewHandler]:
    """Register the decorated handler for submissions of the modal `callback_id`.

    Refusals are shown on the form, under `errors_on` unless a FieldInvalid names a block.
    A returned Reply with a view replaces the modal; any other Reply is posted afterwards.
    """

    def decorator(handler: ViewHandler) -> ViewHandler:
        def listener(
            ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
        ) -> None:
            metadata = _metadata(view)
            actor = _interaction_actor(body, metadata.get("channel_id"))
            context = ViewContext(actor, view, metadata, deps, client)
            try:
                with deps.work_slots, command_prefix(deps.settings.command_prefix):
                    reply = handler(context)
            except FieldInvalid as exc:
                ack(response_action="errors", errors={exc.block_id: _field_text(exc)})
                return
            except Unavailable:
                ack(response_action="errors", errors={errors_on: UNAVAILABLE_TEXT})
                return
            except DomainError as exc:
                ack(response_action="errors", errors={errors_on: _field_text(exc)})
                return
            except Exception as exc:
                log_failure(f"view {handler.__name__}", exc)
                ack(response_action="errors", errors={errors_on: SORRY_TEXT})
                return
            if reply is not None and reply.view is not None:
                ack(response_action="update", view=reply.view)
                return
            ack()
            deliver(reply, body=body, client=client, actor=actor)

        listener.__name__ = f"view_{handler.__name__}"
        app.view(callback_id)(listener)
        return handler

    return decorator


def _answer(name: str, work: Callable[[], Reply | None]) -> Reply | None:
    try:
        return work()
    except Unavailable:
        return Reply(text=UNAVAILABLE_TEXT)
    except DomainError as exc:
        return error_reply(exc.message, hint=exc.hint)
    except Exception as exc:
        log_failure(f"action {name}", exc)
        return Reply(text=SORRY_TEXT)


def _field_text(exc: DomainError) -> str:
    hint = hint_text(exc.hint)
    text = exc.message if not hint else f"{exc.message} {hint}"
    return text if len(text) <= FIELD_ERROR_LIMIT else text[: FIELD_ERROR_LIMIT - 1] + "…"


def _metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def _interaction_actor(body: Mapping[str, Any], channel_id: str | None = None) -> Actor:
    user = body.get("user") or {}
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Actor(
        team_id=str(team.get("id") or user.get("team_id") or ""),
        user_id=str(user.get("id", "")),
        channel_id=str(channel_id or channel.get("id") or container.get("channel_id") or ""),
    )
