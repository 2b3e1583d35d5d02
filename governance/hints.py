"""Hints that name commands without spelling them.

The domain knows the concept a command is about (`action`) and its arguments (`list`);
how a person types it (`/wf-action list` in a workspace whose commands carry a prefix, a
button or a link on another surface) is the adapter's to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A command by its concept word and arguments: `Command("action", "list")`."""

    concept: str
    arguments: str = ""


@dataclass(frozen=True, init=False)
class Hint:
    """A sentence with a `{}` where each of its commands goes, in order."""

    text: str
    commands: tuple[Command, ...]

    def __init__(self, text: str, *commands: Command) -> None:
        if text.count("{}") != len(commands):
            raise ValueError(f"{text!r} has places for {text.count('{}')} commands")
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "commands", commands)

    def spelled(self, spell: Callable[[Command], str]) -> str:
        """The sentence with each command written the way `spell` writes it."""
        parts = self.text.split("{}")
        out = [parts[0]]
        for command, part in zip(self.commands, parts[1:], strict=True):
            out += [spell(command), part]
        return "".join(out)
