"""`/risk`: add, list, show, update and close risks `R-<n>`, scored and shared across partners."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import App

from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes
from bot.grammar import ParsedText, parse_share, refuse_unknown_options
from bot.listeners.commands.challenge_commands import add_challenge_forms, challenge_usage
from bot.listeners.views.risk_modals import add_form, updated_reply
from governance.actor import is_user_id
from governance.errors import Invalid
from governance.inputs import validate
from governance.issues.inputs import RiskMaterialise
from governance.issues.use_cases import materialise_risk
from governance.risks.inputs import (
    RISK_LISTINGS,
    RiskAdd,
    RiskClose,
    RiskList,
    RiskShow,
    RiskUpdate,
)
from governance.risks.use_cases import add_risk, close_risk, list_risks, show_risk, update_risk

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        'add "Title" likelihood:4 impact:5 [owner:@u] [share:"Org A"=60,"Org B"=40] '
        '[lead:"Org B"] [review:+1m] [target:6] [function:supply] [mitigation:"..."]',
        "record a risk; likelihood and impact are 1–5 or words (likely, major)",
    ),
    ("add", "with nothing after it, opens the add-risk form"),
    (
        "list [open|extreme|closed|all] [function:x]",
        "open risks (or extreme, closed or every one), highest score first",
    ),
    ("show R-2", "a risk's score, share and open challenges"),
    (
        'update R-2 [likelihood:3] [impact:4] [mitigation:"..."] [review:...] [share:...] '
        '[lead:"Org"] [owner:@u] [target:6]',
        "change a risk (its owner, leads and chairs)",
    ),
    ('close R-2 ["note"]', "close a risk (its owner, leads and chairs)"),
    (
        'materialise R-2 ["what happened"]',
        "the risk has happened: close it and open an issue I-<n> with its owner, function "
        "and share (its owner, leads and chairs)",
    ),
    *challenge_usage("risk"),
)
SUMMARY = (
    "Risks scored likelihood × impact on the NHS 5×5 matrix (1–3 low, 4–6 moderate, "
    "8–12 high, 15–25 extreme), shared across partners."
)
SCORED_OPTIONS = (
    "likelihood",
    "impact",
    "owner",
    "share",
    "lead",
    "review",
    "target",
    "mitigation",
)
ADD_OPTIONS = (*SCORED_OPTIONS, "function")

router = CommandRouter("risk", usage=USAGE, summary=SUMMARY)
add_challenge_forms(router, "risk")


@router.sub("add", takes=Takes(words=MANY, quoted=1))
def add(ctx: CommandContext) -> Reply:
    args = ctx.args
    if not args.tokens:
        return add_form(ctx.uow, ctx.actor)
    fields = _options(args, ADD_OPTIONS)
    if "likelihood" not in fields or "impact" not in fields:
        raise Invalid(
            "A risk needs a likelihood and an impact, each 1 to 5.",
            hint="For example `likelihood:4 impact:5`, or in words `likelihood:likely "
            "impact:major`.",
        )
    risk = add_risk(ctx.uow, ctx.actor, validate(RiskAdd, title=_title(args), **fields))
    return Reply.render(
        "risk_card.json.j2", risk=risk, event="added", actor_id=ctx.actor.user_id, in_channel=True
    )


@router.sub("list", takes=Takes(words=1))
def list_(ctx: CommandContext) -> Reply:
    args = ctx.args
    fields = _options(args, ("function",))
    shown = args.words[0].lower() if args.words else "open"
    if shown not in RISK_LISTINGS:
        known = ", ".join(f"`{name}`" for name in RISK_LISTINGS)
        raise Invalid(f"`{args.words[0]}` isn't a list I know: say {known}.")
    listing = list_risks(ctx.uow, ctx.actor, validate(RiskList, shown=shown, **fields))
    return Reply.render("risk_list.json.j2", listing=listing)


@router.sub("show", takes=Takes(words=1))
def show(ctx: CommandContext) -> Reply:
    args = ctx.args
    _options(args, ())
    number = _ref(args)
    risk = show_risk(ctx.uow, ctx.actor, validate(RiskShow, number=number))
    return Reply.render("risk_card.json.j2", risk=risk)


@router.sub("update", takes=Takes(words=1))
def update(ctx: CommandContext) -> Reply:
    args = ctx.args
    fields = _options(args, SCORED_OPTIONS)
    number = _ref(args)
    updated = update_risk(ctx.uow, ctx.actor, validate(RiskUpdate, number=number, **fields))
    return updated_reply(updated, ctx.actor)


@router.sub("close", takes=Takes(words=1, quoted=1))
def close(ctx: CommandContext) -> Reply:
    args = ctx.args
    _options(args, ())
    number = _ref(args)
    note = args.quoted[0] if args.quoted else ""
    risk = close_risk(ctx.uow, ctx.actor, validate(RiskClose, number=number, note=note))
    return Reply.render(
        "risk_card.json.j2", risk=risk, event="closed", actor_id=ctx.actor.user_id, in_channel=True
    )


@router.sub("materialise", aliases=("materialize",), takes=Takes(words=1, quoted=1))
def materialise(ctx: CommandContext) -> Reply:
    args = ctx.args
    _options(args, ())
    note = args.quoted[0] if args.quoted else ""
    data = validate(RiskMaterialise, number=_ref(args), note=note)
    happened = materialise_risk(ctx.uow, ctx.actor, data)
    return Reply.render(
        "issue_card.json.j2",
        issue=happened.issue,
        event="materialised",
        actor_id=ctx.actor.user_id,
        in_channel=True,
    )


def _options(args: ParsedText, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The options typed, as the use-case inputs name them; a typo is refused, not ignored."""
    refuse_unknown_options(args, allowed)
    fields: dict[str, Any] = {}
    for key, value in args.options.items():
        if key == "owner":
            if not is_user_id(value):
                raise Invalid(
                    "`owner:` needs a person mentioned with @, like `owner:@sam`.",
                )
            fields["owner_id"] = value
        elif key == "share":
            fields["share"] = tuple(parse_share(value))
        else:
            fields[key] = value
    return fields


def _title(args: ParsedText) -> str:
    if args.quoted and args.words:
        raise Invalid(f"I didn't understand `{args.words[0]}`: put the whole title in quotes.")
    title = args.quoted[0] if args.quoted else " ".join(args.words)
    if not title:
        raise Invalid('A risk needs a title, in quotes: `"Not enough care staff"`.')
    return title


def _ref(args: ParsedText) -> str:
    if not args.words:
        raise Invalid("Say which risk, like R-2.")
    return args.words[0]


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
