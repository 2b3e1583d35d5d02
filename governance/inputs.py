"""Validating use-case inputs, with refusals a person can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator

from governance.actor import is_user_id
from governance.errors import InputInvalid, InputNotFound, Invalid, NotFound

M = TypeVar("M", bound=BaseModel)


class Input(BaseModel):
    """Base of every use-case input: strict about unknown fields, trims whitespace."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _without_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold NUL (U+0000), not even in a query, and no one means
        # to type it: drop it rather than fail with a database error.
        return _without_nul(value)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, (tuple, list)):
        return type(value)(_without_nul(item) for item in value)
    return value


def _person(value: str) -> str:
    if not is_user_id(value):
        shown = value if len(value) <= 40 else value[:39] + "…"
        raise ValueError(f"is not a person in this workspace (“{shown}”); pick one from the list")
    return value


# A person named by a form or a command: a user id, or refused before any use case runs, so
# nothing stored names someone no reader can show.
UserId = Annotated[str, AfterValidator(_person)]


def validate(model: type[M], **data: Any) -> M:
    """Build `model` from `data`, turning pydantic's errors into one friendly Invalid."""
    try:
        return model(**data)
    except ValidationError as exc:
        raise Invalid(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One sentence per problem, naming the field as the user typed it."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "input"
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "string_too_long":
            limit = error.get("ctx", {}).get("max_length")
            message = f"is too long (at most {limit} characters)"
        elif error["type"] == "string_too_short":
            message = "can't be empty"
        parts.append(f"`{field}` {message}")
    return "; ".join(parts) + "."


@contextmanager
def about(field: str) -> Iterator[None]:
    """Tie a refusal raised inside the block to the input it is about, so a form can show it
    beside that input; a slash command shows it like any refusal."""
    try:
        yield
    except InputInvalid:
        raise
    except ValidationError as exc:
        raise InputInvalid(field, describe(exc)) from None
    except NotFound as exc:
        raise InputNotFound(field, exc.message, hint=exc.hint) from exc
    except Invalid as exc:
        raise InputInvalid(field, exc.message, hint=exc.hint) from exc
