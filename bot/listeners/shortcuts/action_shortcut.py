"""Add as action: a message shortcut opening the add-action form filled from the message.

The message's text becomes the title (cut at a word boundary within the title's limit) and
the rest the description; the action keeps the message's permalink, which `/action show`
links to. In a channel not linked to a plan, the person is told so, privately.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk.errors import SlackClientError

from bot.command_router import Reply
from bot.interactions import ShortcutContext, is_source_link, on_shortcut
from bot.listeners.views.action_modals import add_form
from bot.rendering import plain_text
from governance.actions.from_message import title_and_description
from governance.actions.use_cases import action_form

if TYPE_CHECKING:
    from bot.deps import BotDeps

CALLBACK_ID = "add_as_action"

log = logging.getLogger("govbot.shortcuts")


def add_as_action(ctx: ShortcutContext) -> Reply:
    form = action_form(ctx.uow, ctx.actor)
    title, description = title_and_description(plain_text(str(ctx.message.get("text") or "")))
    return add_form(
        form,
        ctx.actor.user_id,
        title=title,
        description=description,
        from_message=True,
        source_link=permalink(ctx),
    )


def permalink(ctx: ShortcutContext) -> str | None:
    """The message's permalink from Slack; None (and a warning) when Slack cannot give it."""
    ts = ctx.message.get("ts")
    if not ts:
        return None
    try:
        found = ctx.client.chat_getPermalink(channel=ctx.actor.channel_id, message_ts=str(ts))
    except (SlackClientError, OSError) as exc:  # refused, failing, unreachable, slow
        log.warning("chat.getPermalink failed; the form opens unlinked: %s", type(exc).__name__)
        return None
    link = found.get("permalink")
    return link if isinstance(link, str) and is_source_link(link) else None


def register(app: App, deps: BotDeps) -> None:
    on_shortcut(app, deps, CALLBACK_ID)(add_as_action)
