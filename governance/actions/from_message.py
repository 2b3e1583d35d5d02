"""A message's text as a new action's title and description ("Add as action")."""

from __future__ import annotations

import re

from governance.actions.models import DESCRIPTION_MAX, TITLE_MAX

_SPACE = re.compile(r"\s+")
ELLIPSIS = "…"


def title_and_description(text: str) -> tuple[str, str]:
    """The text's first words up to the title limit, cut at a word boundary, and the rest
    (and any further lines) as the description, within its limit.

    The title is the first line when that fits; a single word longer than the limit is cut
    inside it, with an ellipsis. The description keeps the text's lines.
    """
    stripped = text.strip()
    first, _, later = stripped.partition("\n")
    first = _SPACE.sub(" ", first).strip()
    if len(first) <= TITLE_MAX:
        title, rest = first, ""
    else:
        cut = first.rfind(" ", 0, TITLE_MAX + 1)
        if cut <= 0:
            title, rest = first[: TITLE_MAX - 1] + ELLIPSIS, ELLIPSIS + first[TITLE_MAX - 1 :]
        else:
            title, rest = first[:cut], first[cut + 1 :]
    description = "\n".join(part for part in (rest, later.strip()) if part)
    if len(description) > DESCRIPTION_MAX:
        description = description[: DESCRIPTION_MAX - 1] + ELLIPSIS
    return title, description
