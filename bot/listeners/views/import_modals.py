"""The import form submitted: acknowledged at once, then the file fetched from Slack, read and
previewed in a DM message that says how it goes and ends as the preview with its buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App

from bot.command_router import Reply, error_reply, log_failure
from bot.import_owners import SlackOwners
from bot.imports import NOTES_SHOWN, preview_file
from bot.interactions import FieldInvalid, ViewContext, on_view
from bot.progress_message import ProgressMessage
from bot.slack_files import fetch_file
from governance.errors import DomainError, Unavailable
from governance.imports.inputs import ImportFile
from governance.imports.use_cases import plan_people

if TYPE_CHECKING:
    from bot.deps import BotDeps

KINDS = ("actions", "risks")


def _file_id(view: dict[str, Any]) -> str:
    element = view.get("state", {}).get("values", {}).get("file", {}).get("file", {})
    files = element.get("files") if isinstance(element, dict) else None
    if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], dict):
        raise FieldInvalid("file", "Choose one CSV or Excel file to import.")
    file_id = files[0].get("id")
    if not isinstance(file_id, str) or not file_id.isalnum() or len(file_id) > 32:
        raise FieldInvalid("file", "Choose one CSV or Excel file to import.")
    return file_id


def import_form(ctx: ViewContext) -> Reply:
    file_id = _file_id(ctx.view)
    kind = ctx.value("kind") or "actions"
    if kind not in KINDS:
        raise FieldInvalid("kind", "Say whether the file holds actions or risks.")
    sheet = ctx.value("sheet")
    data = ctx.input(
        ImportFile,
        blocks={"sheet": "sheet", "kind": "kind", "file_name": "file"},
        fallback="file",
        plan_id=ctx.form.plan_id,
        kind=kind,
        file_name="file",
        sheet=sheet if isinstance(sheet, str) else None,
    )
    return Reply(after=lambda: _preview(ctx, file_id, data))


def _preview(ctx: ViewContext, file_id: str, data: ImportFile) -> Reply | None:
    progress = ProgressMessage.post(ctx.client, ctx.actor.user_id, "Fetching your file from Slack…")
    try:
        shared = fetch_file(ctx.client, file_id)
        named = data.model_copy(update={"file_name": shared.name[:200]})
        progress.update(f"Reading {shared.name}…")
        owners = SlackOwners(ctx.client, lambda: plan_people(ctx.uow, ctx.actor, data.plan_id or 0))
        preview = preview_file(
            ctx.uow, ctx.actor, shared.content, named, owners.find, progress=progress.update
        )
        reply = Reply.render(
            "import_preview.json.j2", preview=preview, shown=NOTES_SHOWN, buttons=True
        )
    except Unavailable as exc:
        reply = error_reply(exc.message)
    except DomainError as exc:
        reply = error_reply(exc.message, hint=exc.hint)
    except Exception as exc:
        log_failure("previewing an import", exc)
        reply = error_reply("Sorry — something went wrong reading that file, and nothing was kept.")
    progress.finish(reply)
    return None


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "import_form", errors_on="file")(import_form)
