"""Block Kit messages and views as readable terminal text, for `govbot console`.

Buttons (and the options of menus) are numbered so `:click N` can press them; the numbers
are handed back with what each one sends.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

WIDTH = 78

# The emoji govbot's templates use, and a few common ones; any other code stays as typed.
EMOJI: Mapping[str, str] = {
    "red_circle": "🔴",
    "large_orange_circle": "🟠",
    "large_yellow_circle": "🟡",
    "large_green_circle": "🟢",
    "large_blue_circle": "🔵",
    "heavy_minus_sign": "➖",
    "large_purple_circle": "🟣",
    "white_circle": "⚪",
    "black_circle": "⚫",
    "white_check_mark": "✅",
    "ballot_box_with_ballot": "🗳",
    "arrow_right_hook": "↪️",
    "leftwards_arrow_with_hook": "↩️",
    "heavy_check_mark": "✔",
    "x": "❌",
    "warning": "⚠️",
    "tada": "🎉",
    "trophy": "🏆",
    "star": "⭐",
    "sparkles": "✨",
    "clap": "👏",
    "raised_hands": "🙌",
    "wave": "👋",
    "bell": "🔔",
    "calendar": "📅",
    "date": "📅",
    "spiral_calendar_pad": "🗓",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "alarm_clock": "⏰",
    "clipboard": "📋",
    "memo": "📝",
    "pencil": "✏️",
    "pencil2": "✏️",
    "bar_chart": "📊",
    "chart_with_upwards_trend": "📈",
    "chart_with_downwards_trend": "📉",
    "speech_balloon": "💬",
    "thought_balloon": "💭",
    "mega": "📣",
    "loudspeaker": "📢",
    "question": "❓",
    "grey_question": "❔",
    "exclamation": "❗",
    "information_source": "ℹ️",
    "bulb": "💡",
    "lock": "🔒",
    "busts_in_silhouette": "👥",
    "bust_in_silhouette": "👤",
    "handshake": "🤝",
    "hospital": "🏥",
    "house": "🏠",
    "office": "🏢",
    "seedling": "🌱",
    "rocket": "🚀",
    "zzz": "💤",
    "no_entry": "⛔",
    "no_entry_sign": "🚫",
    "arrow_right": "➡️",
    "arrow_up": "⬆️",
    "arrow_down": "⬇️",
    "heavy_plus_sign": "➕",
    "mag": "🔍",
    "link": "🔗",
    "heart": "❤️",
    "blue_heart": "💙",
    "thumbsup": "👍",
    "+1": "👍",
    "pushpin": "📌",
    "round_pushpin": "📍",
    "dart": "🎯",
    "construction": "🚧",
    "stopwatch": "⏱",
    "new": "🆕",
    "inbox_tray": "📥",
    "outbox_tray": "📤",
    "page_facing_up": "📄",
    "scales": "⚖️",
    "shield": "🛡",
    "rotating_light": "🚨",
    "raised_hand": "✋",
    "hand": "✋",
    "eyes": "👀",
    "point_right": "👉",
    "people_holding_hands": "🧑‍🤝‍🧑",
    "green_heart": "💚",
    "muscle": "💪",
    "sunny": "☀️",
    "umbrella": "☂️",
}

_ANGLE = re.compile(r"<([^<>\n]+)>")
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_CODE_FENCE = re.compile(r"```\n?(.*?)\n?```", re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class Directory:
    """Names to show for Slack ids: users as @name, channels as #name."""

    users: Mapping[str, str]
    channels: Mapping[str, str]

    def user(self, user_id: str) -> str:
        return "@" + self.users.get(user_id, user_id)

    def channel(self, channel_id: str) -> str:
        return "#" + self.channels.get(channel_id, channel_id)


@dataclass(frozen=True)
class Choice:
    """One numbered thing to press: a button, or one option of a menu or overflow."""

    number: int
    label: str
    action_id: str
    block_id: str | None
    type: str
    value: str | None = None
    option: Mapping[str, Any] | None = None
    url: str | None = None


@dataclass(frozen=True)
class Rendered:
    text: str
    choices: tuple[Choice, ...]


def mrkdwn_to_text(text: str, directory: Directory) -> str:
    """Slack mrkdwn as plain text: ids become names, markup and entities go."""
    text = _CODE_FENCE.sub(lambda m: textwrap.indent(m.group(1), "    "), text)
    text = _INLINE_CODE.sub(r"\1", text)
    text = _ANGLE.sub(lambda m: _angle(m.group(1), directory), text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _STRIKE.sub(r"\1", text)
    text = _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return html.unescape(text)


def _angle(inner: str, directory: Directory) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + label if label else directory.user(target[1:])
    if target.startswith("#"):
        return "#" + label if label else directory.channel(target[1:])
    if target.startswith("!subteam^"):
        return label or "@group"
    if target.startswith("!date^"):
        return label or target
    if target.startswith("!"):
        return "@" + target[1:]
    if label:
        return f"{label} ({target})" if label != target else target
    return target.removeprefix("mailto:")


class TerminalRenderer:
    """Turns messages and views into text, numbering what can be pressed from `first`."""

    def __init__(self, directory: Directory, width: int = WIDTH) -> None:
        self.directory = directory
        self.width = width

    def message(self, message: Mapping[str, Any], first: int = 1) -> Rendered:
        """A chat message: its blocks, or its text when it has none."""
        blocks = message.get("blocks") or []
        if not blocks:
            return Rendered(self._wrap(self.text(str(message.get("text") or ""))), ())
        return self.blocks(blocks, first)

    def view(self, view: Mapping[str, Any], first: int = 1) -> Rendered:
        """A modal or App Home view, with its title and submit/close labels."""
        title = self._plain(view.get("title"))
        body = self.blocks(view.get("blocks") or [], first)
        parts = [self._header(title)] if title else []
        if body.text:
            parts.append(body.text)
        submit, close = self._plain(view.get("submit")), self._plain(view.get("close"))
        if view.get("type") == "modal" and (submit or close):
            parts.append("  ".join(f"<{label}>" for label in (submit, close) if label))
        return Rendered("\n".join(parts), body.choices)

    def blocks(self, blocks: list[Mapping[str, Any]], first: int = 1) -> Rendered:
        choices: list[Choice] = []
        lines: list[str] = []
        for block in blocks:
            draw = self._drawers.get(str(block.get("type")), TerminalRenderer._unknown)
            text = draw(self, block, choices, first)
            if text is not None:
                lines.append(text)
        return Rendered("\n".join(lines), tuple(choices))

    def text(self, obj: Mapping[str, Any] | str | None) -> str:
        """A text object (plain_text or mrkdwn) or a bare string as plain text."""
        if obj is None:
            return ""
        if isinstance(obj, str):
            return mrkdwn_to_text(obj, self.directory)
        if obj.get("type") == "plain_text":
            return self._emoji(str(obj.get("text", "")))
        return mrkdwn_to_text(str(obj.get("text", "")), self.directory)

    def _plain(self, obj: Mapping[str, Any] | None) -> str:
        return self.text(obj) if obj else ""

    def _emoji(self, text: str) -> str:
        return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)

    def _wrap(self, text: str, indent: str = "") -> str:
        out: list[str] = []
        for line in text.split("\n"):
            if not line.strip():
                out.append(indent.rstrip())
                continue
            lead = line[: len(line) - len(line.lstrip())]
            out.extend(
                textwrap.wrap(
                    line.strip(),
                    width=self.width,
                    initial_indent=indent + lead,
                    subsequent_indent=indent + lead,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        return "\n".join(out)

    def _header(self, title: str) -> str:
        return f"{title}\n{'═' * min(max(len(title), 3), self.width)}"

    # Block drawers: each returns its text (or None) and appends what it makes pressable.

    def _draw_header(self, block: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        return self._header(self.text(block.get("text")))

    def _draw_section(self, block: Mapping[str, Any], choices: list[Choice], first: int) -> str:
        parts = []
        if block.get("text"):
            parts.append(self._wrap(self.text(block["text"])))
        for field in block.get("fields") or []:
            parts.append(self._wrap(self._field(field), indent="  "))
        accessory = block.get("accessory")
        if accessory:
            pressable = self._element(accessory, block.get("block_id"), choices, first)
            if pressable:
                parts.append("  " + pressable)
        return "\n".join(parts)

    def _field(self, field: Mapping[str, Any]) -> str:
        """A field as `Label: value`; a value of several lines goes under its label."""
        raw = str(field.get("text", ""))
        label, newline, rest = raw.partition("\n")
        if newline and field.get("type") == "mrkdwn" and re.fullmatch(r"\*[^*\n]+\*", label):
            label, value = self.text(label), self.text(rest)
            if "\n" in value:
                return label + "\n" + textwrap.indent(value, "  ")
            return f"{label.rstrip(':')}: {value}"
        return self.text(field)

    def _draw_context(self, block: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        pieces = []
        for element in block.get("elements") or []:
            if element.get("type") == "image":
                pieces.append(f"[image: {element.get('alt_text', '')}]")
            else:
                pieces.append(self.text(element))
        return self._wrap("  ·  ".join(p for p in pieces if p), indent="  ")

    def _draw_divider(self, _b: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        return "─" * min(40, self.width)

    def _draw_image(self, block: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        title = self._plain(block.get("title")) or str(block.get("alt_text", "")) or "image"
        return f"[chart: {title}]"

    def _draw_actions(self, block: Mapping[str, Any], choices: list[Choice], first: int) -> str:
        shown = [
            self._element(element, block.get("block_id"), choices, first)
            for element in block.get("elements") or []
        ]
        return self._wrap("  ".join(s for s in shown if s))

    def _draw_input(self, block: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        label = self._plain(block.get("label"))
        optional = " (optional)" if block.get("optional") else ""
        element = block.get("element") or {}
        current = describe_input_value(element, self)
        line = f"{label}{optional}: {current or '____'}"
        hint = self._plain(block.get("hint"))
        return line + (f"\n  {hint}" if hint else "")

    def _draw_rich_text(self, block: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        return self._wrap("\n".join(self._rich(e) for e in block.get("elements") or []))

    def _rich(self, element: Mapping[str, Any]) -> str:
        kind = element.get("type")
        if kind == "rich_text_list":
            bullets = [
                ("• " if element.get("style") != "ordered" else f"{i}. ") + self._rich(item)
                for i, item in enumerate(element.get("elements") or [], start=1)
            ]
            return "\n".join(bullets)
        inner = "".join(self._rich_leaf(leaf) for leaf in element.get("elements") or [])
        if kind == "rich_text_preformatted":
            return textwrap.indent(inner, "    ")
        if kind == "rich_text_quote":
            return textwrap.indent(inner, "> ")
        return inner

    def _rich_leaf(self, leaf: Mapping[str, Any]) -> str:
        kind = leaf.get("type")
        if kind == "user":
            return self.directory.user(str(leaf.get("user_id")))
        if kind == "channel":
            return self.directory.channel(str(leaf.get("channel_id")))
        if kind == "emoji":
            name = str(leaf.get("name"))
            return EMOJI.get(name, f":{name}:")
        if kind == "link":
            return str(leaf.get("text") or leaf.get("url"))
        return str(leaf.get("text", ""))

    def _unknown(self, block: Mapping[str, Any], _c: list[Choice], _f: int) -> str:
        return f"[{block.get('type', 'block')}]"

    _drawers: Mapping[str, Callable[..., str | None]] = {
        "header": _draw_header,
        "section": _draw_section,
        "context": _draw_context,
        "divider": _draw_divider,
        "image": _draw_image,
        "actions": _draw_actions,
        "input": _draw_input,
        "rich_text": _draw_rich_text,
    }

    def _element(
        self,
        element: Mapping[str, Any],
        block_id: str | None,
        choices: list[Choice],
        first: int,
    ) -> str:
        """An interactive element as text; numbers what can be pressed."""
        kind = str(element.get("type"))
        action_id = str(element.get("action_id", ""))

        def add(label: str, **extra: Any) -> str:
            number = first + len(choices)
            choices.append(
                Choice(number, label, action_id, block_id, kind, **extra)  # type: ignore[arg-type]
            )
            return f"[{number}] {label}"

        if kind == "button":
            label = self.text(element.get("text"))
            return add(label, value=element.get("value"), url=element.get("url"))
        if kind in ("overflow", "static_select", "radio_buttons"):
            options = element.get("options") or [
                option
                for group in element.get("option_groups") or []
                for option in group.get("options") or []
            ]
            prompt = self._plain(element.get("placeholder"))
            shown = [add(self.text(option.get("text")), option=option) for option in options]
            return (f"{prompt}: " if prompt else "") + "  ".join(shown)
        if element.get("type") == "image":
            return f"[image: {element.get('alt_text', '')}]"
        return f"[{kind}]"


def describe_input_value(element: Mapping[str, Any], renderer: TerminalRenderer) -> str:
    """What an input element holds before the user types: its initial value, if any."""
    for key in ("initial_value", "initial_date", "initial_time", "initial_user"):
        if element.get(key):
            value = str(element[key])
            return renderer.directory.user(value) if key == "initial_user" else value
    if element.get("initial_option"):
        return renderer.text(element["initial_option"].get("text"))
    if element.get("initial_options"):
        return ", ".join(renderer.text(o.get("text")) for o in element["initial_options"])
    if element.get("initial_users"):
        return ", ".join(renderer.directory.user(u) for u in element["initial_users"])
    if element.get("initial_channel"):
        return renderer.directory.channel(str(element["initial_channel"]))
    return ""
