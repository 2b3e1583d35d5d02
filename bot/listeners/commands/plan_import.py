"""`/plan import`: the form to upload a spreadsheet of actions or risks (bot/listeners/views/
import_modals.py reads it; bot/listeners/actions/import_buttons.py imports or cancels)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import CommandContext, Reply
from bot.grammar import refuse_unknown_options
from bot.listeners.commands.plan_command import router
from governance.imports.use_cases import import_form

if TYPE_CHECKING:
    from bot.deps import BotDeps


@router.sub("import")
def open_import_form(ctx: CommandContext) -> Reply:
    refuse_unknown_options(ctx.args, ())
    return Reply.render("import_form_modal.json.j2", form=import_form(ctx.uow, ctx.actor))


def register(app: App, deps: BotDeps) -> None:
    """The subcommand joins plan_command's router when this module is imported."""
