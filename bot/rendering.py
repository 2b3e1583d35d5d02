"""Rendering Block Kit messages and views from the Jinja2 templates in message_templates/.

A template renders one JSON object: a message {"text": ..., "blocks": [...]} or a view
{"type": "modal" | "home", ...}. Whatever a template prints with `{{ ... }}` is made safe
for the inside of a JSON string and for Slack's mrkdwn by default (`&`, `<`, `>` escaped,
so a user's `<!channel>` can never ping anyone); the filters below say when to do
otherwise:

- `mrkdwn`   the default, spelled out;
- `tojson`   a whole JSON value, quotes included, for plain_text fields, numbers, lists;
- `user`     `<@U123>` for a Slack user id (ids are checked, so text cannot pass as one),
             or the plain "former member 7" an erased person's id became;
- `date`     "Tue 31 Mar 2027", from a date or from a datetime the view has already put on
             the plan's wall clock (`governance.local_time`); an instant still in UTC is
             refused rather than shown with what may be the wrong day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from governance.actions.status import ActionStatus
from governance.actor import is_user_id
from governance.hints import Command, Hint
from governance.people.pseudonyms import is_pseudonym
from governance.risks.rules import RiskGrade

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
CONTEXT_TEXT_LIMIT = 2000
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
MESSAGE_TEXT_LIMIT = 4000
ELLIPSIS = "…"


# Slack's emoji for each status and grade; each always sits beside its words, never alone.
EMOJI: dict[ActionStatus | RiskGrade, str] = {
    ActionStatus.NOT_STARTED: ":white_circle:",
    ActionStatus.ON_TRACK: ":large_green_circle:",
    ActionStatus.AT_RISK: ":large_orange_circle:",
    ActionStatus.OFF_TRACK: ":red_circle:",
    ActionStatus.DONE: ":large_blue_circle:",
    ActionStatus.CANCELLED: ":black_circle:",
    RiskGrade.LOW: ":large_green_circle:",
    RiskGrade.MODERATE: ":large_yellow_circle:",
    RiskGrade.HIGH: ":large_orange_circle:",
    RiskGrade.EXTREME: ":red_circle:",
}

# The workspace's GOVBOT_COMMAND_PREFIX while a request or a job is being answered: every
# command a reply names (`/wf-action list`) is spelled with it.
_command_prefix: ContextVar[str] = ContextVar("command_prefix", default="")


@contextmanager
def command_prefix(prefix: str) -> Iterator[None]:
    """Spell the commands named by everything rendered inside the block with `prefix`."""
    token = _command_prefix.set(prefix)
    try:
        yield
    finally:
        _command_prefix.reset(token)


def command_name(concept: str) -> str:
    """The slash command for a concept as this workspace types it: `/wf-action`."""
    return f"/{_command_prefix.get()}{concept}"


def command(concept: str, arguments: str = "") -> str:
    """A whole command as this workspace types it, e.g. `/wf-action list mine`."""
    return f"{command_name(concept)} {arguments}".rstrip()


def spell(named: Command) -> str:
    """A command named in a hint, as code in mrkdwn: `` `/wf-action list` ``."""
    return f"`{command(named.concept, named.arguments)}`"


def hint_text(hint: str | Hint | None) -> str | None:
    """A refusal's hint in words, its commands spelled for this workspace."""
    return hint.spelled(spell) if isinstance(hint, Hint) else hint


def emoji(value: ActionStatus | RiskGrade) -> str:
    return EMOJI[value]


def status(value: ActionStatus) -> Markup:
    """An action's status as people read it: its emoji and its word (colour never alone)."""
    return Markup(f"{EMOJI[value]} {mrkdwn(value.label)}")


def owner(user_id: str | None) -> Markup:
    """Who owns something: a mention, or "Nobody yet"."""
    return user(user_id) if user_id else Markup("Nobody yet")


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack gives meaning to in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def plain_text(mrkdwn_text: str) -> str:
    """A message's text as a person reads it: links by their label (or address), mentions
    as @U123 / #C123 (or the name Slack gave), escapes undone."""

    def read(match: re.Match[str]) -> str:
        sigil, target, label = match[1], match[2], match[3]
        if sigil == "!":
            return "@" + (label or target.split("^", 1)[0])
        return sigil + (label or target)

    text = _MARKUP.sub(read, mrkdwn_text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _json_inner(text: str) -> str:
    """`text` as it must appear between the quotes of a JSON string.

    What `json.dumps(text, ensure_ascii=False)` writes, without building an encoder for each
    of the hundreds of values a list renders."""
    return encode_basestring(text)[1:-1]


def _finalize(value: Any) -> Any:
    """Every value a template prints: escaped for mrkdwn inside a JSON string, unless a
    filter already made it so (Markup). Its result is printed as it is (autoescape is off),
    so it need not be Markup itself."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return _json_inner(escape_mrkdwn(value if type(value) is str else str(value)))


def mrkdwn(value: Any) -> Markup:
    """Text escaped for mrkdwn, ready to sit inside a JSON string."""
    return Markup(_json_inner(escape_mrkdwn("" if value is None else str(value))))


def tojson(value: Any) -> Markup:
    """A complete JSON value (strings keep their quotes; no mrkdwn escaping)."""
    return Markup(json.dumps(value, ensure_ascii=False, default=str))


def user(user_id: Any) -> Markup:
    """A mention of a Slack user; anything that is not a user id or a pseudonym is refused."""
    if is_pseudonym(user_id):
        return mrkdwn(user_id)
    if not is_user_id(user_id):
        raise ValueError(f"not a Slack user id: {user_id!r}")
    return Markup(f"<@{user_id}>")


def format_date(value: date | datetime | None) -> str:
    """A date the way people in the NHS write it: "Tue 31 Mar 2027"."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo in (None, UTC):
        raise ValueError(
            f"{value!r} is not on the plan's wall clock; convert it in the view with local_time"
        )
    return f"{value:%a} {value.day} {value:%b %Y}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("message_templates", "."),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Templates ship with the code and change only with it, at a restart: checking each
        # file's time on every render (Jinja's default) is a system call a command pays for.
        auto_reload=False,
    )
    env.filters.update(mrkdwn=mrkdwn, tojson=tojson, user=user, date=format_date, emoji=emoji)
    # Filters rather than macros for what every line of a list prints: a macro call costs a
    # list of 40 actions more than the rest of their line.
    env.filters.update(status=status, owner=owner)
    env.globals.update(command=command)
    # `{% if id is member %}`: a Slack user id a users_select can start on (not a pseudonym).
    env.tests["member"] = is_user_id
    return env


def render(name: str, **context: Any) -> dict[str, Any]:
    """Render template `name` to a message or view dict that fits Slack's limits."""
    text = environment().get_template(name).render(**context)
    try:
        rendered = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name} did not render valid JSON: {exc}") from exc
    if not isinstance(rendered, dict):
        raise ValueError(f"{name} must render a JSON object")
    return fit(rendered)


def fit(message_or_view: dict[str, Any]) -> dict[str, Any]:
    """Trim a message or view to Slack's limits on block counts and text lengths."""
    result = dict(message_or_view)
    is_view = result.get("type") in ("modal", "home")
    if isinstance(result.get("blocks"), list):
        limit = VIEW_BLOCK_LIMIT if is_view else MESSAGE_BLOCK_LIMIT
        result["blocks"] = [_truncate_block(b) for b in fit_blocks(result["blocks"], limit)]
    if isinstance(result.get("text"), str):
        result["text"] = truncate(result["text"], MESSAGE_TEXT_LIMIT)
    return result


def fit_blocks(
    blocks: list[dict[str, Any]], limit: int = MESSAGE_BLOCK_LIMIT
) -> list[dict[str, Any]]:
    """At most `limit` blocks; when there are more, the last says how many were left out."""
    if len(blocks) <= limit:
        return list(blocks)
    kept = blocks[: limit - 1]
    left_out = len(blocks) - len(kept)
    summary = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"{ELLIPSIS}and {left_out} more"}],
    }
    return [*kept, summary]


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, never inside an escape or mention."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Don't leave half of "&amp;" or "<@U123>" behind.
    opener = max(cut.rfind("&"), cut.rfind("<"))
    if opener > max(cut.rfind(";"), cut.rfind(">")):
        cut = cut[:opener]
    return cut + ELLIPSIS


def _truncate_text_object(obj: Any, limit: int) -> Any:
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return {**obj, "text": truncate(obj["text"], limit)}
    return obj


def _truncate_block(block: dict[str, Any]) -> dict[str, Any]:
    kind = block.get("type")
    block = dict(block)
    if kind == "section":
        if "text" in block:
            block["text"] = _truncate_text_object(block["text"], SECTION_TEXT_LIMIT)
        if "fields" in block:
            block["fields"] = [_truncate_text_object(f, FIELD_TEXT_LIMIT) for f in block["fields"]]
    elif kind == "header" and "text" in block:
        block["text"] = _truncate_text_object(block["text"], HEADER_TEXT_LIMIT)
    elif kind == "context":
        block["elements"] = [
            _truncate_text_object(e, CONTEXT_TEXT_LIMIT) for e in block.get("elements", [])
        ]
    elif kind == "actions":
        block["elements"] = [_truncate_button(e) for e in block.get("elements", [])]
    if isinstance(block.get("accessory"), dict):
        block["accessory"] = _truncate_button(block["accessory"])
    return block


def _truncate_button(element: dict[str, Any]) -> dict[str, Any]:
    if element.get("type") == "button":
        return {**element, "text": _truncate_text_object(element.get("text"), BUTTON_TEXT_LIMIT)}
    return element
