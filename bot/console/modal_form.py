"""A modal as a terminal form: ask for each input in turn, then hand back what Slack would
send as the view's state when the person presses Submit."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from bot.console.directory import ConsoleDirectory
from bot.console.terminal_render import TerminalRenderer, describe_input_value

CANCEL_WORD = ":cancel"
_CONSOLE_LINE = re.compile(r"^(:[a-z]+\b|/[a-z])")
MAX_TRIES = 5

State = dict[str, dict[str, Any]]
"""Slack's view state: block_id -> action_id -> the element's value."""

Read = Callable[[str], "str | None"]
Write = Callable[[str], None]


class FormCancelled(Exception):
    """The person cancelled the form, or the input ended before it was complete.

    `pending` is a console line typed instead of an answer (`:jobs run digest`), to run
    once the form is closed.
    """

    def __init__(self, pending: str | None = None) -> None:
        super().__init__(pending or "cancelled")
        self.pending = pending


@dataclass
class ModalForm:
    """Asks for each input of a view through `read`, showing everything else with `write`."""

    renderer: TerminalRenderer
    directory: ConsoleDirectory
    read: Read
    write: Write

    def fill(
        self,
        view: Mapping[str, Any],
        errors: Mapping[str, str] | None = None,
        previous: State | None = None,
    ) -> State:
        """The view's state after asking for every input (or, after errors, only the inputs
        with an error, keeping the rest). Raises FormCancelled."""
        state: State = dict(previous or {})
        inputs = [b for b in view.get("blocks") or [] if b.get("type") == "input"]
        if errors:
            for block_id, message in errors.items():
                label = next(
                    (self._label(b) for b in inputs if b.get("block_id") == block_id), block_id
                )
                self.write(f"  ⚠ {label}: {self.renderer.text(message)}")
        else:
            self._show_intro(view)
        for block in inputs:
            block_id = str(block.get("block_id"))
            if errors and block_id not in errors:
                continue
            element = block.get("element") or {}
            action_id = str(element.get("action_id") or block_id)
            state[block_id] = {action_id: self._ask(block, element)}
        return state

    def _show_intro(self, view: Mapping[str, Any]) -> None:
        title = self.renderer.text(view.get("title"))
        self.write(f"┌ form: {title}")
        shown = [b for b in view.get("blocks") or [] if b.get("type") not in ("input", "actions")]
        if shown:
            for line in self.renderer.blocks(shown).text.split("\n"):
                self.write(f"│ {line}")
        submit = self.renderer.text(view.get("submit")) or "Submit"
        self.write(f"│ Fill in each field, then it is sent ({submit}). Enter keeps a [value]; -")
        self.write("│ leaves an optional field empty; :cancel closes the form.")

    def _label(self, block: Mapping[str, Any]) -> str:
        return self.renderer.text(block.get("label"))

    def _ask(self, block: Mapping[str, Any], element: Mapping[str, Any]) -> dict[str, Any]:
        kind = str(element.get("type"))
        optional = bool(block.get("optional"))
        reader = _READERS.get(kind)
        if reader is None:
            self.write(f"│ ({self._label(block)}: a {kind} can't be filled in the console)")
            return {"type": kind}
        options = _options(element)
        for number, option in enumerate(options, start=1):
            text = self.renderer.text(option.get("text"))
            # Options already numbered (the 10 people functions) keep their own numbers.
            numbered = re.match(rf"{number}[.)]\s", text)
            self.write(f"│   {text}" if numbered else f"│   {number}. {text}")
        initial = describe_input_value(element, self.renderer)
        hint = self.renderer.text(block.get("hint")) if block.get("hint") else ""
        notes = ", ".join(n for n in ("optional" if optional else "", _SHAPES.get(kind, "")) if n)
        prompt = self._label(block) + (f" ({notes})" if notes else "")
        prompt += f" [{initial}]" if initial else ""
        if hint:
            self.write(f"│ {prompt} — {hint}")
        for _ in range(MAX_TRIES):
            answer = self.read(f"│ {prompt}: ")
            if answer is None or answer.strip().lower() == CANCEL_WORD:
                raise FormCancelled()
            answer = answer.strip()
            if _CONSOLE_LINE.match(answer):
                raise FormCancelled(pending=answer)
            if answer == "" and initial:
                return _initial_state(kind, element)
            if answer in ("", "-"):
                if optional:
                    return _empty_state(kind)
                self.write("│   This one is required.")
                continue
            try:
                return {"type": kind, **reader(answer, element, options, self.directory)}
            except ValueError as exc:
                self.write(f"│   {exc}")
        raise FormCancelled()


def _options(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    if element.get("options"):
        return list(element["options"])
    return [o for group in element.get("option_groups") or [] for o in group.get("options") or []]


def _pick(answer: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """The option numbered, valued or named `answer`; a word of its name will do if only
    one option has it (`red` for "🔴 Red (off track)")."""
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    wanted = answer.lower()
    for option in options:
        if wanted in (str(option.get("value", "")).lower(), _option_text(option).lower()):
            return option
    word = re.compile(rf"\b{re.escape(wanted)}\b")
    matches = [o for o in options if word.search(_option_text(o).lower())]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(f"“{answer}” is not one of the choices; type its number.")


def _option_text(option: Mapping[str, Any]) -> str:
    text = str((option.get("text") or {}).get("text", ""))
    return re.sub(r":[a-z0-9_+-]+:", "", text).strip()


def _one_option(answer: str, _e: Mapping, options: list, _d: ConsoleDirectory) -> dict:
    return {"selected_option": _pick(answer, options)}


def _many_options(answer: str, _e: Mapping, options: list, _d: ConsoleDirectory) -> dict:
    parts = [p.strip() for p in re.split(r"[,;]", answer) if p.strip()]
    return {"selected_options": [_pick(p, options) for p in parts]}


def _text(answer: str, _e: Mapping, _o: list, _d: ConsoleDirectory) -> dict:
    return {"value": answer}


def _number(answer: str, element: Mapping, _o: list, _d: ConsoleDirectory) -> dict:
    pattern = r"-?\d+(\.\d+)?" if element.get("is_decimal_allowed") else r"-?\d+"
    if not re.fullmatch(pattern, answer):
        raise ValueError(f"“{answer}” is not a number.")
    return {"value": answer}


def _user(answer: str, _e: Mapping, _o: list, directory: ConsoleDirectory) -> dict:
    return {"selected_user": directory.user(answer)}


def _users(answer: str, _e: Mapping, _o: list, directory: ConsoleDirectory) -> dict:
    return {"selected_users": [directory.user(p) for p in re.split(r"[,\s]+", answer) if p]}


def _conversation(answer: str, _e: Mapping, _o: list, directory: ConsoleDirectory) -> dict:
    return {"selected_conversation": directory.channel(answer)}


def _channel(answer: str, _e: Mapping, _o: list, directory: ConsoleDirectory) -> dict:
    return {"selected_channel": directory.channel(answer)}


def _channels(answer: str, _e: Mapping, _o: list, directory: ConsoleDirectory) -> dict:
    return {"selected_channels": [directory.channel(p) for p in re.split(r"[,\s]+", answer) if p]}


def _date(answer: str, _e: Mapping, _o: list, _d: ConsoleDirectory) -> dict:
    try:
        return {"selected_date": date.fromisoformat(answer).isoformat()}
    except ValueError:
        raise ValueError(f"“{answer}” is not a date; write it as YYYY-MM-DD.") from None


def _time(answer: str, _e: Mapping, _o: list, _d: ConsoleDirectory) -> dict:
    try:
        return {"selected_time": time.fromisoformat(answer).strftime("%H:%M")}
    except ValueError:
        raise ValueError(f"“{answer}” is not a time; write it as HH:MM.") from None


def _rich_text(answer: str, _e: Mapping, _o: list, _d: ConsoleDirectory) -> dict:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": answer}]}
    return {"rich_text_value": {"type": "rich_text", "elements": [section]}}


_READERS: dict[str, Callable[..., dict[str, Any]]] = {
    "plain_text_input": _text,
    "email_text_input": _text,
    "url_text_input": _text,
    "number_input": _number,
    "rich_text_input": _rich_text,
    "static_select": _one_option,
    "radio_buttons": _one_option,
    "multi_static_select": _many_options,
    "checkboxes": _many_options,
    "users_select": _user,
    "multi_users_select": _users,
    "conversations_select": _conversation,
    "channels_select": _channel,
    "multi_channels_select": _channels,
    "multi_conversations_select": _channels,
    "datepicker": _date,
    "timepicker": _time,
}

_SHAPES = {
    "number_input": "a number",
    "static_select": "number or name",
    "radio_buttons": "number or name",
    "multi_static_select": "numbers, comma-separated",
    "checkboxes": "numbers, comma-separated",
    "users_select": "@name",
    "multi_users_select": "@names",
    "conversations_select": "#channel",
    "channels_select": "#channel",
    "multi_channels_select": "#channels",
    "multi_conversations_select": "#channels",
    "datepicker": "YYYY-MM-DD",
    "timepicker": "HH:MM",
}


def _initial_state(kind: str, element: Mapping[str, Any]) -> dict[str, Any]:
    """What Slack sends for an input left as the form set it."""
    keys = {
        "initial_value": "value",
        "initial_option": "selected_option",
        "initial_options": "selected_options",
        "initial_user": "selected_user",
        "initial_users": "selected_users",
        "initial_conversation": "selected_conversation",
        "initial_channel": "selected_channel",
        "initial_channels": "selected_channels",
        "initial_date": "selected_date",
        "initial_time": "selected_time",
    }
    for initial, selected in keys.items():
        if initial in element:
            return {"type": kind, selected: element[initial]}
    return _empty_state(kind)


def _empty_state(kind: str) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "static_select": {"selected_option": None},
        "radio_buttons": {"selected_option": None},
        "multi_static_select": {"selected_options": []},
        "checkboxes": {"selected_options": []},
        "users_select": {"selected_user": None},
        "multi_users_select": {"selected_users": []},
        "conversations_select": {"selected_conversation": None},
        "channels_select": {"selected_channel": None},
        "multi_channels_select": {"selected_channels": []},
        "multi_conversations_select": {"selected_conversations": []},
        "datepicker": {"selected_date": None},
        "timepicker": {"selected_time": None},
    }
    return {"type": kind, **empty.get(kind, {"value": None})}
