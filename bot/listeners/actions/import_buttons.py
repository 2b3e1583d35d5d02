"""The preview's buttons: Import applies it (saying how it goes on the preview's message),
Cancel forgets it. Each carries `<plan_id>:U-<n>`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import ActionContext, on_action
from bot.progress_message import ProgressMessage
from governance.imports.inputs import ImportRef
from governance.imports.use_cases import apply_import, cancel_import
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps


def _ref(ctx: ActionContext) -> ImportRef:
    target = ctx.target
    return validate(ImportRef, plan_id=target.plan_id, ref=target.ref)


def import_apply(ctx: ActionContext) -> Reply:
    data = _ref(ctx)
    container = ctx.body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    progress = (
        ProgressMessage(ctx.client, str(channel), str(ts)).update
        if channel and ts
        else (lambda _text: None)
    )
    done = apply_import(ctx.uow, ctx.actor, data, progress=progress)
    return Reply.render("import_applied.json.j2", done=done, replace_original=True)


def import_cancel(ctx: ActionContext) -> Reply:
    cancelled = cancel_import(ctx.uow, ctx.actor, _ref(ctx))
    return Reply.render("import_cancelled.json.j2", cancelled=cancelled, replace_original=True)


def register(app: App, deps: BotDeps) -> None:
    on_action(app, deps, "import_apply")(import_apply)
    on_action(app, deps, "import_cancel")(import_cancel)
