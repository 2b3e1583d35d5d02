"""`/win`: celebrate success in the channel, crediting people and partner organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes
from bot.grammar import refuse_unknown_options
from governance.inputs import validate
from governance.wins.inputs import WinList, WinRecord
from governance.wins.use_cases import list_wins, record_win, win_form

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        '"what went well" [function:x] [@people] [partner:"Org"]',
        "celebrate it in this channel",
    ),
    ("", "open the win form"),
    ("list", "the plan's recent wins"),
)
SUMMARY = "Celebrate success and share learning."
OPTIONS = ("function", "partner", "partners")


def open_form(ctx: CommandContext) -> Reply:
    return Reply.render("win_add_modal.json.j2", form=win_form(ctx.uow, ctx.actor))


def celebrate(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, OPTIONS)
    text = " ".join(args.quoted) or " ".join(args.words)
    partners = args.options.get("partner") or args.options.get("partners") or ""
    data = validate(
        WinRecord,
        text=text,
        function=args.options.get("function"),
        people=tuple(args.users),
        partners=tuple(name.strip().strip("\"“”'‘’") for name in partners.split(",")),
    )
    win = record_win(ctx.uow, ctx.actor, data)
    return Reply.render("win_celebration.json.j2", in_channel=True, win=win)


router = CommandRouter(
    "win",
    usage=USAGE,
    summary=SUMMARY,
    default=open_form,
    fallback=celebrate,
    fallback_takes=Takes(words=MANY, quoted=MANY, users=MANY),
)


@router.sub("list")
def list_(ctx: CommandContext) -> Reply:
    listing = list_wins(ctx.uow, ctx.actor, validate(WinList))
    return Reply.render("win_list.json.j2", listing=listing)


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
