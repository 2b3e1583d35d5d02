"""Validated inputs for feedback links, and for feedback sent through a link's web form."""

from __future__ import annotations

from pydantic import Field, field_validator

from governance.feedback.inputs import SERVICE_AREA_MAX, rating_of
from governance.feedback.models import SOURCES, TEXT_MAX
from governance.inputs import Input
from governance.parsing.references import parse_ref


class FeedbackLinkMake(Input):
    """`plan feedback-link [area:"Discharge lounge"]`."""

    service_area: str | None = Field(None, max_length=SERVICE_AREA_MAX)

    @field_validator("service_area")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class FeedbackLinkRevoke(Input):
    """`plan feedback-link revoke L-2`."""

    link: int

    @field_validator("link", mode="before")
    @classmethod
    def _link(cls, value: object) -> int:
        return value if isinstance(value, int) else parse_ref(str(value), "L")


class FeedbackFormSend(Input):
    """What a person sends from a link's web form: who they are, the Friends and Family
    Test answer (a rating, or none for "Don't know") and what they want to tell the team."""

    source: str
    rating: int | None = None
    text: str = Field(min_length=1, max_length=TEXT_MAX)

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        if value not in SOURCES:
            raise ValueError("is one of " + ", ".join(SOURCES))
        return value

    @field_validator("rating", mode="before")
    @classmethod
    def _rating(cls, value: object) -> int | None:
        return rating_of(value)
