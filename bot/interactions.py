"""Block actions and view submissions: the same shape as commands, for buttons and modals.

    def register(app, deps):
        @on_action(app, deps, "action_done")
        def done(ctx: ActionContext) -> Reply | None: ...

        @on_view(app, deps, "action_add", errors_on="title")
        def add(ctx: ViewContext) -> Reply | None: ...

A button is acknowledged at once and its Reply (or refusal) follows as an ephemeral
message. A modal's work is done before its acknowledgement, so a refusal can be shown on
the form itself: a `FieldInvalid` on the block it names, any other refusal on `errors_on`.

What a button carries (`<plan_id>:A-<n>`, read by `ActionContext.target`) and what a form
carries in `private_metadata` (read into `ViewContext.form` before the handler runs) are
read here and nowhere else: ASCII digits only, ids within the database's integer range.
A form's context counts only with the seal govbot gave it when it opened the form for the
same person (bot/form_seal.py), so a submission cannot choose its plan or its channel.
Anything else is refused with `STALE_TEXT`, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.command_router import (
    SORRY_TEXT,
    UNAVAILABLE_TEXT,
    Reply,
    deliver,
    error_reply,
    log_failure,
    run_after,
)
from bot.form_seal import SEAL, seal_view, unsealed
from bot.rendering import command_prefix, hint_text
from governance.actions.inputs import SOURCE_LINK_PATTERN
from governance.actions.models import SOURCE_LINK_MAX
from governance.actor import CHANNEL_ID, Actor
from governance.errors import DomainError, HintText, Invalid, Unavailable
from governance.inputs import describe

if TYPE_CHECKING:
    from bot.deps import BotDeps
    from governance.database import UnitOfWork

M = TypeVar("M", bound=BaseModel)

FIELD_ERROR_LIMIT = 300
STALE_TEXT = "That button no longer points at anything I know."
# Ids are stored in 32-bit integer columns.
LARGEST_ID = 2**31 - 1
# Slack allows 2,000 characters of a button's value and 3,000 of a view's private_metadata.
VALUE_LIMIT = 2000
METADATA_LIMIT = 3000
_NUMBER = re.compile(r"[0-9]{1,10}")
_BUTTON_VALUE = re.compile(r"([0-9]{1,10}):([ARFWU]-[0-9]{1,10})")
_REF = re.compile(r"[ARFW]-([0-9]{1,10})")
_CHANNEL_ID = re.compile(CHANNEL_ID)
_METADATA_KEYS = frozenset(
    {"plan_id", "plan_ids", "ref", "version", "channel_id", "source_link", SEAL}
)
# The plans a form opened from no channel offers to choose from (a select shows 100).
PLAN_CHOICES = 100


class StaleTarget(Invalid):
    """A button's value or a form's metadata is not one govbot made."""

    def __init__(self) -> None:
        super().__init__(STALE_TEXT, hint="Use the command instead, or open the list again.")


@dataclass(frozen=True)
class ButtonTarget:
    """The record a shared button names: its plan and reference (`A-3`, `R-2`)."""

    plan_id: int
    ref: str


@dataclass(frozen=True)
class FormContext:
    """What a form was opened for: its plan, the record (`A-3`) and version it showed, and
    the channel it was opened from; for a form opened from no channel, the plans it offers;
    for an action added from a message, that message's permalink. Each may be absent;
    present, it is well formed."""

    plan_id: int | None = None
    ref: str | None = None
    version: int | None = None
    channel_id: str | None = None
    plan_ids: tuple[int, ...] = ()
    source_link: str | None = None


def record_id(value: object, *, smallest: int = 1) -> int:
    """An id or version from a button or form: an int or ASCII digits, within the database's
    integer range; raises StaleTarget for anything else."""
    if isinstance(value, bool):
        raise StaleTarget()
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        value = int(value)
    if not isinstance(value, int) or not smallest <= value <= LARGEST_ID:
        raise StaleTarget()
    return value


def parse_button_value(value: str | None) -> ButtonTarget:
    """Read `<plan_id>:A-<n>` (or `R-`, `F-`, `W-`, `U-`) as every shared button carries it."""
    match = _BUTTON_VALUE.fullmatch(value or "") if len(value or "") <= VALUE_LIMIT else None
    if match is None:
        raise StaleTarget()
    return ButtonTarget(record_id(match[1]), _ref(match[2]))


def parse_form_metadata(raw: object, key: bytes, actor: Actor) -> FormContext:
    """Read a form's private_metadata: a JSON object of `plan_id`, `ref`, `version` and
    `channel_id`, each optional, sealed with `key` for the workspace and person of `actor`."""
    if not isinstance(raw, str) or len(raw) > METADATA_LIMIT:
        raise StaleTarget()
    try:
        sealed = json.loads(raw)
    except (ValueError, RecursionError):
        raise StaleTarget() from None
    if not isinstance(sealed, dict) or not set(sealed) <= _METADATA_KEYS:
        raise StaleTarget()
    metadata = unsealed(sealed, key, actor)
    if metadata is None:
        raise StaleTarget()
    plan_id, ref = metadata.get("plan_id"), metadata.get("ref")
    version, channel_id = metadata.get("version"), metadata.get("channel_id")
    plan_ids, link = metadata.get("plan_ids", []), metadata.get("source_link")
    if ref is not None and not (isinstance(ref, str) and _REF.fullmatch(ref)):
        raise StaleTarget()
    if channel_id is not None and not (
        isinstance(channel_id, str) and _CHANNEL_ID.fullmatch(channel_id)
    ):
        raise StaleTarget()
    if not isinstance(plan_ids, list) or len(plan_ids) > PLAN_CHOICES:
        raise StaleTarget()
    if link is not None and not (isinstance(link, str) and is_source_link(link)):
        raise StaleTarget()
    return FormContext(
        plan_id=None if plan_id is None else record_id(plan_id),
        ref=None if ref is None else _ref(ref),
        version=None if version is None else record_id(version, smallest=0),
        channel_id=channel_id,
        plan_ids=tuple(record_id(each) for each in plan_ids),
        source_link=link,
    )


def is_source_link(link: str) -> bool:
    """Whether `link` is an address an action may keep as the message it came from."""
    return len(link) <= SOURCE_LINK_MAX and re.fullmatch(SOURCE_LINK_PATTERN, link) is not None


def _ref(ref: str) -> str:
    """`A-3` once its number is checked to be one the database can hold."""
    record_id(ref[2:])
    return ref


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
        return str(option.get("value")) if isinstance(option, dict) else None

    @property
    def target(self) -> ButtonTarget:
        """The record the button names; raises StaleTarget unless govbot could have made it."""
        return parse_button_value(self.value)

    @property
    def uow(self) -> UnitOfWork:
        return self.deps.uow

    def now(self) -> datetime:
        return self.deps.uow.now()


@dataclass(frozen=True)
class ViewContext:
    """A modal submitted: who, the form's values by block, and what it was opened for."""

    actor: Actor
    view: dict[str, Any]
    form: FormContext
    deps: BotDeps
    client: WebClient

    def value(self, block_id: str) -> str | list[str] | None:
        """What the person entered in the block's one input, whatever kind of input it is."""
        state = self.view.get("state", {}).get("values", {}).get(block_id, {})
        for element in state.values():
            return _element_value(element)
        return None

    def block_for(self, field: str, blocks: Mapping[str, str], fallback: str) -> str:
        """The form's block for a use-case input (`blocks` names those whose block has
        another name), or `fallback` when the form has no such block."""
        block = blocks.get(field, field)
        return block if block in self.view.get("state", {}).get("values", {}) else fallback

    def input(
        self, model: type[M], *, blocks: Mapping[str, str], fallback: str, **fields: Any
    ) -> M:
        """The use case's input built from `fields`; a refusal shows beside its block."""
        try:
            return model(**fields)
        except ValidationError as exc:
            location = exc.errors()[0]["loc"]
            field = str(location[0]) if location else ""
            raise FieldInvalid(self.block_for(field, blocks, fallback), describe(exc)) from None

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


@dataclass(frozen=True)
class ShortcutContext:
    """A shortcut chosen: who, where (a message shortcut's channel, or none for a global
    one), the message it was chosen on, if any, and the means to act."""

    actor: Actor
    body: dict[str, Any]
    deps: BotDeps
    client: WebClient

    @property
    def message(self) -> dict[str, Any]:
        """The message a message shortcut was chosen on; empty for a global shortcut."""
        message = self.body.get("message")
        return message if isinstance(message, dict) else {}

    @property
    def uow(self) -> UnitOfWork:
        return self.deps.uow


ActionHandler = Callable[[ActionContext], "Reply | None"]
ViewHandler = Callable[[ViewContext], "Reply | None"]
ShortcutHandler = Callable[[ShortcutContext], "Reply | None"]


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
            _answer_and_deliver(handler, context, deps, body, respond, client, actor)

        listener.__name__ = f"action_{handler.__name__}"
        app.action(action_id)(listener)
        return handler

    return decorator


def on_shortcut(
    app: App, deps: BotDeps, callback_id: str
) -> Callable[[ShortcutHandler], ShortcutHandler]:
    """Register the decorated handler for the shortcut `callback_id` (global or message).

    Acknowledged at once; the Reply is a form to open or, for a refusal, a message shown
    only to the person (through the response URL a message shortcut carries).
    """

    def decorator(handler: ShortcutHandler) -> ShortcutHandler:
        def listener(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
            ack()
            actor = _interaction_actor(body)
            context = ShortcutContext(actor, body, deps, client)
            _answer_and_deliver(handler, context, deps, body, respond, client, actor)

        listener.__name__ = f"shortcut_{handler.__name__}"
        app.shortcut(callback_id)(listener)
        return handler

    return decorator


def on_view(
    app: App, deps: BotDeps, callback_id: str | re.Pattern[str], *, errors_on: str
) -> Callable[[ViewHandler], ViewHandler]:
    """Register the decorated handler for submissions of the modal `callback_id`.

        Refusals are shown on the form, under `errors_on` unless a FieldInvalid names a block.
        A returned Reply with a view replaces the modal; any other Reply is posted afterwards, and
    its `after` work (slow work, such as reading an uploaded file) is done once the form is
    acknowledged.
    """

    def decorator(handler: ViewHandler) -> ViewHandler:
        def listener(
            ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
        ) -> None:
            # A submission's channel is the one its sealed context names, never the body's.
            who = replace(_interaction_actor(body), channel_id="")
            try:
                form = parse_form_metadata(view.get("private_metadata"), deps.form_key, who)
            except StaleTarget as exc:
                ack(response_action="errors", errors={errors_on: _field_text(exc)})
                return
            actor = replace(who, channel_id=form.channel_id or "")
            context = ViewContext(actor, view, form, deps, client)
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
                # A form shown again (after a clash) is sealed like any form opened; a view
                # that cannot be submitted, such as the thanks for feedback, carries nothing.
                shown = reply.view
                if "submit" in shown:
                    shown = seal_view(shown, deps.form_key, actor)
                ack(response_action="update", view=shown)
                return
            ack()
            if reply is not None and (reply.text or reply.blocks):
                deliver(reply, body=body, client=client, actor=actor, form_key=deps.form_key)
            if reply is not None and reply.after is not None:
                with deps.work_slots, command_prefix(deps.settings.command_prefix):
                    follow = run_after(reply.after, f"view {handler.__name__} afterwards")
                deliver(follow, body=body, client=client, actor=actor, form_key=deps.form_key)

        listener.__name__ = f"view_{handler.__name__}"
        app.view(callback_id)(listener)
        return handler

    return decorator


def _answer_and_deliver(
    handler: Callable[[Any], Reply | None],
    context: ActionContext | ShortcutContext,
    deps: BotDeps,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    actor: Actor,
) -> None:
    """Run a click's or a shortcut's handler in a work slot, with the command prefix set, and
    deliver its Reply (a refusal or failure included)."""
    with deps.work_slots, command_prefix(deps.settings.command_prefix):
        reply = _answer(handler.__name__, lambda: handler(context))
    deliver(reply, body=body, respond=respond, client=client, actor=actor, form_key=deps.form_key)


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


def _interaction_actor(body: Mapping[str, Any]) -> Actor:
    user = body.get("user") or {}
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Actor(
        team_id=str(team.get("id") or user.get("team_id") or ""),
        user_id=str(user.get("id", "")),
        channel_id=str(channel.get("id") or container.get("channel_id") or ""),
    )
