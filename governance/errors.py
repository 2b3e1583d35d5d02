"""Domain errors. Their messages are written to be shown to the person who asked."""

from __future__ import annotations

from governance.hints import Hint

# What to do next: plain words, or words naming commands that the adapter spells (with the
# workspace's prefix, as a link, ...).
HintText = str | Hint | None


class DomainError(Exception):
    """Base of every refusal the domain makes; `message` is fit to show a user, `hint` says
    what to do instead."""

    def __init__(self, message: str, *, hint: HintText = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(DomainError):
    """The thing named does not exist in this plan."""


class NotAllowed(DomainError):
    """The acting user's role in this plan does not allow this."""


class Invalid(DomainError):
    """The input breaks a rule of the domain."""


class InputInvalid(Invalid):
    """A refusal about one named input (title, due, share...).

    A form shows it beside that input; a slash command shows it like any refusal.
    """

    def __init__(self, field: str, message: str, *, hint: HintText = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class TextTooLong(InputInvalid):
    """Text longer than its input takes; `typed` is all of it, to give back so nothing
    anyone wrote is lost."""

    def __init__(self, field: str, message: str, *, typed: str, hint: HintText = None) -> None:
        super().__init__(field, message, hint=hint)
        self.typed = typed


class InputNotFound(InputInvalid, NotFound):
    """Something one named input refers to does not exist (a partner, a people function)."""


class Conflict(DomainError):
    """Someone else changed the record first; `current` holds its state now."""

    def __init__(self, message: str, *, current: object = None, hint: HintText = None) -> None:
        super().__init__(message, hint=hint)
        self.current = current


class Unavailable(DomainError):
    """The database cannot be reached; nothing was changed."""
