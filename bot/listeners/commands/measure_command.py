"""`/measure`: workforce measures `M-<n>` read as SPC charts; with no text, the monthly form."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.command_router import (
    MANY,
    CommandContext,
    CommandRouter,
    Reply,
    Takes,
    error_reply,
    log_failure,
)
from bot.grammar import ParsedText, refuse_unknown_options
from documents.measure_chart import measure_chart_alt_text, measure_chart_png
from governance.errors import Invalid
from governance.inputs import validate
from governance.measures.inputs import (
    MeasureAdd,
    MeasureGrace,
    MeasureList,
    MeasureRebase,
    MeasureRecord,
    MeasureRetire,
    MeasureShow,
)
from governance.measures.presets import PRESETS
from governance.measures.use_cases import (
    add_measure,
    list_measures,
    measure_form,
    rebase_measure,
    record_value,
    retire_measure,
    set_grace,
    show_measure,
)
from governance.measures.views import MeasureView

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        'add "Vacancy rate" unit:% better:down [target:8] [partner:"Org"] [function:supply] '
        '[source:"ESR"] [frequency:monthly|weekly|quarterly] [baseline:12] [owner:@u]',
        "add a measure (data leads, leads and chairs)",
    ),
    (
        'add preset:vacancy-rate [partner:"Org"]',
        "start from a preset: " + ", ".join(p.key for p in PRESETS),
    ),
    ('record M-1 9.2 [period:2026-11] ["note"]', "record a value; again for a period corrects it"),
    ("", "the monthly form: a value for every active measure at once"),
    ("list [retired|all]", "the plan's measures with their SPC reading"),
    ("show M-1", "the last values, the SPC reading and the chart"),
    ('rebase M-1 from:2026-04 "why"', "new process limits from a period where the process changed"),
    ('retire M-1 ["why"]', "stop taking values; the history stays"),
    ("grace 5", "days after a period ends before owners are nudged for its value (leads, chairs)"),
)
SUMMARY = (
    "Workforce measures read as SPC charts the Making Data Count way: common cause, special "
    "cause improvement or concern, and assurance against a target."
)
ADD_OPTIONS = (
    "preset",
    "unit",
    "better",
    "target",
    "partner",
    "function",
    "source",
    "frequency",
    "baseline",
    "owner",
)
USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
RECENT_SHOWN = 6


def open_form(ctx: CommandContext) -> Reply:
    return Reply.render("measure_form_modal.json.j2", form=measure_form(ctx.uow, ctx.actor))


router = CommandRouter("measure", usage=USAGE, summary=SUMMARY, default=open_form)


def changed_card(ctx: CommandContext, measure: MeasureView, event: str) -> Reply:
    """The measure's card in the channel, saying who changed it and how (`added`, …)."""
    return Reply.render(
        "measure_card.json.j2",
        measure=measure,
        event=event,
        actor_id=ctx.actor.user_id,
        recent=RECENT_SHOWN,
        in_channel=True,
    )


@router.sub("add", takes=Takes(words=MANY, quoted=1))
def add(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ADD_OPTIONS)
    fields: dict[str, Any] = {k: v for k, v in args.options.items() if k != "owner"}
    if "owner" in args.options:
        if not USER_ID.match(args.options["owner"]):
            raise Invalid("`owner:` needs a person mentioned with @, like `owner:@sam`.")
        fields["owner_id"] = args.options["owner"]
    if len(args.quoted) > 1 or (args.quoted and args.words):
        raise Invalid('Give the measure one name, in quotes: `"Vacancy rate"`.')
    _refuse_mentions(args)
    name = " ".join(args.quoted or args.words) or None
    measure = add_measure(ctx.uow, ctx.actor, validate(MeasureAdd, name=name, **fields))
    return changed_card(ctx, measure, "added")


@router.sub("record", takes=Takes(words=2, quoted=1))
def record(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("period",))
    _refuse_mentions(args)
    if len(args.words) < 2:
        raise Invalid("Say which measure and the value, like `record M-1 9.2`.")
    if len(args.words) > 2 or len(args.quoted) > 1:
        raise Invalid('Put a note in quotes after the value: `record M-1 9.2 "why"`.')
    data = validate(
        MeasureRecord,
        number=args.words[0],
        value=args.words[1],
        period=args.options.get("period"),
        note=args.quoted[0] if args.quoted else "",
    )
    recorded = record_value(ctx.uow, ctx.actor, data)
    return Reply.render("measure_recorded.json.j2", recorded=recorded, in_channel=True)


@router.sub("list", takes=Takes(words=1))
def list_(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    _refuse_mentions(args)
    words = [w.lower() for w in args.words]
    if len(words) > 1 or args.quoted or (words and words[0] not in ("retired", "all")):
        raise Invalid("`list` takes nothing, `retired` or `all`.")
    shown = words[0] if words else "active"
    listing = list_measures(ctx.uow, ctx.actor, validate(MeasureList, shown=shown))
    return Reply.render("measure_list.json.j2", listing=listing)


@router.sub("show", takes=Takes(words=1))
def show(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    _refuse_mentions(args)
    if len(args.words) != 1 or args.quoted:
        raise Invalid("Say which measure, like `show M-1`.")
    measure = show_measure(ctx.uow, ctx.actor, validate(MeasureShow, number=args.words[0]))
    reply = Reply.render("measure_card.json.j2", measure=measure, recent=RECENT_SHOWN)
    if not measure.points:
        return reply
    return Reply(text=reply.text, blocks=reply.blocks, after=lambda: upload_chart(ctx, measure))


@router.sub("rebase", takes=Takes(words=1, quoted=1))
def rebase(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("from",))
    _refuse_mentions(args)
    if len(args.words) != 1 or "from" not in args.options or len(args.quoted) != 1:
        raise Invalid(
            "Say which measure, the period the new limits start from and why.",
            hint='Like `rebase M-1 from:2026-04 "new e-rostering went live"`.',
        )
    data = validate(
        MeasureRebase,
        number=args.words[0],
        period=args.options["from"],
        reason=args.quoted[0],
    )
    measure = rebase_measure(ctx.uow, ctx.actor, data)
    return changed_card(ctx, measure, "rebased")


@router.sub("retire", takes=Takes(words=1, quoted=1))
def retire(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    _refuse_mentions(args)
    if len(args.words) != 1 or len(args.quoted) > 1:
        raise Invalid('Say which measure, like `retire M-1 "replaced by M-4"`.')
    data = validate(MeasureRetire, number=args.words[0], note=args.quoted[0] if args.quoted else "")
    measure = retire_measure(ctx.uow, ctx.actor, data)
    return changed_card(ctx, measure, "retired")


@router.sub("grace", takes=Takes(words=1))
def grace(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ())
    _refuse_mentions(args)
    typed = args.words[0].lower().removesuffix("d") if len(args.words) == 1 else ""
    if not typed.isdigit() or args.quoted:
        raise Invalid("Give the grace period in days, like `grace 5`.")
    changed = set_grace(ctx.uow, ctx.actor, validate(MeasureGrace, days=int(typed)))
    return Reply.plain(
        f"Owners of {changed.plan_name}'s measures are now nudged for a missing value "
        f"{changed.days} days after its period ends."
    )


def upload_chart(ctx: CommandContext, measure: MeasureView) -> Reply | None:
    """Draw the measure's chart and upload it to the channel, after the answer is sent."""
    # matplotlib is slow to import: only when drawing, as the digest's chart does.
    try:
        ctx.client.files_upload_v2(
            channel=ctx.actor.channel_id,
            file=measure_chart_png(measure),
            filename=f"{measure.ref}-spc.png",
            title=f"{measure.ref} {measure.title}: SPC chart",
            alt_txt=measure_chart_alt_text(measure)[:1000],
        )
    except SlackApiError as exc:
        log_failure("uploading a measure chart", exc)
        if exc.response.get("error") in ("not_in_channel", "channel_not_found"):
            return error_reply(
                "govbot couldn't upload the chart here because it isn't in this channel.",
                hint="Invite it with `/invite @govbot`, then show the measure again.",
            )
        return error_reply("Slack didn't take the chart just now. Please try again in a minute.")
    return None


def _refuse_mentions(args: ParsedText) -> None:
    if args.users:
        raise Invalid(
            "I didn't expect someone mentioned here.", hint="To name an owner, use `owner:@sam`."
        )


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
