"""`/issue`: add, list, show, update and resolve issues `I-<n>`, problems happening now."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App

from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes
from bot.grammar import ParsedText, refuse_unknown_options
from bot.listeners.views.issue_modals import add_form, changed_reply
from governance.actor import is_user_id
from governance.errors import Invalid
from governance.inputs import validate
from governance.issues.inputs import (
    ISSUE_LISTINGS,
    IssueAdd,
    IssueList,
    IssueResolve,
    IssueShow,
    IssueUpdate,
)
from governance.issues.use_cases import (
    add_issue,
    list_issues,
    resolve_issue,
    show_issue,
    update_issue,
)

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        'add "Title" severity:1-5 [owner:@u] [partner:"Org"] [action:A-3] [function:supply] '
        '["what is happening"]',
        "record a problem happening now; severity is 1–5 or a word (minor, major)",
    ),
    ("add", "with nothing after it, opens the add-issue form"),
    ("list [open|resolved|all]", "open issues (or resolved, or every one), most severe first"),
    ("show I-2", "an issue, its partners, linked actions, the risk it was, and its history"),
    (
        'update I-2 [severity:3] [owner:@u] [action:A-4] ["note"]',
        "change an open issue or link an action (its owner, leads and chairs)",
    ),
    ('resolve I-2 "how"', "resolve an issue, saying how (its owner, leads and chairs)"),
)
SUMMARY = (
    "Issues: problems happening now, often risks that have happened "
    "(`risk materialise R-2` turns one into an issue)."
)
ADD_OPTIONS = ("severity", "owner", "partner", "action", "function")
UPDATE_OPTIONS = ("severity", "owner", "action")

router = CommandRouter("issue", usage=USAGE, summary=SUMMARY)


@router.sub("add", takes=Takes(words=MANY, quoted=2))
def add(ctx: CommandContext) -> Reply:
    args = ctx.args
    if not args.tokens:
        return add_form(ctx.uow, ctx.actor)
    fields = _options(args, ADD_OPTIONS)
    if "severity" not in fields:
        raise Invalid(
            "An issue needs a severity, 1 to 5.",
            hint="For example `severity:4`, or in words `severity:major`.",
        )
    if args.quoted and args.words:
        raise Invalid(f"I didn't understand `{args.words[0]}`: put the whole title in quotes.")
    title = args.quoted[0] if args.quoted else " ".join(args.words)
    if not title:
        raise Invalid('An issue needs a title, in quotes: `"Discharge delays"`.')
    description = args.quoted[1] if len(args.quoted) > 1 else ""
    data = validate(IssueAdd, title=title, description=description, **fields)
    added = add_issue(ctx.uow, ctx.actor, data)
    return changed_reply(ctx.client, ctx.actor, added, in_channel=True)


@router.sub("list", takes=Takes(words=1))
def list_(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    shown = args.words[0].lower() if args.words else "open"
    if shown not in ISSUE_LISTINGS:
        known = ", ".join(f"`{name}`" for name in ISSUE_LISTINGS)
        raise Invalid(f"`{args.words[0]}` isn't a list I know: say {known}.")
    listing = list_issues(ctx.uow, ctx.actor, validate(IssueList, shown=shown))
    return Reply.render("issue_list.json.j2", listing=listing)


@router.sub("show", takes=Takes(words=1))
def show(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    detail = show_issue(ctx.uow, ctx.actor, validate(IssueShow, number=_ref(args)))
    return Reply.render("issue_card.json.j2", issue=detail.issue, history=detail.history)


@router.sub("update", takes=Takes(words=1, quoted=1))
def update(ctx: CommandContext) -> Reply:
    args = ctx.args
    fields = _options(args, UPDATE_OPTIONS)
    note = args.quoted[0] if args.quoted else ""
    data = validate(IssueUpdate, number=_ref(args), note=note, **fields)
    return changed_reply(ctx.client, ctx.actor, update_issue(ctx.uow, ctx.actor, data))


@router.sub("resolve", takes=Takes(words=1, quoted=1))
def resolve(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    number = _ref(args)
    if not args.quoted:
        raise Invalid(
            "Say how it was resolved, in quotes: the board reads it.",
            hint=f'For example `resolve {args.words[0]} "Agency cover agreed with the trust"`.',
        )
    data = validate(IssueResolve, number=number, how=args.quoted[0])
    resolved = resolve_issue(ctx.uow, ctx.actor, data)
    return changed_reply(ctx.client, ctx.actor, resolved, in_channel=True)


def _options(args: ParsedText, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The options typed, as the use-case inputs name them; a typo is refused, not ignored."""
    refuse_unknown_options(args, allowed)
    fields: dict[str, Any] = {}
    for key, value in args.options.items():
        if key == "owner":
            if not is_user_id(value):
                raise Invalid("`owner:` needs a person mentioned with @, like `owner:@sam`.")
            fields["owner_id"] = value
        elif key == "partner":
            fields["partners"] = _listed(value)
        elif key == "action":
            fields["actions"] = _listed(value)
        else:
            fields[key] = value
    return fields


def _listed(value: str) -> tuple[str, ...]:
    """`A-3,A-4` or `"Org A","Org B"`: each item once, quotes and spaces trimmed."""
    items = (item.strip().strip("\"“”'‘’").strip() for item in value.split(","))
    return tuple(item for item in items if item)


def _ref(args: ParsedText) -> str:
    if not args.words:
        raise Invalid("Say which issue, like I-2.")
    return args.words[0]


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
