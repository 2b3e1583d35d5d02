"""`govbot console`: the whole bot in a terminal, with no Slack workspace."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TextIO

from bot.console.lines import Lines, ScriptLines, TerminalLines
from bot.console.session import DEFAULT_USER, ConsoleOptions, ConsoleSession
from bot.settings import Settings


def run_console(
    settings: Settings,
    *,
    demo: bool = False,
    user: str | None = None,
    channel: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    clock: Callable[[], datetime] | None = None,
) -> int:
    """Run the console until :quit or the end of input; a script on stdin runs line by line."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    if out is sys.stdout and isinstance(out, io.TextIOWrapper):
        # Boxes and status emoji: a terminal that can't show them gets "?" rather than a crash.
        out.reconfigure(errors="replace")
    lines: Lines = (
        TerminalLines() if source is sys.stdin and source.isatty() else ScriptLines(source, out)
    )
    options = ConsoleOptions(demo=demo, user=user or DEFAULT_USER, channel=channel)
    if clock is not None:
        options = replace(options, clock=clock)
    with ConsoleSession(settings, lines, out, options) as session:
        try:
            return session.run()
        except BrokenPipeError:
            # The reader went away (`govbot console < script | head`): stop quietly.
            if out is sys.stdout:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
