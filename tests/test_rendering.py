"""Rendering: user text can never ping or break a message, and output fits Slack's limits."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.rendering import (
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    environment,
    escape_mrkdwn,
    fit,
    fit_blocks,
    format_date,
    render,
    truncate,
)
from tests.slack_harness import assert_valid_blocks

SECTION = """{"text": "{{ title }}", "blocks": [
  {"type": "section", "text": {"type": "mrkdwn", "text": "*{{ title }}* {{ owner | user }}"}}
]}"""


def from_string(source: str, **context: Any) -> dict[str, Any]:
    rendered = json.loads(environment().from_string(source).render(**context))
    assert isinstance(rendered, dict)
    return fit(rendered)


def section_text(message: dict[str, Any], index: int = 0) -> str:
    return str(message["blocks"][index]["text"]["text"])


def test_a_typed_channel_ping_is_escaped_so_it_cannot_ping() -> None:
    message = from_string(SECTION, title="Ping <!channel> & <@U0BOSS>", owner="U0ALICE")
    assert section_text(message) == "*Ping &lt;!channel&gt; &amp; &lt;@U0BOSS&gt;* <@U0ALICE>"
    assert message["text"] == "Ping &lt;!channel&gt; &amp; &lt;@U0BOSS&gt;"
    assert_valid_blocks(message)


def test_quotes_backslashes_and_newlines_cannot_break_the_json() -> None:
    title = 'Say "hi" \\ then\nnew line }]}'
    message = from_string(SECTION, title=title, owner="U0ALICE")
    assert section_text(message) == f"*{title}* <@U0ALICE>"


def test_the_mrkdwn_filter_escapes_explicitly() -> None:
    source = '{"text": "{{ note | mrkdwn }}"}'
    assert from_string(source, note="A&E <b>")["text"] == "A&amp;E &lt;b&gt;"


def test_tojson_embeds_a_whole_value_without_mrkdwn_escaping() -> None:
    source = '{"text": "x", "title": {{ title | tojson }}, "progress": {{ progress | tojson }}}'
    rendered = from_string(source, title='Nurses & "AHPs" <2027>', progress=40)
    assert rendered["title"] == 'Nurses & "AHPs" <2027>'
    assert rendered["progress"] == 40


@pytest.mark.parametrize("bad", ["<!channel>", "U123>", "u123", "C0PLAN", "", None, "U0A|x"])
def test_the_user_filter_refuses_anything_but_a_user_id(bad: Any) -> None:
    with pytest.raises(ValueError, match="not a Slack user id"):
        from_string(SECTION, title="t", owner=bad)


def test_the_user_filter_accepts_enterprise_user_ids() -> None:
    assert section_text(from_string(SECTION, title="t", owner="W0GRID")) == "*t* <@W0GRID>"


def test_dates_read_the_way_people_write_them() -> None:
    assert format_date(date(2027, 3, 30)) == "Tue 30 Mar 2027"
    assert format_date(datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))) == (
        "Mon 2 Nov 2026"
    )
    assert from_string('{"text": "due {{ due | date }}"}', due=date(2027, 3, 30))["text"] == (
        "due Tue 30 Mar 2027"
    )


def test_none_renders_as_nothing() -> None:
    assert from_string('{"text": "a{{ nothing }}b"}', nothing=None)["text"] == "ab"


def test_an_undefined_name_is_an_error_not_silence() -> None:
    with pytest.raises(Exception, match="tilte"):
        from_string('{"text": "{{ tilte }}"}', title="t")


def test_long_lists_are_summarised_within_the_block_limit() -> None:
    blocks = [{"type": "divider"} for _ in range(60)]
    fitted = fit_blocks(blocks)
    assert len(fitted) == MESSAGE_BLOCK_LIMIT
    assert fitted[-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "…and 11 more"}],
    }
    assert fit_blocks(blocks[:50]) == blocks[:50]


def test_a_view_may_hold_up_to_100_blocks() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "All actions"},
        "blocks": [{"type": "divider"}] * 120,
    }
    fitted = fit(view)
    assert len(fitted["blocks"]) == 100
    assert fitted["blocks"][-1]["elements"][0]["text"] == "…and 21 more"
    assert_valid_blocks(fitted)


def test_long_section_text_is_cut_to_slacks_limit() -> None:
    message = from_string(SECTION, title="x" * 5000, owner="U0ALICE")
    text = section_text(message)
    assert len(text) == SECTION_TEXT_LIMIT
    assert text.endswith("…")
    assert_valid_blocks(message)


def test_text_is_never_cut_inside_an_escape_or_a_mention() -> None:
    assert truncate("ab &amp; cd", 6) == "ab …"
    assert truncate("ab <@U0ALICE> cd", 8) == "ab …"
    assert truncate("ab &amp; cd", 10) == "ab &amp; …"
    assert truncate("short", 10) == "short"


def test_header_fields_and_buttons_are_cut_to_their_limits() -> None:
    message = {
        "text": "t",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "h" * 200}},
            {
                "type": "section",
                "fields": [{"type": "mrkdwn", "text": "f" * 2500}],
                "accessory": {
                    "type": "button",
                    "action_id": "a",
                    "text": {"type": "plain_text", "text": "b" * 100},
                },
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "b",
                        "text": {"type": "plain_text", "text": "c" * 90},
                    }
                ],
            },
        ],
    }
    fitted = fit(message)
    assert len(fitted["blocks"][0]["text"]["text"]) == 150
    assert len(fitted["blocks"][1]["fields"][0]["text"]) == 2000
    assert len(fitted["blocks"][1]["accessory"]["text"]["text"]) == 75
    assert len(fitted["blocks"][2]["elements"][0]["text"]["text"]) == 75
    assert_valid_blocks(fitted)


def test_escape_mrkdwn_escapes_ampersand_first() -> None:
    assert escape_mrkdwn("&lt;") == "&amp;lt;"


def test_the_help_and_error_templates_render_valid_block_kit() -> None:
    usage = [('add "Title" [owner:@u]', "add an action"), ("", "opens the form"), "list"]
    help_message = render(
        "help_reply.json.j2",
        concept="action",
        summary="Actions.",
        usage=[(u, "") if isinstance(u, str) else u for u in usage],
    )
    assert_valid_blocks(help_message)
    error = render(
        "error_reply.json.j2",
        concept="action",
        message="There is no action A-99 <!here>.",
        hint="See `/action list`.",
        usage=[("show A-3", "")],
    )
    assert_valid_blocks(error)
    assert "&lt;!here&gt;" in error["text"]
    assert "<!here>" not in json.dumps(error)
