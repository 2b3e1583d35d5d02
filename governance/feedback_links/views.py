"""Plain data the feedback link use cases hand back: for Slack, and for the public form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class FeedbackLinkView:
    """One link, as its plan's leads see it; `feedback_count` is the feedback it brought."""

    plan_id: int
    plan_name: str
    ref: str
    service_area: str | None
    address: str
    in_use: bool
    created_at: datetime
    revoked_at: datetime | None
    feedback_count: int


@dataclass(frozen=True)
class FeedbackLinkListView:
    plan_id: int
    plan_name: str
    links: tuple[FeedbackLinkView, ...]


@dataclass(frozen=True)
class PublicAnswerView:
    """A "you said, we did" answer a lead made public: its text and month, nothing finer."""

    text: str
    month: date


@dataclass(frozen=True)
class FeedbackFormPageView:
    """What a link's public page shows: only this plan's name, the link's service area,
    the choices, and the public answers. Nothing about people, nothing of other plans."""

    plan_name: str
    service_area: str | None
    # Source keys, in the order the form asks; the form words them for its readers.
    sources: tuple[str, ...]
    # The Friends and Family Test answers, in NHS wording, "Don't know" last.
    ratings: tuple[str, ...]
    text_max: int
    public_answers: tuple[PublicAnswerView, ...]


@dataclass(frozen=True)
class FeedbackFormSentView:
    """The thank-you page's facts: where the feedback went."""

    plan_name: str
    service_area: str | None
