"""Validating use-case inputs, with refusals a person can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator
from pydantic.fields import FieldInfo

from governance.actor import is_user_id
from governance.errors import InputInvalid, InputNotFound, Invalid, NotFound, TextTooLong
from governance.parsing.patient_identifiers import refuse_patient_identifiers

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
        raise refusal(exc, model) from None


def refusal(exc: ValidationError, model: type[BaseModel] | None = None) -> Invalid:
    """The refusal for `exc`: text too long is given back (TextTooLong), so it is not lost."""
    message = describe(exc, model)
    for error in exc.errors():
        if error["type"] == "string_too_long" and isinstance(error.get("input"), str):
            field = str(error["loc"][0]) if error["loc"] else "text"
            return TextTooLong(field, message, typed=error["input"])
    return Invalid(message)


# pydantic's error types for a value out of range or of the wrong kind: a field that says what
# it takes (its `description`) is answered with that, "`likelihood` is 1 to 5 (...), not 0".
_OUT_OF_RANGE = {
    "greater_than": "more than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than": "less than {lt}",
    "less_than_equal": "at most {le}",
}
_WRONG_KIND = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "yes or no",
    "bool_type": "yes or no",
    "time_parsing": "a time of day, like 09:00",
    "time_type": "a time of day, like 09:00",
    "date_parsing": "a date, like 2027-03-31",
    "date_type": "a date, like 2027-03-31",
    "string_type": "text",
    "tuple_type": "a list",
    "list_type": "a list",
    "set_type": "a list",
}
_SHOWN_MAX = 40


def describe(exc: ValidationError, model: type[BaseModel] | None = None) -> str:
    """One sentence per problem, naming the field as the user typed it and saying what it
    takes (never pydantic's own wording)."""
    parts = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        field = name or "input"
        info = model.model_fields.get(name) if model is not None else None
        parts.append(f"`{field}` {_sentence(error, _takes(info) if info else None)}")
    return "; ".join(parts) + "."


def _takes(info: FieldInfo) -> str | None:
    """What the field takes, in words: its description, or that of the type it is optional of
    (`Likelihood | None`)."""
    if info.description:
        return info.description
    for member in get_args(info.annotation):
        for meta in getattr(member, "__metadata__", ()):
            if isinstance(meta, FieldInfo) and meta.description:
                return meta.description
    return None


def _sentence(error: Any, takes: str | None) -> str:
    kind = str(error["type"])
    ctx = error.get("ctx") or {}
    given = _shown(error.get("input"))
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    if kind == "string_too_long":
        length = len(error["input"]) if isinstance(error.get("input"), str) else 0
        return f"is {length} characters long; it takes at most {ctx.get('max_length')} characters"
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')}, not {ctx.get('actual_length')}"
    if kind in ("string_too_short", "too_short"):
        return "can't be empty"
    if kind == "missing":
        return f"is needed{f': {takes}' if takes else ''}"
    if kind == "extra_forbidden":
        return "isn't something this takes"
    if kind == "string_pattern_mismatch":
        return f"{f'is {takes}' if takes else 'is not in a form I know'}, not {given}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return f"is {takes or 'one of ' + expected}, not {given}"
    if takes:
        return f"is {takes}, not {given}"
    if kind in _OUT_OF_RANGE:
        return f"must be {_OUT_OF_RANGE[kind].format(**ctx)}, not {given}"
    if kind in _WRONG_KIND:
        return f"must be {_WRONG_KIND[kind]}, not {given}"
    return f"can't be {given}"


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = " ".join(str(value).split()) if not isinstance(value, dict | list | tuple) else ""
    if not text:
        return "that"
    if text.lstrip("-").isdigit() and len(text) <= _SHOWN_MAX:
        return text
    return f"“{text}”" if len(text) <= _SHOWN_MAX else f"“{text[: _SHOWN_MAX - 1]}…”"


@contextmanager
def about(field: str) -> Iterator[None]:
    """Tie a refusal raised inside the block to the input it is about, so a form can show it
    beside that input; a slash command shows it like any refusal."""
    try:
        yield
    except InputInvalid:
        raise
    except ValidationError as exc:
        refused = refusal(exc)
        if isinstance(refused, TextTooLong):
            raise refused from None
        raise InputInvalid(field, refused.message) from None
    except NotFound as exc:
        raise InputNotFound(field, exc.message, hint=exc.hint) from exc
    except Invalid as exc:
        raise InputInvalid(field, exc.message, hint=exc.hint) from exc


def refuse_patient_identifiers_in(**texts: str) -> None:
    """Refuse any of these texts (by input name) that holds a patient identifier, beside
    its input."""
    for field, text in texts.items():
        with about(field):
            refuse_patient_identifiers(text)
