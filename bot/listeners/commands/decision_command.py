"""`/decision`: propose, agree, reject, defer, list and show decisions `D-<n>`, with the
evidence they rest on and what they affect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes
from bot.grammar import ParsedText, parse_list, refuse_unknown_options
from bot.listeners.views.decision_modals import open_form, proposed_reply
from governance.decisions.inputs import (
    DECISION_LISTINGS,
    DecisionDecide,
    DecisionList,
    DecisionPropose,
    DecisionShow,
)
from governance.decisions.rules import Outcome
from governance.decisions.use_cases import (
    AlreadyDecided,
    decide,
    list_decisions,
    propose_decision,
    show_decision,
)
from governance.errors import Invalid
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        'propose "Title" ["what is proposed"] [because:"..."] [informed-by:M-2,R-1,F-4] '
        '[affects:A-3,R-2,"Org"] [supersedes:D-2]',
        "propose a decision for the board (any member); it supersedes D-2 once agreed",
    ),
    ("propose", "with nothing after it, opens the propose form"),
    ("", "open the propose form"),
    (
        'agree D-3 ["note"] [forum:"People Board 12 Jan"]',
        "record that it was agreed, and where (chairs and leads)",
    ),
    ('reject D-3 ["note"] [forum:"..."]', "record that it was rejected (chairs and leads)"),
    (
        'defer D-3 until:2027-02-09 ["note"] [forum:"..."]',
        "put it off to a later date (chairs and leads)",
    ),
    (
        "list [proposed|agreed|all]",
        "decisions awaiting the board (proposed or deferred), agreed ones, or every one",
    ),
    ("show D-3", "the whole story: reasons, the evidence as it stands now, and the outcome"),
)
SUMMARY = (
    "The board's decisions: what was proposed and why, the evidence that informed it, "
    "and who decided, when and where."
)
PROPOSE_OPTIONS = ("because", "informed-by", "affects", "supersedes")


router = CommandRouter("decision", usage=USAGE, summary=SUMMARY, default=open_form)


@router.sub("propose", takes=Takes(words=MANY, quoted=2))
def propose(ctx: CommandContext) -> Reply:
    args = ctx.args
    if not args.tokens:
        return open_form(ctx)
    refuse_unknown_options(args, PROPOSE_OPTIONS)
    options = args.options
    data = validate(
        DecisionPropose,
        title=_title(args),
        proposal=args.quoted[1] if len(args.quoted) > 1 else "",
        reasons=options.get("because", ""),
        informed_by=tuple(parse_list(options.get("informed-by", ""))),
        affects=tuple(parse_list(options.get("affects", ""))),
        supersedes=options.get("supersedes") or None,
    )
    return proposed_reply(propose_decision(ctx.uow, ctx.actor, data), ctx.actor.user_id)


def _decide(outcome: Outcome, allowed: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def handler(ctx: CommandContext) -> Reply:
        args = ctx.args
        refuse_unknown_options(args, allowed)
        if not args.words:
            raise Invalid("Say which decision, like D-3.")
        data = validate(
            DecisionDecide,
            number=args.words[0],
            outcome=outcome,
            note=args.quoted[0] if args.quoted else "",
            **args.options,
        )
        try:
            decision = decide(ctx.uow, ctx.actor, data)
        except AlreadyDecided as refused:
            return Reply.render(
                "decision_card.json.j2", decision=refused.current, notice=refused.message
            )
        return Reply.render(
            "decision_card.json.j2",
            decision=decision,
            event=decision.status.value,
            actor_id=ctx.actor.user_id,
            in_channel=True,
        )

    handler.__name__ = outcome.value
    return handler


DECIDE_TAKES = Takes(words=1, quoted=1)
router.sub("agree", takes=DECIDE_TAKES)(_decide(Outcome.AGREE, ("forum",)))
router.sub("reject", takes=DECIDE_TAKES)(_decide(Outcome.REJECT, ("forum",)))
router.sub("defer", takes=DECIDE_TAKES)(_decide(Outcome.DEFER, ("until", "forum")))


@router.sub("list", takes=Takes(words=1))
def list_(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    shown = args.words[0].lower() if args.words else "proposed"
    if shown not in DECISION_LISTINGS:
        known = ", ".join(f"`{name}`" for name in DECISION_LISTINGS)
        raise Invalid(f"`{args.words[0]}` isn't a list I know: say {known}.")
    listing = list_decisions(ctx.uow, ctx.actor, validate(DecisionList, shown=shown))
    return Reply.render("decision_list.json.j2", listing=listing)


@router.sub("show", takes=Takes(words=1))
def show(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    if not args.words:
        raise Invalid("Say which decision, like D-3.")
    decision = show_decision(ctx.uow, ctx.actor, validate(DecisionShow, number=args.words[0]))
    return Reply.render("decision_card.json.j2", decision=decision)


def _title(args: ParsedText) -> str:
    if args.quoted and args.words:
        raise Invalid(f"I didn't understand `{args.words[0]}`: put the whole title in quotes.")
    title = args.quoted[0] if args.quoted else " ".join(args.words)
    if not title:
        raise Invalid('A decision needs a title, in quotes: `"Fund 20 rotational posts"`.')
    return title


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
