"""The check every test's Slack calls pass at its end (`standin` in tests/slack_harness.py):
what it refuses, named by method and argument, and what it lets through."""

from __future__ import annotations

from typing import Any

from bot.console.slack_standin import _METHODS, Call
from tests.slack_harness import BOT_TOKEN
from tests.slack_reference import api_methods, problems

BEARER = {"authorization": f"Bearer {BOT_TOKEN}"}
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*A-1* added"}}]


def call(method: str, headers: dict[str, str] | None = None, **params: Any) -> Call:
    return Call(method, params, BEARER if headers is None else headers)


def test_the_reference_documents_every_method_the_stand_in_answers() -> None:
    assert set(_METHODS) <= set(api_methods())


def test_a_documented_call_with_a_fallback_passes() -> None:
    calls = [
        call("chat.postMessage", channel="C1", text="A-1 added", blocks=BLOCKS, team_id="T1"),
        call("users.info", user="U1"),
        call("upload", file_id="F1", size=3),
        call("response", text="A-1 added", blocks=BLOCKS),
    ]
    assert problems(calls) == []


def test_an_undocumented_argument_is_named_with_its_method() -> None:
    found = problems([call("chat.postEphemeral", channel="C1", user="U1", text="x", ts="1.2")])
    assert found == ["chat.postEphemeral: argument 'ts' is not documented"]


def test_a_missing_required_argument_is_named_and_the_token_may_be_a_header_or_a_field() -> None:
    assert problems([call("views.publish", view={"type": "home", "blocks": []})]) == [
        "views.publish: required argument 'user_id' is missing"
    ]
    assert problems([call("auth.test", headers={})]) == [
        "auth.test: required argument 'token' is missing"
    ]
    assert problems([call("auth.test", headers={}, token=BOT_TOKEN)]) == []


def test_blocks_without_a_text_fallback_are_refused_in_messages_and_response_urls() -> None:
    found = problems(
        [
            call("chat.update", channel="C1", ts="1.2", blocks=BLOCKS, text=" "),
            call("response", blocks=BLOCKS, replace_original=True),
        ]
    )
    assert found == [
        "chat.update: sends 'blocks' without a 'text' fallback",
        "a response URL message: sends 'blocks' without a 'text' fallback",
    ]


def test_a_method_slack_does_not_document_is_refused_once() -> None:
    assert problems([call("chat.frobnicate"), call("chat.frobnicate")]) == [
        "chat.frobnicate: not a method in Slack's reference"
    ]
