"""References to numbered records of a plan: A-3 (action), R-2 (risk), F-4 (feedback), W-1 (win),
M-1 (measure), L-2 (feedback link), D-3 (decision), I-2 (issue), U-4 (an uploaded file's
import, previewed).

People type them as `A-3`, `a3`, `A 3`, `A#3`, `#3` or just `3`; all mean action 3 where an
action is wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from governance.errors import Invalid

KINDS = {
    "A": "action",
    "R": "risk",
    "F": "feedback",
    "W": "win",
    "M": "measure",
    "L": "feedback link",
    "D": "decision",
    "I": "issue",
    "U": "import",
}

# Numbers are stored in a 32-bit integer column.
_LARGEST = 2**31 - 1
_REF = re.compile(r"(?:([a-z])\s*[-#]?|#)?\s*([0-9]{1,12})[.,;:!?]*", re.IGNORECASE)


def parse_ref(text: str, prefix: str) -> int:
    """The number in a reference to a record of kind `prefix` (one of KINDS' letters)."""
    if prefix not in KINDS:
        raise ValueError(f"unknown reference prefix {prefix!r}")
    kind = KINDS[prefix]
    example = f"{prefix}-3"
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 20 else shown[:19] + "…"
    match = _REF.fullmatch(text.strip())
    if match is None:
        raise Invalid(
            f"“{shown}” is not {_article(kind)} reference.", hint=f"Write it like {example}."
        )
    letter = (match[1] or prefix).upper()
    if letter != prefix:
        if letter in KINDS:
            raise Invalid(
                f"{letter}-{int(match[2])} is {_article(KINDS[letter])}; "
                f"this needs {_article(kind)}, like {example}.",
                hint=f"Write it like {example}.",
            )
        raise Invalid(
            f"“{shown}” is not {_article(kind)} reference.", hint=f"Write it like {example}."
        )
    number = int(match[2])
    if not 1 <= number <= _LARGEST:
        raise Invalid(f"There is no {kind} {shown}.", hint=f"Write it like {example}.")
    return number


def format_ref(prefix: str, number: int) -> str:
    """The canonical way to show a reference: `A-3`."""
    return f"{prefix}-{number}"


@dataclass(frozen=True)
class Ref:
    """A reference to one numbered record of a plan: its kind's letter and its number."""

    prefix: str
    number: int

    @property
    def kind(self) -> str:
        """What it refers to: "action", "risk", …"""
        return KINDS[self.prefix]

    def __str__(self) -> str:
        return format_ref(self.prefix, self.number)


def read_ref(text: str, *prefixes: str) -> Ref:
    """A reference to a record of one of the kinds `prefixes` ("A", "R"), by the letter it
    is written with; without a letter, the first kind."""
    letter = text.strip()[:1].upper()
    prefix = letter if letter in prefixes else prefixes[0]
    return Ref(prefix, parse_ref(text, prefix))


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
