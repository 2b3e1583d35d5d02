"""A message's text as an action's title and description (the Add as action shortcut)."""

from __future__ import annotations

from governance.actions.from_message import title_and_description
from governance.actions.models import DESCRIPTION_MAX, TITLE_MAX


def test_a_short_message_is_the_title_and_its_later_lines_the_description() -> None:
    text = "  Review the  rota gaps \n\nWard 7 first, then ED.\nBy Friday. "
    assert title_and_description(text) == (
        "Review the rota gaps",
        "Ward 7 first, then ED.\nBy Friday.",
    )


def test_a_long_first_line_is_cut_between_words_within_the_title_limit() -> None:
    words = " ".join(f"word{n:03d}" for n in range(60))
    title, description = title_and_description(words)
    assert len(title) <= TITLE_MAX and words.startswith(title + " ")
    assert f"{title} {description}" == words


def test_one_word_longer_than_the_title_is_cut_inside_it_and_marked() -> None:
    title, description = title_and_description("x" * 450)
    assert len(title) == TITLE_MAX and title.endswith("…")
    assert description == "…" + "x" * (450 - TITLE_MAX + 1)


def test_the_description_is_kept_within_its_limit() -> None:
    _, description = title_and_description("Title\n" + "y" * (DESCRIPTION_MAX + 50))
    assert len(description) == DESCRIPTION_MAX and description.endswith("…")


def test_an_empty_message_leaves_the_form_to_be_filled_in() -> None:
    assert title_and_description(" \n ") == ("", "")
