"""Validated inputs for feedback: the words people type for sources and ratings, forgiven.

Sources (case, spaces, hyphens and plurals ignored):
- `staff`: staff, frontline, frontline staff, colleague
- `service-user`: service user, user, patient, person who uses services, resident, client
  (patients and the people who draw on care are all service users)
- `carer`: carer, unpaid carer, family carer, caregiver
- `partner`: partner, partner organisation, organisation

Ratings: 1–5, or the NHS Friends and Family Test words: very good = 5, good = 4,
neither good nor poor = 3, poor = 2, very poor = 1; "don't know" gives no rating.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from governance.feedback.models import SOURCES, TEXT_MAX
from governance.inputs import Input
from governance.parsing.references import parse_ref

SERVICE_AREA_MAX = 100

_SOURCE_WORDS = {
    "staff": "staff",
    "frontline": "staff",
    "frontlinestaff": "staff",
    "colleague": "staff",
    "serviceuser": "service-user",
    "user": "service-user",
    "patient": "service-user",
    "personwhousesservices": "service-user",
    "peoplewhouseservices": "service-user",
    "resident": "service-user",
    "client": "service-user",
    "carer": "carer",
    "unpaidcarer": "carer",
    "familycarer": "carer",
    "caregiver": "carer",
    "partner": "partner",
    "partnerorganisation": "partner",
    "partnerorganization": "partner",
    "organisation": "partner",
    "organization": "partner",
}

RATING_WORDS = {
    "very good": 5,
    "good": 4,
    "neither good nor poor": 3,
    "poor": 2,
    "very poor": 1,
}
_NO_RATING_WORDS = {"don't know", "dont know", "do not know"}


def source_of(text: str) -> str:
    """The source key for what someone typed, e.g. "Service users" -> `service-user`."""
    folded = re.sub(r"[\s_\-]+", "", text.lower().replace("’", "'"))
    source = _SOURCE_WORDS.get(folded) or _SOURCE_WORDS.get(folded.removesuffix("s"))
    if source is None:
        raise ValueError(f"“{text}” is not a source; use one of {', '.join(SOURCES)}")
    return source


def rating_of(value: object) -> int | None:
    """A 1–5 rating from a number or a Friends and Family Test answer."""
    if value is None or isinstance(value, bool):
        return None if value is None else _bad_rating(value)
    if isinstance(value, int):
        return value if 1 <= value <= 5 else _bad_rating(value)
    text = " ".join(str(value).lower().replace("’", "'").split())
    if text == "" or text in _NO_RATING_WORDS:
        return None
    if text in RATING_WORDS:
        return RATING_WORDS[text]
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    return _bad_rating(value)


def _bad_rating(value: object) -> int:
    raise ValueError(
        f"is 1 to 5 or very good, good, neither good nor poor, poor, very poor — not “{value}”"
    )


class FeedbackGive(Input):
    """`feedback staff "text" …` or the feedback modal. `plan_id` comes from a modal."""

    plan_id: int | None = None
    source: str
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    function: str | None = None
    service_area: str | None = Field(None, max_length=SERVICE_AREA_MAX)
    rating: int | None = None
    anonymous: bool = False

    _source = field_validator("source")(source_of)

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, value: object) -> int | None:
        return rating_of(value)

    @field_validator("function", "service_area")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class FeedbackList(Input):
    """`feedback list [function:x]`."""

    plan_id: int | None = None
    function: str | None = None


class FeedbackAnswer(Input):
    """`feedback answer F-4 "what we did" [action:A-3] [public]`: you said, we did.

    A public answer shows on the plan's feedback form pages.
    """

    plan_id: int | None = None
    feedback: int
    text: str = Field(min_length=1, max_length=TEXT_MAX)
    action: int | None = None
    public: bool = False

    @field_validator("feedback", mode="before")
    @classmethod
    def _feedback(cls, value: object) -> int:
        return value if isinstance(value, int) else parse_ref(str(value), "F")

    @field_validator("action", mode="before")
    @classmethod
    def _action(cls, value: object) -> int | None:
        if value is None or str(value).strip() == "":
            return None
        return value if isinstance(value, int) else parse_ref(str(value), "A")
