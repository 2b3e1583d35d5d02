"""The console shows Block Kit as readable terminal text, with numbered buttons."""

from __future__ import annotations

from bot.console.terminal_render import Directory, TerminalRenderer, mrkdwn_to_text

DIRECTORY = Directory(
    users={"U0ALICE": "alice", "U0BOB": "bob"},
    channels={"C0PLAN": "workforce-plan", "C0BOARD": "people-board"},
)


def render(blocks: list[dict], first: int = 1):
    return TerminalRenderer(DIRECTORY).blocks(blocks, first)


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def button(label: str, action_id: str, value: str) -> dict:
    return {"type": "button", "text": plain(label), "action_id": action_id, "value": value}


def test_mentions_become_names_from_the_directory() -> None:
    text = mrkdwn_to_text("<@U0ALICE> asked <@U0BOB> in <#C0PLAN> and <#C0BOARD|board>", DIRECTORY)
    assert text == "@alice asked @bob in #workforce-plan and #board"


def test_unknown_ids_are_shown_as_they_are() -> None:
    assert mrkdwn_to_text("<@U9NOBODY> in <#C9>", DIRECTORY) == "@U9NOBODY in #C9"


def test_markup_is_removed_and_entities_unescaped() -> None:
    text = mrkdwn_to_text("*Overdue* _since_ ~Friday~ &lt;b&gt; Tom &amp; Jerry", DIRECTORY)
    assert text == "Overdue since Friday <b> Tom & Jerry"


def test_underscores_inside_words_and_lone_asterisks_stay() -> None:
    assert mrkdwn_to_text("not_started 5 * 3 = 15", DIRECTORY) == "not_started 5 * 3 = 15"


def test_escaped_mention_typed_by_a_user_is_not_resolved() -> None:
    assert mrkdwn_to_text("&lt;@U0ALICE&gt;", DIRECTORY) == "<@U0ALICE>"


def test_status_emoji_become_unicode_and_unknown_codes_stay_as_words() -> None:
    text = mrkdwn_to_text(":red_circle: Red :large_green_circle: :mystery_thing:", DIRECTORY)
    assert text == "🔴 Red 🟢 :mystery_thing:"


def test_times_are_not_mistaken_for_emoji() -> None:
    assert mrkdwn_to_text("digest at 09:00:00", DIRECTORY) == "digest at 09:00:00"


def test_links_show_their_label_and_address() -> None:
    text = mrkdwn_to_text(
        "<https://example.org/guide|the guide> or <https://example.org>", DIRECTORY
    )
    assert text == "the guide (https://example.org/guide) or https://example.org"


def test_special_mentions_and_dates_use_their_fallback() -> None:
    text = mrkdwn_to_text("<!here> <!date^1700000000^{date_short}|14 Nov 2023>", DIRECTORY)
    assert text == "@here 14 Nov 2023"


def test_header_is_underlined() -> None:
    assert render([{"type": "header", "text": plain("Actions")}]).text == "Actions\n═══════"


def test_section_fields_show_label_and_value() -> None:
    block = {
        "type": "section",
        "text": mrkdwn("*A-3* Recruit 40 healthcare support workers"),
        "fields": [mrkdwn("*Owner*\n<@U0ALICE>"), mrkdwn("*Status*\n:large_orange_circle: Amber")],
    }
    assert render([block]).text == (
        "A-3 Recruit 40 healthcare support workers\n  Owner: @alice\n  Status: 🟠 Amber"
    )


def test_actions_are_numbered_in_order_and_say_what_they_send() -> None:
    blocks = [
        {
            "type": "actions",
            "block_id": "card",
            "elements": [
                button("Update", "action_update", "1:A-3"),
                button("Done", "action_done", "1:A-3"),
            ],
        },
        {
            "type": "section",
            "text": mrkdwn("Risk R-2"),
            "accessory": button("Update risk", "risk_update", "1:R-2"),
        },
    ]
    rendered = render(blocks)
    assert rendered.text == "[1] Update  [2] Done\nRisk R-2\n  [3] Update risk"
    assert [(c.number, c.action_id, c.value, c.block_id) for c in rendered.choices] == [
        (1, "action_update", "1:A-3", "card"),
        (2, "action_done", "1:A-3", "card"),
        (3, "risk_update", "1:R-2", None),
    ]


def test_numbering_can_continue_from_an_earlier_message() -> None:
    rendered = render(
        [{"type": "actions", "elements": [button("Snooze a week", "snooze_week", "1:A-1")]}],
        first=4,
    )
    assert rendered.text == "[4] Snooze a week"
    assert rendered.choices[0].number == 4


def test_menu_options_are_numbered_choices_carrying_the_option() -> None:
    option = {"text": plain("Amber"), "value": "at-risk"}
    block = {
        "type": "actions",
        "elements": [
            {
                "type": "static_select",
                "action_id": "pick_status",
                "placeholder": plain("Status"),
                "options": [{"text": plain("Green"), "value": "on-track"}, option],
            }
        ],
    }
    rendered = render([block])
    assert rendered.text == "Status: [1] Green  [2] Amber"
    assert rendered.choices[1].option == option


def test_context_divider_and_chart_image() -> None:
    blocks = [
        {"type": "context", "elements": [mrkdwn("Updated by <@U0BOB>"), plain("2 days ago")]},
        {"type": "divider"},
        {
            "type": "image",
            "image_url": "https://example.org/c.png",
            "alt_text": "RAG by function",
            "title": plain("Progress by people function"),
        },
        {"type": "image", "image_url": "https://example.org/c.png", "alt_text": "RAG chart"},
    ]
    assert render(blocks).text.split("\n") == [
        "  Updated by @bob  ·  2 days ago",
        "─" * 40,
        "[chart: Progress by people function]",
        "[chart: RAG chart]",
    ]


def test_message_without_blocks_shows_its_text() -> None:
    rendered = TerminalRenderer(DIRECTORY).message({"text": "Saved *A-4* for <@U0ALICE>"})
    assert rendered.text == "Saved A-4 for @alice"
    assert rendered.choices == ()


def test_long_text_wraps_to_the_terminal_width() -> None:
    words = " ".join(["workforce"] * 30)
    rendered = TerminalRenderer(DIRECTORY, width=40).message({"text": words})
    assert all(len(line) <= 40 for line in rendered.text.split("\n"))
    assert rendered.text.replace("\n", " ") == words


def test_modal_shows_title_inputs_with_current_values_and_its_buttons() -> None:
    view = {
        "type": "modal",
        "callback_id": "action_update",
        "title": plain("Update A-3"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            {
                "type": "input",
                "block_id": "progress",
                "label": plain("Progress %"),
                "element": {"type": "plain_text_input", "action_id": "v", "initial_value": "40"},
            },
            {
                "type": "input",
                "block_id": "note",
                "optional": True,
                "label": plain("Note"),
                "hint": plain("What changed?"),
                "element": {"type": "plain_text_input", "action_id": "v"},
            },
            {
                "type": "input",
                "block_id": "owner",
                "label": plain("Owner"),
                "element": {"type": "users_select", "action_id": "v", "initial_user": "U0ALICE"},
            },
        ],
    }
    rendered = TerminalRenderer(DIRECTORY).view(view)
    assert rendered.text.split("\n") == [
        "Update A-3",
        "══════════",
        "Progress %: 40",
        "Note (optional): ____",
        "  What changed?",
        "Owner: @alice",
        "<Save>  <Cancel>",
    ]


def test_rich_text_lists_and_mentions() -> None:
    block = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "Thanks "},
                    {"type": "user", "user_id": "U0BOB"},
                ],
            },
            {
                "type": "rich_text_list",
                "style": "bullet",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "one"}]},
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "two"}]},
                ],
            },
        ],
    }
    assert render([block]).text == "Thanks @bob\n• one\n• two"


def test_a_field_of_several_lines_goes_under_its_label() -> None:
    block = {
        "type": "section",
        "fields": [mrkdwn("*Actions: 30*\n:white_circle: Not started: 4\n:red_circle: Red: 4")],
    }
    assert render([block]).text == "  Actions: 30\n    ⚪ Not started: 4\n    🔴 Red: 4"
