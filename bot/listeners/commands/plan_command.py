"""`/plan`: the plan's overview, setup, people functions, partners, roles, board and settings,
and exports (CSV files and Excel workbooks).

`router` is module-level so `/plan digest` and `/plan feedback-link` can be registered from
their own modules with `@router.sub(...)`; their forms are already listed in USAGE.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient

from bot.action_replies import tell
from bot.command_router import (
    MANY,
    CommandContext,
    CommandRouter,
    Reply,
    Takes,
    error_reply,
)
from bot.file_uploads import upload_file
from bot.grammar import refuse_unknown_options
from bot.people_names import names_for
from bot.rendering import command
from documents.workbooks import book_workbook, table_workbook
from governance.actions.status import ActionStatus
from governance.errors import Invalid
from governance.exports import (
    EXPORT_KINDS,
    export_book,
    export_rows,
    to_csv,
)
from governance.inputs import validate
from governance.people_functions.overview import functions_overview
from governance.plans.inputs import (
    SECTOR_FORM,
    MemberSettingsChange,
    PartnerAdd,
    PlanBoard,
    PlanSettingsChange,
    PlanSetup,
    RoleChange,
)
from governance.plans.settings_use_cases import (
    show_settings,
    update_member_preferences,
    update_settings,
)
from governance.plans.use_cases import (
    add_partner,
    list_partners,
    list_roles,
    plan_overview,
    set_board_channel,
    set_role,
    setup_plan,
)
from governance.risks.rules import RiskGrade

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    ("", "overview of this channel's plan"),
    ('setup "Name" [tz:Europe/London]', "link this channel to a new plan; you become its lead"),
    ("functions", "the 10 people functions: actions, RAG, gaps"),
    ("partners", "the plan's partner organisations"),
    (
        'partners add "Org" sector:nhs|council|social-care|vcse|primary-care',
        "add a partner (leads and chairs)",
    ),
    ("roles", "everyone with a role in the plan, by role"),
    ("role @user chair|lead|data-lead|member", "give someone a role (leads and chairs)"),
    ("board #channel", "where the weekly digest goes (leads and chairs)"),
    (
        "settings [digest:mon@09:00] [nudges:09:00] [quiet:weekends|none] [anonymity:5-20] "
        "[tz:Europe/London] [retention:24m] [issues:14d] [report:first-mon@08:00|none]",
        "the plan's settings (leads and chairs change them; retention and issues: leads only)",
    ),
    (
        "settings me [days:mon,tue,thu] [away:2026-12-24|none] [tz:Europe/London]",
        "your own working days, time away and timezone, for nudges",
    ),
    ("digest [post]", "preview the weekly digest, or post it to the board channel now"),
    (f"export {'|'.join(EXPORT_KINDS)} [xlsx]", "a CSV file for board papers, or a workbook"),
    ("export all xlsx", "one workbook, a sheet for each (feedback only for its readers)"),
    (
        "report [month:2026-11] [post]",
        "the board paper as a PDF: to you, or `post` to the board channel (leads and chairs)",
    ),
    (
        "import",
        "bring in a CSV or Excel file of actions or risks: a preview first (leads and chairs)",
    ),
    (
        'feedback-link [area:"Discharge lounge"]',
        "a public feedback form's link and QR code, for people not in Slack "
        "(leads, chairs and data leads)",
    ),
    ("feedback-link links | revoke L-2", "the plan's feedback links, or stop one"),
)
SUMMARY = "The channel's integrated workforce plan."
PLAN_OPTIONS = ("digest", "nudges", "quiet", "anonymity", "tz", "retention", "issues", "report")
MEMBER_OPTIONS = ("days", "away", "tz")


def overview(ctx: CommandContext) -> Reply:
    return Reply.render(
        "plan_overview.json.j2",
        overview=plan_overview(ctx.uow, ctx.actor),
        statuses=list(ActionStatus),
        grades=list(RiskGrade),
    )


router = CommandRouter("plan", usage=USAGE, summary=SUMMARY, default=overview)


@router.sub("setup", takes=Takes(words=MANY, quoted=1))
def setup(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("tz",))
    if args.quoted and args.words:
        raise Invalid(f"I didn't understand `{args.words[0]}`: put the whole name in quotes.")
    name = " ".join(args.quoted or args.words)
    if not name:
        raise Invalid('Give the plan a name in "double quotes".')
    data = validate(PlanSetup, name=name, timezone=args.options.get("tz", ctx.settings.timezone))
    plan = setup_plan(ctx.uow, ctx.actor, data)
    return Reply.render(
        "plan_setup.json.j2",
        in_channel=True,
        plan=plan,
        actor_id=ctx.actor.user_id,
    )


@router.sub("functions", aliases=("function",))
def functions(ctx: CommandContext) -> Reply:
    return Reply.render(
        "plan_functions.json.j2",
        overview=functions_overview(ctx.uow, ctx.actor),
    )


@router.sub("partners", aliases=("partner",), takes=Takes(words=MANY, quoted=1))
def partners(ctx: CommandContext) -> Reply:
    args = ctx.args
    first = args.words[0].lower() if args.words else None
    if first is None and not args.quoted and not args.options:
        listing = list_partners(ctx.uow, ctx.actor)
    elif first == "add":
        refuse_unknown_options(args, ("sector",))
        name = " ".join(args.quoted or args.words[1:])
        if not name:
            raise Invalid('Give the partner\'s name in "double quotes".')
        if "sector" not in args.options:
            raise Invalid(f"Say the partner's sector: `sector:` {SECTOR_FORM}.")
        data = validate(PartnerAdd, name=name, sector=args.options["sector"])
        listing = add_partner(ctx.uow, ctx.actor, data)
    else:
        raise Invalid(f"`{command('plan', 'partners')}` lists the partners; `add` adds one.")
    return Reply.render("plan_partners.json.j2", listing=listing)


@router.sub("role", takes=Takes(words=MANY, users=1))
def role(ctx: CommandContext) -> Reply:
    """Give a role; the person is told by DM, and a lead or chair made or unmade is posted in
    the channel."""
    args = ctx.args
    refuse_unknown_options(args, ())
    if len(args.users) != 1:
        raise Invalid("Mention one person, like `@Sam`, and the role to give them.")
    if not args.words:
        raise Invalid("Say the role to give: chair, lead, data-lead or member.")
    data = validate(RoleChange, user_id=args.users[0], role=" ".join(args.words))
    change = set_role(ctx.uow, ctx.actor, data)
    if change.changed and change.user_id != ctx.actor.user_id:
        notice = Reply.render("plan_role.json.j2", change=change, audience="person")
        tell(ctx.client, [change.user_id], notice, "telling someone of their new role")
    return Reply.render(
        "plan_role.json.j2", change=change, audience="channel", in_channel=change.announced
    )


@router.sub("roles")
def roles(ctx: CommandContext) -> Reply:
    refuse_unknown_options(ctx.args, ())
    return Reply.render("plan_roles.json.j2", listing=list_roles(ctx.uow, ctx.actor))


@router.sub("board", takes=Takes(channels=1))
def board(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    if len(args.channels) != 1:
        raise Invalid("Pick the board's channel with `#`, like `#people-board`.")
    plan = set_board_channel(ctx.uow, ctx.actor, validate(PlanBoard, channel_id=args.channels[0]))
    return Reply.render("plan_board.json.j2", plan=plan)


@router.sub("settings", aliases=("setting",), takes=Takes(words=MANY))
def settings(ctx: CommandContext) -> Reply:
    args = ctx.args
    words = [w.lower() for w in args.words]
    if words[:1] == ["me"]:
        refuse_unknown_options(args, MEMBER_OPTIONS)
        if len(words) > 1:
            raise Invalid(f"`{args.words[1]}` isn't a setting; use `days:`, `away:` or `tz:`.")
        change = validate(MemberSettingsChange, **{k: args.options[k] for k in args.options})
        view = (
            update_member_preferences(ctx.uow, ctx.actor, change)
            if not change.is_empty
            else show_settings(ctx.uow, ctx.actor)
        )
    else:
        refuse_unknown_options(args, PLAN_OPTIONS)
        if words:
            raise Invalid(f"`{args.words[0]}` isn't a setting; settings are `key:value`.")
        plan_change = validate(PlanSettingsChange, **{k: args.options[k] for k in args.options})
        view = (
            update_settings(ctx.uow, ctx.actor, plan_change)
            if not plan_change.is_empty
            else show_settings(ctx.uow, ctx.actor)
        )
    return Reply.render("plan_settings.json.j2", settings=view)


@router.sub("export", takes=Takes(words=MANY))
def export(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    words = [word.lower() for word in args.words]
    workbook = len(words) == 2 and words[1] == "xlsx"
    if len(words) == 2 and words[1] == "csv":
        words.pop()
    kind = words[0] if len(words) == 1 or workbook else ""
    if kind == "all":
        if not workbook:
            raise Invalid("A CSV file holds one table: add `xlsx` for one workbook of them all.")
        return export_all(ctx)
    if kind not in EXPORT_KINDS:
        raise Invalid(
            f"Say what to export: {', '.join(EXPORT_KINDS[:-1])} or {EXPORT_KINDS[-1]}, "
            "with `xlsx` after it for an Excel workbook; or `all xlsx` for everything."
        )
    table = export_rows(ctx.uow, ctx.actor, kind)
    table = table.with_people_named(people_names(ctx.client, table.person_ids))
    # Feedback goes only to the person who may read it, never to everyone in the channel.
    where = "dm" if kind == "feedback" else "channel"
    if workbook:
        content, filename = table_workbook(table), f"{table.stem}.xlsx"
    else:
        content, filename = to_csv(table), table.filename
    title = f"{table.plan_name}: {table.kind} ({table.on.isoformat()})"
    failed = upload(ctx, where, content=content, filename=filename, title=title)
    return failed or Reply.render(
        "plan_export.json.j2", table=table, filename=filename, where=where
    )


def export_all(ctx: CommandContext) -> Reply:
    """Every kind the person may export in one workbook; to their DM when it holds feedback."""
    book = export_book(ctx.uow, ctx.actor)
    book = book.with_people_named(people_names(ctx.client, book.person_ids))
    where = "dm" if book.has("feedback") else "channel"
    filename = f"{book.stem}.xlsx"
    title = f"{book.plan_name}: all exports ({book.on.isoformat()})"
    failed = upload(ctx, where, content=book_workbook(book), filename=filename, title=title)
    return failed or Reply.render(
        "plan_export_book.json.j2", book=book, filename=filename, where=where
    )


def people_names(client: WebClient, user_ids: set[str]) -> dict[str, str]:
    """Names for the people in an export's person columns, so a board paper shows names."""
    return names_for(client, user_ids, "an export")


def upload(ctx: CommandContext, where: str, **file: bytes | str) -> Reply | None:
    """Upload an export to the channel, or to the person's DM with govbot.

    Returns a refusal to show when Slack would not take the file.
    """
    problem = upload_file(ctx, where, **file)
    return error_reply(problem.message, hint=problem.hint) if problem else None


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
