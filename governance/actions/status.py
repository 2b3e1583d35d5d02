"""Action status: the BRAG set, with the colour words boards use."""

from __future__ import annotations

from enum import StrEnum

from governance.errors import Invalid


class ActionStatus(StrEnum):
    NOT_STARTED = "not-started"
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def label(self) -> str:
        """The words a board reads: colour word first, never colour alone."""
        return _LABELS[self]


_COLOURS = {
    ActionStatus.NOT_STARTED: "grey",
    ActionStatus.ON_TRACK: "green",
    ActionStatus.AT_RISK: "amber",
    ActionStatus.OFF_TRACK: "red",
    ActionStatus.DONE: "blue",
    ActionStatus.CANCELLED: "grey",
}
_LABELS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "Green (on track)",
    ActionStatus.AT_RISK: "Amber (issues being managed)",
    ActionStatus.OFF_TRACK: "Red (off track)",
    ActionStatus.DONE: "Blue (done)",
    ActionStatus.CANCELLED: "Cancelled",
}

# Colour words and the BRAG letters boards write (`status:A`), looked up in lower case.
STATUS_ALIASES: dict[str, ActionStatus] = {
    "r": ActionStatus.OFF_TRACK,
    "a": ActionStatus.AT_RISK,
    "g": ActionStatus.ON_TRACK,
    "b": ActionStatus.DONE,
    "closed": ActionStatus.DONE,
    "green": ActionStatus.ON_TRACK,
    "amber": ActionStatus.AT_RISK,
    "red": ActionStatus.OFF_TRACK,
    "blue": ActionStatus.DONE,
    "complete": ActionStatus.DONE,
    "completed": ActionStatus.DONE,
    "notstarted": ActionStatus.NOT_STARTED,
    "not-started": ActionStatus.NOT_STARTED,
    "ontrack": ActionStatus.ON_TRACK,
    "atrisk": ActionStatus.AT_RISK,
    "offtrack": ActionStatus.OFF_TRACK,
    "canceled": ActionStatus.CANCELLED,
}


def parse_status(text: str) -> ActionStatus:
    """Read a status as people type it: `amber`, `A`, `at-risk`, `At Risk`, `red`, `closed`..."""
    word = text.strip().lower().replace(" ", "-").replace("_", "-")
    for status in ActionStatus:
        if word == status.value:
            return status
    alias = STATUS_ALIASES.get(word) or STATUS_ALIASES.get(word.replace("-", ""))
    if alias is None:
        raise Invalid(
            f"“{text}” is not a status I know.",
            hint="Use one of: not-started, green (on-track), amber (at-risk), red (off-track), "
            "blue (done), cancelled; or a letter: G, A, R, B.",
        )
    return alias
