"""Finding one of the 10 people functions from what someone typed.

The people_functions table is seeded by the initial migration with id == number (1–10) and
never edited, so a FunctionEntry's `number` is also its row id: callers store
`entry.number` in a `people_function_id` column without a query.
"""

from __future__ import annotations

import difflib
import re

from governance.errors import Invalid
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS, FunctionEntry

FUNCTIONS_HINT = "People functions: " + ", ".join(
    f"{entry.number} {entry.key}" for entry in PEOPLE_FUNCTIONS
)

# High enough that "suply" finds supply but "staff" finds nothing.
_TYPO_CUTOFF = 0.8

_BY_NUMBER = {str(entry.number): entry for entry in PEOPLE_FUNCTIONS}
_BY_KEY = {entry.key: entry for entry in PEOPLE_FUNCTIONS}


def _squash(text: str) -> str:
    """Lower case with spaces, underscores and punctuation folded to single hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


_BY_NAME = {_squash(entry.name): entry for entry in PEOPLE_FUNCTIONS}


def find_function(text: str) -> FunctionEntry:
    """The people function named by key, number, official name, unique prefix or a near typo."""
    typed = _squash(text).removeprefix("function-")
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    if not typed:
        raise Invalid("Please name a people function.", hint=FUNCTIONS_HINT)
    if typed.isdigit():
        if entry := _BY_NUMBER.get(typed.lstrip("0")):
            return entry
        raise Invalid(
            f"There is no people function {shown}; they are numbered 1 to 10.", hint=FUNCTIONS_HINT
        )
    exact = _BY_KEY.get(typed) or _BY_NAME.get(typed)
    if exact is not None:
        return exact
    joined = typed.replace("-", "")
    by_prefix = [e for e in PEOPLE_FUNCTIONS if e.key.replace("-", "").startswith(joined)]
    if len(by_prefix) == 1:
        return by_prefix[0]
    if len(by_prefix) > 1:
        names = ", ".join(entry.key for entry in by_prefix)
        raise Invalid(f"“{shown}” could be any of {names}; which one?", hint=FUNCTIONS_HINT)
    near = difflib.get_close_matches(typed, list(_BY_KEY), n=1, cutoff=_TYPO_CUTOFF)
    if near:
        return _BY_KEY[near[0]]
    raise Invalid(f"“{shown}” is not one of the 10 people functions.", hint=FUNCTIONS_HINT)
