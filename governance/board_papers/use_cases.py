"""Making board papers: for whoever asks (privately), for the board channel now, on the
plan's schedule, and for an admin at the command line.

Each paper's figures are kept (board_papers): the next paper shows change against the
latest earlier one, and re-making a period whose paper was made after it ended reads its
figures back instead of counting again, so the numbers are the same however the plan moved
on. A paper for a period not yet ended is a draft, counted afresh each time it is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from governance.actor import Actor
from governance.board_papers.figures import (
    compose_figures,
    measures_to,
    people_functions,
    period_bounds,
)
from governance.board_papers.models import BoardPaper
from governance.board_papers.periods import Period, period_of, read_period
from governance.board_papers.schedule import period_due
from governance.board_papers.views import BoardPaperView, Figures
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.feedback.use_cases import feedback_summary
from governance.hints import Command, Hint
from governance.inputs import Input
from governance.jobs.delivery import finished_keys
from governance.jobs.digest import BOARD_HINT
from governance.jobs.nudges import plans_in_scope
from governance.local_time import local_time, local_today
from governance.plans.membership import plan_for, role_of
from governance.plans.models import Partner, Plan
from governance.plans.permissions import FEEDBACK_READERS, MANAGERS, require_role

KIND = "board-paper"
# Who made a paper from the command line or on the schedule, in `made_by`.
MADE_BY_GOVBOT = "govbot"


class PlanReport(Input):
    """`plan report [month:2026-11]`: the month, or the current one when left out."""

    plan_id: int | None = None
    month: str | None = None


def board_paper(uow: UnitOfWork, actor: Actor, data: PlanReport) -> BoardPaperView:
    """The paper for the asker alone; its feedback text only if they may read feedback."""
    now = uow.now()
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        readers = role_of(session, plan, actor.user_id) in FEEDBACK_READERS
        period = _period(data.month, plan, now)
        return make_paper(session, plan, period, now, actor.user_id, with_feedback_text=readers)


def board_paper_to_post(uow: UnitOfWork, actor: Actor, data: PlanReport) -> BoardPaperView:
    """The paper a lead or chair posts to the board channel now; twice in a minute posts once."""
    now = uow.now()
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, doing="post the board paper")
        if not plan.board_channel_id:
            raise Invalid("This plan has no board channel to post the paper to.", hint=BOARD_HINT)
        period = _period(data.month, plan, now)
        paper = make_paper(session, plan, period, now, actor.user_id, with_feedback_text=True)
        return replace(paper, key=f"plan-{plan.id}/{period.key}/now/{now:%Y-%m-%dT%H:%M}")


def board_paper_of(uow: UnitOfWork, plan_name: str, month: str | None) -> BoardPaperView:
    """`govbot report --plan "Name"`: the paper of the plan with that name, for an admin."""
    now = uow.now()
    with uow.transaction() as session:
        plans = list(
            session.scalars(select(Plan).where(func.lower(Plan.name) == plan_name.strip().lower()))
        )
        if not plans:
            names = session.scalars(select(Plan.name).order_by(Plan.name).limit(20))
            known = ", ".join(f"“{name}”" for name in names) or "none yet"
            raise NotFound(f"No plan is called “{plan_name}”. Plans: {known}.")
        if len(plans) > 1:
            raise Invalid(
                f"{len(plans)} plans are called “{plan_name}” (in different workspaces).",
                hint="Rename one in Slack, then try again.",
            )
        plan = plans[0]
        period = _period(month, plan, now)
        return make_paper(session, plan, period, now, MADE_BY_GOVBOT, with_feedback_text=True)


def due_board_papers(
    uow: UnitOfWork, plan_ids: Iterable[int] | None = None
) -> list[BoardPaperView]:
    """Every scheduled paper due at the unit of work's "now" and not posted yet."""
    now = uow.now()
    with uow.transaction() as session:
        due: dict[str, tuple[Plan, Period]] = {}
        for plan in plans_in_scope(session, plan_ids).values():
            if not plan.board_channel_id:
                continue
            period = period_due(now, plan.report_schedule, plan.timezone)
            if period is not None:
                due[f"plan-{plan.id}/{period.key}"] = (plan, period)
        posted = finished_keys(session, KIND, due)
        return [
            replace(
                make_paper(session, plan, period, now, MADE_BY_GOVBOT, with_feedback_text=True),
                key=key,
            )
            for key, (plan, period) in due.items()
            if key not in posted
        ]


def make_paper(
    session: Session,
    plan: Plan,
    period: Period,
    now: datetime,
    made_by: str,
    *,
    with_feedback_text: bool,
) -> BoardPaperView:
    """The paper for `period`: its kept figures if it was made after the period ended,
    else counted now (and kept); in a fixed number of queries however large the plan."""
    today = local_today(now, plan.timezone)
    start, until = period_bounds(plan, period, now)
    held = people_functions(session)
    summary = feedback_summary(session, plan, start, until)
    measures = measures_to(session, plan, period, today)
    kept = _kept(session, plan, period)
    if kept is not None and not kept.draft:
        figures = Figures.model_validate(kept.figures)
    else:
        figures = compose_figures(session, plan, period, now, today, summary, measures, held)
        _keep(session, plan, kept, figures, made_by)
    earlier = session.scalar(
        select(BoardPaper)
        .where(BoardPaper.plan_id == plan.id, BoardPaper.period < period.key)
        .order_by(BoardPaper.period.desc())
        .limit(1)
    )
    partners = session.scalars(
        select(Partner.name).where(Partner.plan_id == plan.id).order_by(Partner.name)
    )
    return BoardPaperView(
        plan_id=plan.id,
        plan_name=plan.name,
        partners=tuple(partners),
        timezone=plan.timezone,
        board_channel_id=plan.board_channel_id,
        period=period,
        figures=replace_made_at(figures, plan),
        previous=Figures.model_validate(earlier.figures) if earlier else None,
        previous_period=earlier.period if earlier else None,
        with_feedback_text=with_feedback_text,
        answers=summary.answered if with_feedback_text else (),
        measures=measures,
        reproduced=kept is not None and not kept.draft,
    )


def replace_made_at(figures: Figures, plan: Plan) -> Figures:
    """The figures with their moment on the plan's clock (kept in UTC)."""
    return figures.model_copy(update={"made_at": local_time(figures.made_at, plan.timezone)})


def _period(month: str | None, plan: Plan, now: datetime) -> Period:
    today = local_today(now, plan.timezone)
    period = read_period(month) if month else period_of(today)
    if period.start > today:
        raise Invalid(
            f"{period.name} hasn't begun yet, so it has no paper.",
            hint=Hint("Ask for this month's with {}.", Command("plan", "report")),
        )
    if period.ends_at(plan.timezone) <= plan.created_at:
        raise Invalid(
            f"{plan.name} was set up after {period.name} ended, so it has no paper for it.",
            hint=f"Give a month from {local_time(plan.created_at, plan.timezone):%Y-%m} on.",
        )
    return period


def _kept(session: Session, plan: Plan, period: Period) -> BoardPaper | None:
    return session.scalar(
        select(BoardPaper).where(BoardPaper.plan_id == plan.id, BoardPaper.period == period.key)
    )


def _keep(
    session: Session, plan: Plan, kept: BoardPaper | None, figures: Figures, made_by: str
) -> None:
    """Keep the figures as the period's paper; two papers made at once keep one row."""
    values = {
        "made_at": figures.made_at,
        "made_by": made_by,
        "draft": figures.draft,
        "figures": figures.model_dump(mode="json"),
    }
    if kept is None:
        try:
            with session.begin_nested():
                session.add(BoardPaper(plan_id=plan.id, period=figures.period, **values))
            return
        except IntegrityError:
            kept = _kept(session, plan, read_period(figures.period))
            if kept is None:
                raise
    for name, value in values.items():
        setattr(kept, name, value)
