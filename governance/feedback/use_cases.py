"""Use cases for feedback: give it (named or truly anonymous), read it, answer it, report it.

Anonymous feedback keeps no trace of who gave it: no author on the row, no actor on the
audit entry, no user id in the audit detail, and nothing here logs anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.actions.models import Action
from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import NotFound
from governance.feedback.inputs import (
    FeedbackAnswer,
    FeedbackGive,
    FeedbackList,
)
from governance.feedback.models import SOURCES, Feedback
from governance.feedback.views import (
    RATING_LABELS,
    SOURCE_LABELS,
    FeedbackFormView,
    FeedbackListView,
    FeedbackSummaryView,
    FeedbackView,
    GroupCountView,
)
from governance.feedback_links.models import FeedbackLink
from governance.hints import Command, Hint
from governance.inputs import about
from governance.local_time import local_time
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.parsing.references import format_ref
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS
from governance.people_functions.lookup import find_function
from governance.people_functions.models import PeopleFunction
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.numbering import next_number
from governance.plans.permissions import FEEDBACK_READERS, MANAGERS, require_role

LIST_LIMIT = 40
NO_FUNCTION = ("none", "No people function given")


def feedback_form(uow: UnitOfWork, actor: Actor, plan_id: int | None = None) -> FeedbackFormView:
    """The choices the feedback form shows, for the plan named or the actor's channel's."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, plan_id)
        return FeedbackFormView(
            plan_id=plan.id,
            plan_name=plan.name,
            sources=tuple(SOURCE_LABELS.items()),
            ratings=tuple(RATING_LABELS.items()),
            functions=PEOPLE_FUNCTIONS,
        )


def give_feedback(uow: UnitOfWork, actor: Actor, data: FeedbackGive) -> FeedbackView:
    """Any member records feedback; anonymous feedback stores no user id anywhere."""
    refuse_identifiers_in(data.text, data.service_area)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        with about("function"):
            function = _function(session, data.function)
        feedback = add_feedback(
            session,
            plan,
            at=uow.now(),
            source=data.source,
            text=data.text,
            function=function,
            service_area=data.service_area,
            rating=data.rating,
            author_id=None if data.anonymous else actor.user_id,
        )
        return feedback_view(feedback, plan, action_ref=None)


def refuse_identifiers_in(text: str, service_area: str | None = None) -> None:
    """Refuse feedback whose text or service area holds an NHS number, naming the input."""
    for field, value in (("text", text), ("service_area", service_area)):
        with about(field):
            refuse_patient_identifiers(value or "")


def add_feedback(
    session: Session,
    plan: Plan,
    *,
    at: datetime,
    source: str,
    text: str,
    rating: int | None,
    author_id: str | None,
    function: PeopleFunction | None = None,
    service_area: str | None = None,
    link_id: int | None = None,
    link_ref: str | None = None,
) -> Feedback:
    """Add feedback to the plan's register and audit it; `author_id` None is anonymous.

    Anonymous feedback keeps no author on the row and no actor on the audit entry.
    """
    feedback = Feedback(
        plan_id=plan.id,
        number=next_number(session, plan.id, "feedback"),
        source=source,
        text=text,
        function=function,
        service_area=service_area,
        rating=rating,
        anonymous=author_id is None,
        author_id=author_id,
        created_at=at,
        link_id=link_id,
    )
    session.add(feedback)
    session.flush()
    detail = {"link": link_ref} if link_ref else {}
    record(
        session,
        plan,
        actor_id=author_id,
        at=at,
        entity="feedback",
        ref=feedback.ref,
        verb="give",
        source=feedback.source,
        anonymous=feedback.anonymous,
        **detail,
    )
    return feedback


def list_feedback(uow: UnitOfWork, actor: Actor, data: FeedbackList) -> FeedbackListView:
    """Feedback for the plan's leads, chairs and data leads, most recent first."""
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, FEEDBACK_READERS, doing="read feedback")
        function = _function(session, data.function)
        where = [Feedback.plan_id == plan.id]
        if function is not None:
            where.append(Feedback.function_id == function.id)
        total = session.scalar(select(func.count()).select_from(Feedback).where(*where)) or 0
        rows = list(
            session.scalars(
                select(Feedback).where(*where).order_by(Feedback.number.desc()).limit(LIST_LIMIT)
            )
        )
        return FeedbackListView(
            plan_id=plan.id,
            plan_name=plan.name,
            function_key=function.key if function else None,
            function_name=function.name if function else None,
            items=_views(session, plan, rows, _small_sources(session, plan)),
            total=total,
        )


def answer_feedback(uow: UnitOfWork, actor: Actor, data: FeedbackAnswer) -> FeedbackView:
    """A lead or chair says what was done ("you said, we did"), perhaps linking an action."""
    refuse_patient_identifiers(data.text)
    with uow.transaction() as session:
        plan = plan_for(session, actor, data.plan_id)
        require_role(session, plan, actor.user_id, MANAGERS, doing="answer feedback")
        feedback = session.scalar(
            select(Feedback).where(Feedback.plan_id == plan.id, Feedback.number == data.feedback)
        )
        if feedback is None:
            raise NotFound(
                f"{format_ref('F', data.feedback)} is not feedback in this plan.",
                hint=Hint("{} shows the plan's feedback.", Command("feedback", "list")),
            )
        action = None
        if data.action is not None:
            action = session.scalar(
                select(Action).where(Action.plan_id == plan.id, Action.number == data.action)
            )
            if action is None:
                raise NotFound(
                    f"{format_ref('A', data.action)} is not an action in this plan, "
                    "so it can't be linked.",
                    hint=Hint("{} shows the plan's actions.", Command("action", "list")),
                )
        now = uow.now()
        replaced = feedback.answer is not None
        feedback.answer = data.text
        feedback.answered_by = actor.user_id
        feedback.answered_at = now
        feedback.answer_action_id = action.id if action else None
        feedback.answer_public = data.public
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="feedback",
            ref=feedback.ref,
            verb="answer",
            answer=data.text,
            action=action.ref if action else None,
            replaced=replaced,
            public=data.public,
        )
        return _views(session, plan, [feedback], _small_sources(session, plan))[0]


def feedback_summary(
    session: Session, plan: Plan, since: date | datetime, until: datetime | None = None
) -> FeedbackSummaryView:
    """Counts by source and function since `since` (a date is midnight in the plan's timezone),
    and the feedback answered since then, for the digest; with `until`, only before it (a
    board paper's month).

    Every group smaller than the plan's anonymity threshold is withheld; so that no small
    group can be worked out by subtracting from the total, the next smallest groups are
    withheld too until the withheld groups add up to at least the threshold.
    """
    start = _start_of(since, plan)
    threshold = plan.anonymity_threshold
    recent: tuple[Any, ...] = (Feedback.plan_id == plan.id, Feedback.created_at >= start)
    answered_in: tuple[Any, ...] = (Feedback.plan_id == plan.id, Feedback.answered_at >= start)
    if until is not None:
        recent = (*recent, Feedback.created_at < until)
        answered_in = (*answered_in, Feedback.answered_at < until)
    source_counts: dict[str, int] = dict(
        session.execute(
            select(Feedback.source, func.count()).where(*recent).group_by(Feedback.source)
        ).all()
    )
    function_counts = session.execute(
        select(PeopleFunction.number, PeopleFunction.key, PeopleFunction.name, func.count())
        .select_from(Feedback)
        .outerjoin(PeopleFunction, PeopleFunction.id == Feedback.function_id)
        .where(*recent)
        .group_by(PeopleFunction.number, PeopleFunction.key, PeopleFunction.name)
    ).all()
    by_function = sorted(function_counts, key=lambda row: row[0] or 99)
    total = sum(source_counts.values())
    answered = list(
        session.scalars(
            select(Feedback).where(*answered_in).order_by(Feedback.answered_at, Feedback.number)
        )
    )
    by_source = _suppressed(
        [(s, SOURCE_LABELS[s], source_counts[s]) for s in SOURCES if s in source_counts],
        threshold,
    )
    # A quote beside "Carer: fewer than 5" would say whose it is, so it is shown without.
    withheld = _small_sources(session, plan) | {g.key for g in by_source if g.count is None}
    return FeedbackSummaryView(
        since=local_time(start, plan.timezone),
        threshold=threshold,
        total=_suppressed([("all", "All feedback", total)], threshold)[0],
        by_source=by_source,
        by_function=_suppressed(
            [
                (key, name, count) if key else (*NO_FUNCTION, count)
                for _, key, name, count in by_function
            ],
            threshold,
        ),
        answered=_views(session, plan, answered, withheld),
    )


def _suppressed(groups: list[tuple[str, str, int]], threshold: int) -> tuple[GroupCountView, ...]:
    withheld = {key for key, _, count in groups if count < threshold}
    withheld_sum = sum(count for key, _, count in groups if key in withheld)
    for key, _, count in sorted(groups, key=lambda group: group[2]):
        if not 0 < withheld_sum < threshold:
            break
        if key not in withheld:
            withheld.add(key)
            withheld_sum += count
    return tuple(
        GroupCountView(
            key=key,
            label=label,
            count=None if key in withheld else count,
            fewer_than=threshold if count < threshold else None,
        )
        for key, label, count in groups
    )


def _small_sources(session: Session, plan: Plan) -> frozenset[str]:
    """Sources the plan has less feedback from than its anonymity threshold: a quote shown
    with such a source could be traced to the few who gave it."""
    counts = session.execute(
        select(Feedback.source, func.count())
        .where(Feedback.plan_id == plan.id)
        .group_by(Feedback.source)
    ).all()
    return frozenset(source for source, count in counts if count < plan.anonymity_threshold)


def feedback_view(
    feedback: Feedback,
    plan: Plan,
    action_ref: str | None,
    link_ref: str | None = None,
    *,
    withhold_source: bool = False,
) -> FeedbackView:
    """Plain data for one piece of feedback, its moments in the plan's timezone; with
    `withhold_source`, without its source."""
    function = feedback.function
    return FeedbackView(
        plan_id=feedback.plan_id,
        ref=feedback.ref,
        source=None if withhold_source else feedback.source,
        source_label=None if withhold_source else SOURCE_LABELS[feedback.source],
        text=feedback.text_kept,
        function_key=function.key if function else None,
        function_name=function.name if function else None,
        service_area=feedback.service_area,
        rating=feedback.rating,
        rating_label=RATING_LABELS.get(feedback.rating) if feedback.rating else None,
        anonymous=feedback.anonymous,
        author_id=None if feedback.anonymous else feedback.author_id,
        created_at=local_time(feedback.created_at, plan.timezone),
        answer=feedback.answer,
        answered_by=feedback.answered_by,
        answered_at=local_time(feedback.answered_at, plan.timezone),
        action_ref=action_ref,
        answer_public=feedback.answer_public,
        link_ref=link_ref,
    )


def _views(
    session: Session, plan: Plan, rows: Iterable[Feedback], withheld_sources: frozenset[str]
) -> tuple[FeedbackView, ...]:
    rows = list(rows)
    actions = _numbers(session, Action, {row.answer_action_id for row in rows})
    links = _numbers(session, FeedbackLink, {row.link_id for row in rows})
    return tuple(
        feedback_view(
            row,
            plan,
            action_ref=(
                format_ref("A", actions[row.answer_action_id]) if row.answer_action_id else None
            ),
            link_ref=format_ref("L", links[row.link_id]) if row.link_id else None,
            withhold_source=row.source in withheld_sources,
        )
        for row in rows
    )


def _numbers(
    session: Session, table: type[Action] | type[FeedbackLink], ids: set[int | None]
) -> dict[int, int]:
    """The plan numbers of the rows of `table` with these ids, in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = select(table.id, table.number).where(table.id.in_(wanted))
    return {row_id: number for row_id, number in session.execute(query)}


def _function(session: Session, text: str | None) -> PeopleFunction | None:
    if not text:
        return None
    return session.get(PeopleFunction, find_function(text).number)


def _start_of(since: date | datetime, plan: Plan) -> datetime:
    if isinstance(since, datetime):
        if since.tzinfo is None:
            raise ValueError("a report's start must be an aware datetime")
        return since
    return datetime.combine(since, time(0), tzinfo=ZoneInfo(plan.timezone))
