"""Use cases for feedback links: make, list and revoke them (Slack), and the public form's
page and sending (web), each in one transaction and audited.

The public side knows a person only by the link's token: what they send is anonymous
feedback with no author and no actor on its audit entry, and nothing here logs anything.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from governance.actor import Actor
from governance.audit.record import record
from governance.database import UnitOfWork
from governance.errors import Invalid, NotFound
from governance.feedback.models import TEXT_MAX, Feedback
from governance.feedback.use_cases import add_feedback, refuse_identifiers_in
from governance.feedback.views import RATING_LABELS
from governance.feedback_links.inputs import FeedbackFormSend, FeedbackLinkMake, FeedbackLinkRevoke
from governance.feedback_links.models import FeedbackLink
from governance.feedback_links.rules import address, is_in_use, is_token_shaped
from governance.feedback_links.rules import new_token as make_token
from governance.feedback_links.views import (
    FeedbackFormPageView,
    FeedbackFormSentView,
    FeedbackLinkListView,
    FeedbackLinkView,
    PublicAnswerView,
)
from governance.local_time import local_time
from governance.parsing.patient_identifiers import refuse_patient_identifiers
from governance.plans.membership import plan_for
from governance.plans.models import Plan
from governance.plans.numbering import next_number
from governance.plans.permissions import FEEDBACK_READERS, require_role

# The form asks people who use the service first: they are who it is for.
FORM_SOURCES = ("service-user", "carer", "staff", "partner")
DONT_KNOW = "Don't know"
FORM_RATINGS = (*(RATING_LABELS[r] for r in (5, 4, 3, 2, 1)), DONT_KNOW)
PUBLIC_ANSWERS_SHOWN = 5


class LinkRevoked(NotFound):
    """The link existed but a lead stopped it: its page says it is no longer in use."""


def make_feedback_link(
    uow: UnitOfWork, actor: Actor, data: FeedbackLinkMake, public_url: str
) -> FeedbackLinkView:
    """A lead, chair or data lead makes a link `L-<n>` for the plan and a service area."""
    refuse_patient_identifiers(data.service_area or "")
    with uow.transaction() as session:
        plan = plan_for(session, actor)
        require_role(session, plan, actor.user_id, FEEDBACK_READERS, doing="make feedback links")
        now = uow.now()
        link = FeedbackLink(
            plan_id=plan.id,
            number=next_number(session, plan.id, "feedback_link"),
            token=make_token(),
            service_area=data.service_area,
            created_by=actor.user_id,
            created_at=now,
        )
        session.add(link)
        session.flush()
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="feedback_link",
            ref=link.ref,
            verb="make",
            service_area=link.service_area,
        )
        return _link_view(link, plan, public_url, feedback_count=0)


def list_feedback_links(uow: UnitOfWork, actor: Actor, public_url: str) -> FeedbackLinkListView:
    """The plan's links, newest first, with how much feedback each brought."""
    with uow.transaction() as session:
        plan = plan_for(session, actor)
        require_role(session, plan, actor.user_id, FEEDBACK_READERS, doing="see feedback links")
        counts = dict(
            session.execute(
                select(Feedback.link_id, func.count())
                .where(Feedback.plan_id == plan.id, Feedback.link_id.is_not(None))
                .group_by(Feedback.link_id)
            ).all()
        )
        links = session.scalars(
            select(FeedbackLink)
            .where(FeedbackLink.plan_id == plan.id)
            .order_by(FeedbackLink.number.desc())
        )
        return FeedbackLinkListView(
            plan_id=plan.id,
            plan_name=plan.name,
            links=tuple(
                _link_view(link, plan, public_url, counts.get(link.id, 0)) for link in links
            ),
        )


def revoke_feedback_link(
    uow: UnitOfWork, actor: Actor, data: FeedbackLinkRevoke, public_url: str
) -> FeedbackLinkView:
    """Stop a link: its page then says it is no longer in use. Its feedback stays."""
    with uow.transaction() as session:
        plan = plan_for(session, actor)
        require_role(session, plan, actor.user_id, FEEDBACK_READERS, doing="revoke feedback links")
        link = session.scalar(
            select(FeedbackLink).where(
                FeedbackLink.plan_id == plan.id, FeedbackLink.number == data.link
            )
        )
        if link is None:
            raise NotFound(f"L-{data.link} is not a feedback link of this plan.")
        if not is_in_use(link):
            raise Invalid(f"{link.ref} is already revoked.")
        now = uow.now()
        link.revoked_at = now
        link.revoked_by = actor.user_id
        record(
            session,
            plan,
            actor_id=actor.user_id,
            at=now,
            entity="feedback_link",
            ref=link.ref,
            verb="revoke",
        )
        count = session.scalar(
            select(func.count()).select_from(Feedback).where(Feedback.link_id == link.id)
        )
        return _link_view(link, plan, public_url, count or 0)


def feedback_form_page(uow: UnitOfWork, token: str) -> FeedbackFormPageView:
    """What the public page of the link with this token shows."""
    with uow.transaction() as session:
        link, plan = _open_link(session, token)
        return FeedbackFormPageView(
            plan_name=plan.name,
            service_area=link.service_area,
            sources=FORM_SOURCES,
            ratings=FORM_RATINGS,
            text_max=TEXT_MAX,
            public_answers=_public_answers(session, plan, link),
        )


def send_feedback_form(uow: UnitOfWork, token: str, data: FeedbackFormSend) -> FeedbackFormSentView:
    """Feedback from the public form into the plan's register: anonymous, with the link's
    service area and the chosen source."""
    refuse_identifiers_in(data.text)
    with uow.transaction() as session:
        link, plan = _open_link(session, token)
        add_feedback(
            session,
            plan,
            at=uow.now(),
            source=data.source,
            text=data.text,
            rating=data.rating,
            author_id=None,
            service_area=link.service_area,
            link_id=link.id,
            link_ref=link.ref,
        )
        return FeedbackFormSentView(plan_name=plan.name, service_area=link.service_area)


def _open_link(session: Session, token: str) -> tuple[FeedbackLink, Plan]:
    """The link with this token and its plan; refused alike whether unknown or malformed."""
    link = None
    if is_token_shaped(token):
        link = session.scalar(select(FeedbackLink).where(FeedbackLink.token == token))
    if link is None:
        raise NotFound("There is no feedback form at this address.")
    if not is_in_use(link):
        raise LinkRevoked("This feedback form is no longer in use.")
    plan = session.get(Plan, link.plan_id)
    assert plan is not None
    return link, plan


def _public_answers(
    session: Session, plan: Plan, link: FeedbackLink
) -> tuple[PublicAnswerView, ...]:
    """The newest public answers of the plan, to feedback about the link's service area."""
    where = [Feedback.plan_id == plan.id, Feedback.answer_public, Feedback.answer.is_not(None)]
    if link.service_area is not None:
        where.append(Feedback.service_area == link.service_area)
    rows = session.scalars(
        select(Feedback)
        .where(*where)
        .order_by(Feedback.answered_at.desc(), Feedback.number.desc())
        .limit(PUBLIC_ANSWERS_SHOWN)
    )
    return tuple(
        PublicAnswerView(text=row.answer, month=_month(local_time(row.answered_at, plan.timezone)))
        for row in rows
        if row.answer is not None and row.answered_at is not None
    )


def _month(moment: datetime) -> date:
    return moment.date().replace(day=1)


def _link_view(
    link: FeedbackLink, plan: Plan, public_url: str, feedback_count: int
) -> FeedbackLinkView:
    return FeedbackLinkView(
        plan_id=plan.id,
        plan_name=plan.name,
        ref=link.ref,
        service_area=link.service_area,
        address=address(public_url, link.token),
        in_use=is_in_use(link),
        created_at=local_time(link.created_at, plan.timezone),
        revoked_at=local_time(link.revoked_at, plan.timezone),
        feedback_count=feedback_count,
    )
