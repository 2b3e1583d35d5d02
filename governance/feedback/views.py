"""Plain data the feedback use cases hand back for rendering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from governance.people_functions.catalogue import FunctionEntry

SOURCE_LABELS = {
    "staff": "Frontline staff",
    "service-user": "Service user",
    "carer": "Carer",
    "partner": "Partner organisation",
}

# The NHS Friends and Family Test answers a 1–5 rating stands for.
RATING_LABELS = {
    5: "Very good",
    4: "Good",
    3: "Neither good nor poor",
    2: "Poor",
    1: "Very poor",
}


@dataclass(frozen=True)
class FeedbackView:
    """One piece of feedback. `author_id` is None for anonymous feedback, always; `source` and
    `source_label` are None where its source is a group smaller than the anonymity threshold."""

    plan_id: int
    ref: str
    source: str | None
    source_label: str | None
    text: str
    function_key: str | None
    function_name: str | None
    service_area: str | None
    rating: int | None
    rating_label: str | None
    anonymous: bool
    author_id: str | None
    created_at: datetime
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    action_ref: str | None
    answer_public: bool = False
    # The feedback link (public web form) it came through.
    link_ref: str | None = None


@dataclass(frozen=True)
class FeedbackListView:
    """Feedback for its readers, most recent first; `total` counts beyond what is listed."""

    plan_id: int
    plan_name: str
    function_key: str | None
    function_name: str | None
    items: tuple[FeedbackView, ...]
    total: int


@dataclass(frozen=True)
class GroupCountView:
    """A count in a report, or a marker in its place — the small number itself is not here.

    `count` is None when the group is withheld; `fewer_than` is set when it is withheld for
    being smaller than the plan's anonymity threshold.
    """

    key: str
    label: str
    count: int | None
    fewer_than: int | None = None

    @property
    def shown(self) -> str:
        if self.count is not None:
            return str(self.count)
        if self.fewer_than is not None:
            return f"fewer than {self.fewer_than}"
        return "withheld"


@dataclass(frozen=True)
class FeedbackSummaryView:
    """Feedback since a moment, for the digest: counts by source and function, and answers."""

    since: datetime
    threshold: int
    total: GroupCountView
    by_source: tuple[GroupCountView, ...]
    by_function: tuple[GroupCountView, ...]
    answered: tuple[FeedbackView, ...]


@dataclass(frozen=True)
class FeedbackFormView:
    """What the feedback form offers: the plan it goes to, its sources, ratings and functions."""

    plan_id: int
    plan_name: str
    sources: tuple[tuple[str, str], ...]
    ratings: tuple[tuple[int, str], ...]
    functions: tuple[FunctionEntry, ...]
