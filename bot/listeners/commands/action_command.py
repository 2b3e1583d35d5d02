"""`/action`: add, list, show, update and complete the plan's actions; what they wait on;
challenge and answer.

Changes are answered in the channel, so the team sees them; lists and cards on request are
shown only to whoever asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.action_replies import action_changed_reply
from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes
from bot.grammar import ParsedText, refuse_unknown_options
from bot.listeners.commands.challenge_commands import add_challenge_forms, challenge_usage
from bot.listeners.views.action_modals import add_form
from governance.actions.inputs import (
    ActionAdd,
    ActionDepends,
    ActionDone,
    ActionList,
    ActionRef,
    ActionUpdate,
)
from governance.actions.use_cases import (
    action_form,
    add_action,
    complete_action,
    list_actions,
    show_action,
    update_action,
)
from governance.actor import is_user_id
from governance.dependencies.use_cases import set_dependencies
from governance.errors import Invalid
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        'add "Title" [owner:@u] [function:supply] [due:2027-03-31] [partner:"Org"]',
        "add an action; you own it unless you name an owner",
    ),
    ("", "open the add-action form"),
    (
        'list [mine] [overdue] [red] [all] [function:x] [owner:@u] [partner:"Org"]',
        "the plan's open actions by due date; filters combine",
    ),
    (
        "show A-3",
        "an action with its history, open challenges and what it waits on (and what waits on it)",
    ),
    (
        'update A-3 [status:amber] [progress:40] [due:2027-03-31] [owner:@u] ["note"]',
        "owners update their own; leads and chairs any",
    ),
    ('done A-3 ["note"]', "mark an action done"),
    ("depends A-5 on:A-3,A-4", "A-5 waits on A-3 and A-4 (in place of what it waited on)"),
    ("depends A-5 none", "A-5 waits on nothing"),
    *challenge_usage("action"),
)
SUMMARY = "The plan's actions A-<n>: owners, status (BRAG), progress and history."
LIST_WORDS = ("mine", "overdue", "red", "all")
# A reply holds at most 50 blocks: a heading, the actions shown and a line saying how many more.
LIST_LIMIT = 40


def open_add_form(ctx: CommandContext) -> Reply:
    return add_form(action_form(ctx.uow, ctx.actor), ctx.actor.user_id)


router = CommandRouter("action", usage=USAGE, summary=SUMMARY, default=open_add_form)
add_challenge_forms(router, "action")


@router.sub("add", takes=Takes(words=MANY, quoted=1))
def add(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("owner", "function", "due", "partner"))
    if args.quoted and args.words:
        raise Invalid('Put the whole title in one pair of "double quotes".')
    title = args.quoted[0] if args.quoted else " ".join(args.words)
    if not title:
        raise Invalid('Give the action a title in "double quotes".')
    data = validate(
        ActionAdd,
        title=title,
        owner_id=user_option(args, "owner"),
        function=args.options.get("function"),
        due=args.options.get("due"),
        partner=args.options.get("partner"),
    )
    added = add_action(ctx.uow, ctx.actor, data)
    return action_changed_reply(ctx.client, ctx.actor, added, "added", in_channel=True)


@router.sub("list", aliases=("ls",), takes=Takes(words=MANY))
def list_(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("function", "owner", "partner"))
    words = [w.lower() for w in args.words]
    unknown = [w for w in args.words if w.lower() not in LIST_WORDS]
    if unknown:
        raise Invalid(
            f"{unknown[0]} isn't a filter I know.",
            hint='Filters: mine, overdue, red, all, function:x, owner:@u, partner:"Org".',
        )
    data = validate(
        ActionList,
        mine="mine" in words,
        overdue="overdue" in words,
        red="red" in words,
        include_closed="all" in words,
        function=args.options.get("function"),
        owner_id=user_option(args, "owner"),
        partner=args.options.get("partner"),
    )
    listing = list_actions(ctx.uow, ctx.actor, data, limit=LIST_LIMIT)
    return Reply.render(
        "action_list.json.j2",
        listing=listing,
    )


@router.sub("show", takes=Takes(words=1))
def show(ctx: CommandContext) -> Reply:
    refuse_unknown_options(ctx.args, ())
    detail = show_action(ctx.uow, ctx.actor, validate(ActionRef, ref=the_ref(ctx.args)))
    return Reply.render(
        "action_card.json.j2",
        action=detail.action,
        history=detail.history,
        challenges=detail.open_challenges,
        links=detail.links,
    )


@router.sub("update", takes=Takes(words=1, quoted=MANY, guess_option="status"))
def update(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("status", "progress", "due", "owner"))
    ref = the_ref(args)
    data = validate(
        ActionUpdate,
        ref=ref,
        status=args.options.get("status"),
        progress=args.options.get("progress"),
        due=args.options.get("due"),
        owner_id=user_option(args, "owner"),
        note=" ".join(args.quoted),
    )
    changed = update_action(ctx.uow, ctx.actor, data)
    return action_changed_reply(ctx.client, ctx.actor, changed, "updated", in_channel=True)


@router.sub("done", aliases=("complete",), takes=Takes(words=1, quoted=MANY))
def done(ctx: CommandContext) -> Reply:
    refuse_unknown_options(ctx.args, ())
    data = validate(ActionDone, ref=the_ref(ctx.args), note=" ".join(ctx.args.quoted))
    changed = complete_action(ctx.uow, ctx.actor, data)
    return action_changed_reply(ctx.client, ctx.actor, changed, "done", in_channel=True)


@router.sub("depends", takes=Takes(words=2))
def depends(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("on",))
    ref = the_ref(args)
    cleared = args.words[1:]
    if cleared and cleared[0].lower() != "none":
        raise Invalid(f"`{cleared[0]}` isn't something `depends` takes. It takes:")
    listed = args.options.get("on")
    if (listed is None) == (not cleared):
        raise Invalid(
            f"Say what {ref} waits on with `on:A-3,A-4`, or `none` to clear it; not both."
            if cleared
            else f"Say what {ref} waits on with `on:A-3,A-4`, or `none` to clear it."
        )
    on = tuple(item for item in (listed or "").split(",") if item.strip())
    if listed is not None and not on:
        raise Invalid("`on:` needs the actions it waits on, like `on:A-3,A-4`.")
    change = set_dependencies(ctx.uow, ctx.actor, validate(ActionDepends, ref=ref, on=on))
    return Reply.render(
        "action_depends.json.j2", change=change, actor_id=ctx.actor.user_id, in_channel=True
    )


def the_ref(args: ParsedText) -> str:
    """The reference the form starts with (`A-3`)."""
    if not args.words:
        raise Invalid("Say which action, like A-3.")
    return args.words[0]


def user_option(args: ParsedText, key: str) -> str | None:
    """A `key:@someone` option as the Slack user id; a name typed without @ is refused."""
    value = args.options.get(key)
    if value is None:
        return None
    if not is_user_id(value):
        raise Invalid(
            f"`{key}:` needs an @mention, like `{key}:@alice`; “{value}” isn't one.",
            hint="Type @ and pick the person from Slack's list.",
        )
    return value


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
