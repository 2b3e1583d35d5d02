"""`/plan report`: the board paper as a PDF, to you privately or (`post`) to the board
channel. Joins `/plan`'s router, whose usage lists the form.

The paper is made after the acknowledgement: the answer says it is being made, and is
replaced when the paper is in your DM (or the board channel), or by why it is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from slack_bolt import App

from bot.command_router import CommandContext, Reply, Takes, error_reply
from bot.file_uploads import upload_file
from bot.grammar import refuse_unknown_options
from bot.jobs import JobRunner, paper_names
from bot.listeners.commands.plan_command import router
from documents.board_paper import board_paper_pdf
from governance.board_papers.periods import read_period
from governance.board_papers.use_cases import PlanReport, board_paper, board_paper_to_post
from governance.errors import DomainError, Invalid
from governance.inputs import validate

if TYPE_CHECKING:
    from bot.deps import BotDeps

MAKING = "Making your paper… it takes a few seconds."
REPORT_FORM = "`report [month:2026-11]` (to you) or `report post [month:2026-11]` (to the board)"


@router.sub("report", takes=Takes(words=1))
def report(ctx: CommandContext) -> Reply:
    refuse_unknown_options(ctx.args, ("month",))
    words = [word.lower() for word in ctx.args.words]
    if words not in ([], ["post"]):
        raise Invalid(f"`report` takes nothing or `post`: {REPORT_FORM}.")
    request = validate(PlanReport, month=ctx.args.options.get("month"))
    if request.month is not None:
        read_period(request.month)  # a month mistyped is refused at once, not after "making"
    work = _post(ctx, request) if words else _send(ctx, request)
    return Reply(text=MAKING, after=_replacing(work))


def _send(ctx: CommandContext, request: PlanReport) -> Callable[[], Reply]:
    def work() -> Reply:
        paper = board_paper(ctx.uow, ctx.actor, request)
        problem = upload_file(
            ctx,
            "dm",
            file=board_paper_pdf(paper, paper_names(ctx.client, paper)),
            filename=paper.filename,
            title=paper.title,
        )
        if problem:
            return error_reply(problem.message, hint=problem.hint)
        return Reply.render("plan_report.json.j2", paper=paper, where="dm")

    return work


def _post(ctx: CommandContext, request: PlanReport) -> Callable[[], Reply]:
    def work() -> Reply:
        paper = board_paper_to_post(ctx.uow, ctx.actor, request)
        posted = JobRunner(ctx.uow, ctx.client).post_board_paper(paper)
        if posted.failed:
            return error_reply(
                "Slack didn't take the paper just now, so it wasn't posted.",
                hint="Check govbot is in the board channel (`/invite @govbot`), then try again.",
            )
        if not posted.sent:
            return Reply(text="The paper was posted a moment ago; it isn't posted twice.")
        return Reply.render("plan_report.json.j2", paper=paper, where="board")

    return work


def _replacing(work: Callable[[], Reply]) -> Callable[[], Reply]:
    """The work's answer, or its refusal with the form, in place of "Making your paper…"."""

    def replaced() -> Reply:
        try:
            answer = work()
        except DomainError as exc:
            answer = error_reply(
                exc.message, hint=exc.hint, concept=router.name, usage=router.forms("report")
            )
        return replace(answer, replace_original=True)

    return replaced


def register(app: App, deps: BotDeps) -> None:
    """Nothing to add here: importing this module put `report` on /plan's router."""
