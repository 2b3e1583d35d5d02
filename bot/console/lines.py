"""Where the console's lines come from: a person at a terminal, or a script on stdin."""

from __future__ import annotations

import contextlib
import shutil
from typing import Protocol, TextIO

from bot.console.terminal_render import WIDTH


class Lines(Protocol):
    width: int  # columns to render messages in

    def read(self, prompt: str) -> str | None:
        """The next line without its newline, or None at the end of input."""


class TerminalLines:
    """A person typing: `input()` gives line editing; Ctrl-C drops the line being typed."""

    def __init__(self) -> None:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - importing it gives input() editing and history
        columns = shutil.get_terminal_size((WIDTH + 2, 24)).columns
        self.width = max(40, min(columns - 2, 120))

    def read(self, prompt: str) -> str | None:
        while True:
            try:
                return input(prompt)
            except EOFError:
                print()
                return None
            except KeyboardInterrupt:
                print()


class ScriptLines:
    """Lines from a pipe or file, echoed after their prompt so the transcript reads like
    a session typed by hand."""

    width = WIDTH

    def __init__(self, source: TextIO, out: TextIO) -> None:
        self.source = source
        self.out = out

    def read(self, prompt: str) -> str | None:
        line = self.source.readline()
        if not line:
            return None
        line = line.rstrip("\r\n")
        self.out.write(f"{prompt}{line}\n")
        self.out.flush()
        return line
