"""`/plan digest`: preview the weekly digest (only you see it), or `post` it to the board
channel now. Joins `/plan`'s router, whose usage already lists the form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import MANY, CommandContext, Reply, Takes, error_reply
from bot.grammar import refuse_unknown_options
from bot.jobs import JobRunner, digest_message
from bot.listeners.commands.plan_command import router
from governance.errors import Invalid
from governance.inputs import validate
from governance.jobs.digest import PlanDigest, digest_to_post, preview_digest

if TYPE_CHECKING:
    from bot.deps import BotDeps


@router.sub("digest", takes=Takes(words=MANY))
def digest(ctx: CommandContext) -> Reply:
    refuse_unknown_options(ctx.args, ())
    words = [word.lower() for word in ctx.args.words]
    if words not in ([], ["post"]):
        raise Invalid("`digest` takes nothing (a preview) or `post` (post it now).")
    request = validate(PlanDigest)
    if not words:
        return Reply(**digest_message(preview_digest(ctx.uow, ctx.actor, request), preview=True))
    view = digest_to_post(ctx.uow, ctx.actor, request)
    report = JobRunner(ctx.uow, ctx.client).post_digest(view)
    if report.failed:
        return error_reply(
            "Slack didn't take the digest just now, so it wasn't posted.",
            hint="Check govbot is in the board channel (`/invite @govbot`), then try again.",
        )
    if not report.sent:
        return Reply(text="The digest was posted a moment ago; it isn't posted twice.")
    return Reply.render("digest_posted.json.j2", digest=view)


def register(app: App, deps: BotDeps) -> None:
    """Nothing to add here: importing this module put `digest` on /plan's router."""
