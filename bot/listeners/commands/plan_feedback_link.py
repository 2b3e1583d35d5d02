"""`/plan feedback-link`: make a public feedback form's link and QR code (`L-<n>`) for a
service area, list the plan's links with the feedback each brought, or revoke one.
Joins `/plan`'s router, whose usage lists the forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import CommandContext, Reply, Takes
from bot.file_uploads import upload_file
from bot.grammar import refuse_unknown_options
from bot.listeners.commands.plan_command import router
from documents.qr_codes import qr_code_png
from governance.errors import Invalid
from governance.feedback_links.inputs import FeedbackLinkMake, FeedbackLinkRevoke
from governance.feedback_links.use_cases import (
    list_feedback_links,
    make_feedback_link,
    revoke_feedback_link,
)
from governance.feedback_links.views import FeedbackLinkView
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps

NO_PUBLIC_URL = "govbot doesn't know the web address people reach it at, so it can't make links."
NO_PUBLIC_URL_HINT = (
    "An administrator sets `GOVBOT_PUBLIC_URL` (for example https://govbot.example.nhs.uk) "
    "and restarts govbot."
)


@router.sub("feedback-link", aliases=("feedback-links",), takes=Takes(words=2, quoted=1))
def feedback_link(ctx: CommandContext) -> Reply:
    args = ctx.args
    public_url = ctx.settings.public_url
    if not public_url:
        raise Invalid(NO_PUBLIC_URL, hint=NO_PUBLIC_URL_HINT)
    words = [word.lower() for word in args.words]
    if words == ["links"] and not args.quoted:
        refuse_unknown_options(args, ())
        listing = list_feedback_links(ctx.uow, ctx.actor, public_url)
        return Reply.render("feedback_link_list.json.j2", listing=listing)
    if words[:1] == ["revoke"]:
        refuse_unknown_options(args, ())
        if len(args.words) != 2 or args.quoted:
            raise Invalid("Say which link to revoke, like `revoke L-2`.")
        data = validate(FeedbackLinkRevoke, link=args.words[1])
        link = revoke_feedback_link(ctx.uow, ctx.actor, data, public_url)
        return Reply.render("feedback_link_revoked.json.j2", link=link)
    refuse_unknown_options(args, ("area",))
    if args.words:
        raise Invalid(
            f"`{args.words[0]}` isn't something `feedback-link` does; "
            'give a service area with `area:"Discharge lounge"`, or use `links` or `revoke L-2`.'
        )
    area = args.options.get("area") or " ".join(args.quoted) or None
    link = make_feedback_link(
        ctx.uow, ctx.actor, validate(FeedbackLinkMake, service_area=area), public_url
    )
    return upload_qr_code(ctx, link)


def upload_qr_code(ctx: CommandContext, link: FeedbackLinkView) -> Reply:
    """The new link's QR code into the channel, ready to print; the link stands either way."""
    where = f" — {link.service_area}" if link.service_area else ""
    problem = upload_file(
        ctx,
        "channel",
        file=qr_code_png(link.address),
        filename=f"feedback-form-{link.ref}.png",
        title=f"Feedback form {link.ref}{where}: QR code to print",
        alt_txt=f"QR code that opens the feedback form at {link.address}",
    )
    return Reply.render("feedback_link_made.json.j2", link=link, problem=problem)


def register(app: App, deps: BotDeps) -> None:
    """Nothing to add here: importing this module put `feedback-link` on /plan's router."""
