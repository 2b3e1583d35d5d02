"""`/feedback`: give feedback (named or anonymous), read it, answer it ("you said, we did").

Nothing here logs who gave feedback: anonymous feedback must leave no trace of its giver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk.errors import SlackClientError

from bot.command_router import MANY, CommandContext, CommandRouter, Reply, Takes, log_failure
from bot.grammar import refuse_unknown_options
from governance.errors import Invalid
from governance.feedback.inputs import FeedbackAnswer, FeedbackGive, FeedbackList
from governance.feedback.use_cases import (
    answer_feedback,
    feedback_form,
    give_feedback,
    list_feedback,
)
from governance.feedback.views import FeedbackView
from governance.hints import Command, Hint
from governance.inputs import validate
from governance.people.pseudonyms import is_pseudonym

if TYPE_CHECKING:
    from bot.deps import BotDeps

USAGE = (
    (
        'staff|service-user|carer|partner "text" [function:x] [rating:1-5] [area:"Service"] '
        "[anonymous]",
        "give feedback; `anonymous` keeps no record of who gave it",
    ),
    ("", "open the feedback form"),
    ("list [function:x]", "read the plan's feedback (leads, chairs and data leads)"),
    (
        'answer F-4 "what we did" [action:A-3] [public]',
        "you said, we did (leads and chairs); `public` shows it on the plan's feedback form",
    ),
)
SUMMARY = "Feedback from frontline staff, service users, carers and partners."
ANONYMOUS_WORDS = ("anonymous", "anonymously", "anon")
GIVE_OPTIONS = ("function", "rating", "area", "source")


def open_form(ctx: CommandContext) -> Reply:
    return Reply.render("feedback_give_modal.json.j2", form=feedback_form(ctx.uow, ctx.actor))


def give(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, GIVE_OPTIONS)
    words = [w for w in args.words if w.lower() not in ANONYMOUS_WORDS]
    source = args.options.get("source") or " ".join(words)
    if not source:
        raise Invalid("Say who the feedback is from: staff, service-user, carer or partner.")
    if not args.quoted:
        raise Invalid(
            'Put the feedback itself in "double quotes".',
            hint=Hint("For example: {}.", Command("feedback", 'staff "Handover takes too long"')),
        )
    data = validate(
        FeedbackGive,
        source=source,
        text=" ".join(args.quoted),
        function=args.options.get("function"),
        rating=args.options.get("rating"),
        service_area=args.options.get("area"),
        anonymous=len(words) < len(args.words),
    )
    given = give_feedback(ctx.uow, ctx.actor, data)
    return Reply.render("feedback_given.json.j2", feedback=given, modal=False)


router = CommandRouter(
    "feedback",
    usage=USAGE,
    summary=SUMMARY,
    default=open_form,
    fallback=give,
    fallback_takes=Takes(words=MANY, quoted=MANY),
)


@router.sub("list", takes=Takes(words=MANY))
def list_(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("function",))
    function = args.options.get("function") or " ".join(args.words) or None
    listing = list_feedback(ctx.uow, ctx.actor, validate(FeedbackList, function=function))
    return Reply.render("feedback_list.json.j2", listing=listing)


@router.sub("answer", takes=Takes(words=2, quoted=MANY))
def answer(ctx: CommandContext) -> Reply:
    args = ctx.args
    refuse_unknown_options(args, ("action",))
    if not args.words:
        raise Invalid("Say which feedback you are answering, like F-4.")
    if not args.quoted:
        raise Invalid('Put what was done in "double quotes".')
    extra = [word for word in args.words[1:] if word.lower() != "public"]
    if extra:
        raise Invalid(f"`{extra[0]}` isn't part of an answer; only `public` may follow it.")
    data = validate(
        FeedbackAnswer,
        feedback=args.words[0],
        text=" ".join(args.quoted),
        action=args.options.get("action"),
        public=len(args.words) > 1,
    )
    answered = answer_feedback(ctx.uow, ctx.actor, data)
    notified = tell_giver(ctx, answered)
    return Reply.render("feedback_answered.json.j2", feedback=answered, notified=notified)


def tell_giver(ctx: CommandContext, answered: FeedbackView) -> bool:
    """Send a named giver the answer by DM; anonymous feedback has no one to tell."""
    giver = answered.author_id
    if giver is None or giver == ctx.actor.user_id or is_pseudonym(giver):
        return False
    message = Reply.render("feedback_answered_dm.json.j2", feedback=answered).message()
    try:
        ctx.client.chat_postMessage(channel=giver, **message)
    except (SlackClientError, OSError) as exc:  # refused, failing, unreachable, slow
        log_failure("telling feedback's giver of the answer", exc)
        return False
    return True


def register(app: App, deps: BotDeps) -> None:
    router.register(app, deps)
