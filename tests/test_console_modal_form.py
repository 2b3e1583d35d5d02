"""A modal in the console: each input asked in turn, answered as Slack's view state."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.console.directory import ConsoleDirectory
from bot.console.modal_form import FormCancelled, ModalForm
from bot.console.terminal_render import TerminalRenderer


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


STATUS_OPTIONS = [
    {"text": plain(":large_green_circle: Green (on track)"), "value": "on-track"},
    {"text": plain(":red_circle: Red (off track)"), "value": "off-track"},
]

VIEW = {
    "type": "modal",
    "callback_id": "action_update",
    "title": plain("Update A-3"),
    "submit": plain("Save"),
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*A-3* Recruit nurses"}},
        {
            "type": "input",
            "block_id": "status",
            "label": plain("Status"),
            "element": {
                "type": "static_select",
                "action_id": "status",
                "options": STATUS_OPTIONS,
                "initial_option": STATUS_OPTIONS[0],
            },
        },
        {
            "type": "input",
            "block_id": "progress",
            "label": plain("Progress (%)"),
            "element": {
                "type": "number_input",
                "action_id": "progress",
                "is_decimal_allowed": False,
            },
        },
        {
            "type": "input",
            "block_id": "owner",
            "label": plain("Owner"),
            "element": {"type": "users_select", "action_id": "owner"},
        },
        {
            "type": "input",
            "block_id": "due",
            "optional": True,
            "label": plain("Due date"),
            "element": {"type": "datepicker", "action_id": "due"},
        },
    ],
}


class Script:
    def __init__(self, *answers: str) -> None:
        self._answers: Iterator[str] = iter(answers)
        self.shown: list[str] = []

    def read(self, prompt: str) -> str | None:
        self.shown.append(prompt)
        return next(self._answers, None)

    def write(self, text: str) -> None:
        self.shown.append(text)


def form(script: Script, directory: ConsoleDirectory | None = None) -> ModalForm:
    directory = directory or ConsoleDirectory()
    return ModalForm(
        TerminalRenderer(directory.for_rendering()), directory, script.read, script.write
    )


def test_answers_become_the_state_slack_sends_on_submit() -> None:
    directory = ConsoleDirectory()
    state = form(Script("red", "40", "@sam", "2027-03-31"), directory).fill(VIEW)
    assert state == {
        "status": {"status": {"type": "static_select", "selected_option": STATUS_OPTIONS[1]}},
        "progress": {"progress": {"type": "number_input", "value": "40"}},
        "owner": {"owner": {"type": "users_select", "selected_user": directory.user("sam")}},
        "due": {"due": {"type": "datepicker", "selected_date": "2027-03-31"}},
    }


def test_enter_keeps_the_shown_value_and_a_dash_leaves_an_optional_input_empty() -> None:
    state = form(Script("", "10", "@sam", "-")).fill(VIEW)
    assert state["status"]["status"]["selected_option"] == STATUS_OPTIONS[0]
    assert state["due"]["due"] == {"type": "datepicker", "selected_date": None}


def test_a_wrong_answer_is_explained_and_asked_again() -> None:
    script = Script("purple", "1", "lots", "40", "", "@sam", "31/03/2027", "-")
    form(script).fill(VIEW)
    assert "│   “purple” is not one of the choices; type its number." in script.shown
    assert "│   “lots” is not a number." in script.shown
    assert "│   This one is required." in script.shown
    assert "│   “31/03/2027” is not a date; write it as YYYY-MM-DD." in script.shown


def test_after_refusals_only_the_refused_inputs_are_asked_again() -> None:
    first = form(Script("1", "40", "@sam", "-")).fill(VIEW)
    script = Script("60")
    again = form(script).fill(VIEW, errors={"progress": "Progress can't go down."}, previous=first)
    assert "  ⚠ Progress (%): Progress can't go down." in script.shown
    assert again["progress"]["progress"]["value"] == "60"
    assert again["owner"] == first["owner"]


def test_cancel_or_the_end_of_input_closes_the_form() -> None:
    with pytest.raises(FormCancelled) as cancelled:
        form(Script(":cancel")).fill(VIEW)
    assert cancelled.value.pending is None
    with pytest.raises(FormCancelled):
        form(Script("1")).fill(VIEW)


def test_a_console_line_typed_instead_of_an_answer_is_kept_to_run() -> None:
    with pytest.raises(FormCancelled) as cancelled:
        form(Script(":jobs run digest")).fill(VIEW)
    assert cancelled.value.pending == ":jobs run digest"


def test_the_form_shows_its_title_and_text_first() -> None:
    script = Script(":cancel")
    with pytest.raises(FormCancelled):
        form(script).fill(VIEW)
    assert script.shown[:2] == ["┌ form: Update A-3", "│ A-3 Recruit nurses"]
