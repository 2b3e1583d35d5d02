"""The win form (`win_add`): the win is celebrated in the channel the form was opened from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import Reply
from bot.interactions import ViewContext, on_view
from governance.wins.inputs import WinRecord
from governance.wins.use_cases import record_win

if TYPE_CHECKING:
    from bot.deps import BotDeps


# The win form's block for each input of the use case.
BLOCKS = {
    "text": "win_text",
    "function": "win_function",
    "people": "win_people",
    "partners": "win_partners",
}


def _many(value: str | list[str] | None) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def win_add(ctx: ViewContext) -> Reply:
    data = ctx.input(
        WinRecord,
        blocks=BLOCKS,
        fallback="win_text",
        plan_id=ctx.form.plan_id,
        text=ctx.value("win_text") or "",
        function=ctx.value("win_function"),
        people=_many(ctx.value("win_people")),
        partners=_many(ctx.value("win_partners")),
    )
    win = record_win(ctx.uow, ctx.actor, data)
    return Reply.render("win_celebration.json.j2", in_channel=True, win=win)


def register(app: App, deps: BotDeps) -> None:
    on_view(app, deps, "win_add", errors_on="win_text")(win_add)
