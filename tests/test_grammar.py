"""Slash-command text is split the way Slack sends it, and odd text is refused, never crashes."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar import (
    MAX_COMMAND_TEXT,
    ParsedText,
    Token,
    TooLong,
    UnclosedQuote,
    parse_command_text,
    parse_share,
)
from governance.errors import Invalid


def slack_escape(text: str) -> str:
    """What Slack does to the user's own &, < and > before sending a command."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_an_action_add_command_is_split_into_its_parts() -> None:
    parsed = parse_command_text(
        'add "Recruit 20 nurses" owner:<@U123ABC|bob> function:supply due:2027-03-31 '
        'partner:"NHS Devon"'
    )
    assert parsed.words == ["add"]
    assert parsed.quoted == ["Recruit 20 nurses"]
    assert parsed.options == {
        "owner": "U123ABC",
        "function": "supply",
        "due": "2027-03-31",
        "partner": "NHS Devon",
    }
    assert parsed.users == []


def test_tokens_keep_the_order_typed() -> None:
    parsed = parse_command_text('update A-3 status:amber "note" <@U1>')
    assert parsed.tokens == [
        Token("word", "update"),
        Token("word", "A-3"),
        Token("option", "amber", key="status"),
        Token("quoted", "note"),
        Token("user", "U1"),
    ]


def test_parsed_text_cannot_be_reassigned() -> None:
    parsed = parse_command_text("list")
    with pytest.raises(AttributeError):
        parsed.words = []  # type: ignore[misc]


def test_empty_text_has_no_tokens() -> None:
    assert parse_command_text("   \n\t ") == ParsedText([], [], [], {}, [], [], [])


def test_user_mentions_with_and_without_names_give_user_ids() -> None:
    parsed = parse_command_text('"Great rota" <@U1|ann> <@W2> <@U3|bob smith>, <@U4><@U5>')
    assert parsed.users == ["U1", "W2", "U3", "U4", "U5"]
    assert parsed.words == []


def test_a_mention_as_an_option_value_gives_the_id_and_is_not_a_user_token() -> None:
    parsed = parse_command_text("list owner:<@U123|bob> <@U9>")
    assert parsed.options == {"owner": "U123"}
    assert parsed.users == ["U9"]


def test_channels_give_channel_ids() -> None:
    parsed = parse_command_text("board <#C123|people-board> <#G456>")
    assert parsed.channels == ["C123", "G456"]
    assert parsed.words == ["board"]


def test_smart_quotes_from_autocorrect_work_like_straight_quotes() -> None:
    parsed = parse_command_text("add “Recruit 20 nurses” partner:“NHS Devon” ‘Ward 7’")
    assert parsed.quoted == ["Recruit 20 nurses", "Ward 7"]
    assert parsed.options == {"partner": "NHS Devon"}


def test_single_quotes_work_and_apostrophes_inside_words_are_letters() -> None:
    parsed = parse_command_text("add 'St John's Hospital' don't St John’s")
    assert parsed.quoted == ["St John's Hospital"]
    assert parsed.words == ["add", "don't", "St", "John’s"]


def test_double_quoted_text_may_hold_apostrophes_and_smart_single_quotes() -> None:
    assert parse_command_text('"Nurses’ rota isn\'t ‘fair’"').quoted == [
        "Nurses’ rota isn't ‘fair’"
    ]


@pytest.mark.parametrize(
    "text", ['add "Recruit 20 nurses', "add “Recruit", "add 'oops", 'partner:"NHS Devon', '"a"b']
)
def test_an_unclosed_quote_is_refused_with_a_friendly_message(text: str) -> None:
    with pytest.raises(UnclosedQuote) as caught:
        parse_command_text(text)
    assert isinstance(caught.value, Invalid)
    assert "quote is not closed" in caught.value.message
    assert caught.value.hint


def test_the_unclosed_quote_message_does_not_repeat_the_text() -> None:
    with pytest.raises(UnclosedQuote) as caught:
        parse_command_text('staff "patient 943 476 5919 waited')
    assert "943" not in caught.value.message


def test_spaces_tabs_and_newlines_all_separate() -> None:
    parsed = parse_command_text("  list\t\tmine \n overdue\u00a0 red  ")
    assert parsed.words == ["list", "mine", "overdue", "red"]


def test_quoted_text_keeps_its_inner_spacing_and_newlines() -> None:
    assert parse_command_text('"line one\n  line two"').quoted == ["line one\n  line two"]


def test_option_keys_are_lower_cased_and_values_keep_their_case() -> None:
    assert parse_command_text("Status:Amber").options == {"status": "Amber"}


def test_a_space_after_the_colon_is_forgiven() -> None:
    assert parse_command_text("update A-3 status: amber").options == {"status": "amber"}


def test_an_option_with_no_value_is_empty() -> None:
    parsed = parse_command_text("list due: owner:<@U1>")
    assert parsed.options == {"due": "", "owner": "U1"}


def test_an_option_given_twice_is_invalid() -> None:
    with pytest.raises(Invalid, match="status: is given twice"):
        parse_command_text("update A-3 status:red Status:amber")


@pytest.mark.parametrize("text", ["09:00", "12:30pm", "a1:b", "https://www.nhs.uk/x?a=b", "é:x"])
def test_times_urls_and_non_alphabetic_keys_stay_words(text: str) -> None:
    parsed = parse_command_text(text)
    assert parsed.words == [text]
    assert parsed.options == {}


def test_colons_inside_quotes_are_just_text() -> None:
    parsed = parse_command_text('"Meet at 09:00, see https://nhs.uk status:red"')
    assert parsed.quoted == ["Meet at 09:00, see https://nhs.uk status:red"]
    assert parsed.options == {}


def test_option_values_may_hold_colons_and_at_signs() -> None:
    parsed = parse_command_text("settings digest:mon@09:00 nudges:09:00 quiet:weekends")
    assert parsed.options == {"digest": "mon@09:00", "nudges": "09:00", "quiet": "weekends"}


def test_links_escaped_by_slack_read_as_what_was_typed() -> None:
    parsed = parse_command_text("<https://www.nhs.uk|www.nhs.uk> <https://example.org/a>")
    assert parsed.words == ["www.nhs.uk", "https://example.org/a"]


def test_html_escapes_are_undone_for_storage() -> None:
    parsed = parse_command_text('"R&amp;D &lt;3 &gt; A&amp;E" Q&amp;A partner:"Smith &amp; Co"')
    assert parsed.quoted == ["R&D <3 > A&E"]
    assert parsed.words == ["Q&A"]
    assert parsed.options == {"partner": "Smith & Co"}


def test_a_literal_escape_typed_by_the_user_survives() -> None:
    assert parse_command_text('"type &amp;lt; for <"').quoted == ["type &lt; for <"]


def test_special_mentions_are_flagged_and_never_kept_as_pings() -> None:
    parsed = parse_command_text(
        '"well done <!channel>" <!here> <!everyone|everyone> <!subteam^S1|@nurses>'
    )
    assert parsed.quoted == ["well done @channel"]
    assert parsed.special_mentions == ["@channel", "@here", "@everyone", "@nurses"]
    assert [token.kind for token in parsed.tokens] == ["quoted", "special", "special", "special"]
    assert all("<!" not in token.value for token in parsed.tokens)


def test_a_special_mention_as_an_option_value_is_flagged() -> None:
    parsed = parse_command_text("list owner:<!here>")
    assert parsed.options == {"owner": "@here"}
    assert parsed.special_mentions == ["@here"]


def test_mentions_inside_quoted_text_become_readable_text() -> None:
    parsed = parse_command_text('"thanks <@U1|ann> and <@U2> in <#C1|wards>"')
    assert parsed.quoted == ["thanks @ann and @U2 in #wards"]
    assert parsed.users == []


def test_a_slack_date_reads_as_its_fallback_text() -> None:
    parsed = parse_command_text('"from <!date^1392734382^{date}|Feb 18, 2014>"')
    assert parsed.quoted == ["from Feb 18, 2014"]
    assert parsed.special_mentions == []


def test_the_risk_share_option_keeps_its_quoted_parts_for_parse_share() -> None:
    parsed = parse_command_text('add "Pooled budget" share:"Org A"=60,"Org B"=40 likelihood:4')
    assert parsed.options["share"] == '"Org A"=60,"Org B"=40'
    assert parsed.options["likelihood"] == "4"
    assert parse_share(parsed.options["share"]) == [("Org A", 60), ("Org B", 40)]


def test_a_risk_share_may_have_spaces_after_its_commas() -> None:
    parsed = parse_command_text('share:"Org A"=60, "Org B"=40, DevonCC=0 impact:5')
    assert parse_share(parsed.options["share"]) == [("Org A", 60), ("Org B", 40), ("DevonCC", 0)]
    assert parsed.options["impact"] == "5"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("NHSDevon=60,DevonCC=40", [("NHSDevon", 60), ("DevonCC", 40)]),
        ('"Org A"=60,"Org B"=40', [("Org A", 60), ("Org B", 40)]),
        ("“Org A”=60,‘Org B’=40", [("Org A", 60), ("Org B", 40)]),
        ('"Smith, Jones = Co"=100', [("Smith, Jones = Co", 100)]),
        ("A = 70% , B=30%,", [("A", 70), ("B", 30)]),
        ("Org A=50,Org B=50", [("Org A", 50), ("Org B", 50)]),
    ],
)
def test_parse_share_reads_names_and_whole_percentages(
    value: str, expected: list[tuple[str, int]]
) -> None:
    assert parse_share(value) == expected


def test_parse_share_leaves_the_sum_to_the_domain() -> None:
    assert parse_share("A=70,B=70") == [("A", 70), ("B", 70)]


@pytest.mark.parametrize(
    "value", ["", ",", "A", "A=60,B", "=60", "A=sixty", "A=1.5", "A=-5", '"A=60']
)
def test_a_badly_formed_share_is_invalid(value: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_share(value)
    assert caught.value.hint


slack_fragments = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "'",
        "‘",
        "’",
        "<",
        ">",
        "<@U1>",
        "<@U2|bo b>",
        "<#C1|x>",
        "<!here>",
        "<!subteam^S1>",
        "&amp;",
        "&lt;",
        "share:",
        "owner:",
        "a:",
        "//",
        ",",
        "=",
        " ",
        "\n",
        "word",
        "60",
        "09:00",
    ]
)
PING_ESCAPE = re.compile(r"<![^<>]*>")
near_commands = st.lists(slack_fragments, max_size=12).map("".join)


@settings(max_examples=200)
@given(text=st.text() | near_commands)
def test_any_text_parses_or_is_invalid_never_anything_else(text: str) -> None:
    with contextlib.suppress(Invalid):
        parsed = parse_command_text(text)
        # A ping Slack sent as an escape never survives as one. Text the user typed as
        # `&lt;!here&gt;` is stored as literal `<!here>` on purpose, and so is a lone `<!`
        # that closes nothing: renderers escape both, so neither can ping.
        if "&lt;" not in text:
            assert not any(PING_ESCAPE.search(token.value) for token in parsed.tokens)


@settings(max_examples=200)
@given(text=st.text() | near_commands)
def test_parse_share_never_raises_anything_but_invalid(text: str) -> None:
    with contextlib.suppress(Invalid):
        assert all(0 <= share <= 999 for _, share in parse_share(text))


free_text = st.text(
    alphabet=st.characters(blacklist_characters='"“”„', blacklist_categories=("Cs",))
)


@settings(max_examples=200)
@given(text=free_text, quotes=st.sampled_from(['""', "“”"]))
def test_quoted_text_round_trips_through_slack_escaping(text: str, quotes: str) -> None:
    typed = quotes[0] + slack_escape(text) + quotes[1]
    assert parse_command_text(typed).quoted == [text]


bare_words = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"),
        blacklist_characters="\"“”„'‘’:\x1c\x1d\x1e\x1f\x85",
    ),
    min_size=1,
)


@settings(max_examples=200)
@given(words=st.lists(bare_words, max_size=6))
def test_bare_words_round_trip_in_order(words: list[str]) -> None:
    assert parse_command_text(" ".join(slack_escape(w) for w in words)).words == words


LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
keys = st.builds(str.__add__, st.sampled_from(LOWER), st.text(LOWER + "-", max_size=10))
values = st.builds(
    str.__add__,
    st.sampled_from(LOWER + UPPER_DIGITS + "@.+_-"),
    st.text(LOWER + UPPER_DIGITS + "@:.+_/-", max_size=12),
)


@settings(max_examples=200)
@given(options=st.dictionaries(keys, values, max_size=5))
def test_options_round_trip(options: dict[str, str]) -> None:
    typed = " ".join(f"{key}:{value}" for key, value in options.items())
    assert parse_command_text(typed).options == options


user_ids = st.builds(
    str.__add__, st.sampled_from("UW"), st.text(UPPER_DIGITS, min_size=2, max_size=10)
)
labels = st.none() | st.builds(
    str.__add__, st.sampled_from(LOWER), st.text(LOWER + ". ", max_size=10)
)


@settings(max_examples=200)
@given(
    mentions=st.lists(st.tuples(user_ids, labels), max_size=5),
    filler=st.lists(
        st.sampled_from(["list", '"note"', "status:red", "A-3"]), max_size=3, unique=True
    ),
)
def test_every_mention_is_extracted_in_order(
    mentions: list[tuple[str, str | None]], filler: list[str]
) -> None:
    parts = [f"<@{uid}|{label}>" if label else f"<@{uid}>" for uid, label in mentions]
    typed = " ".join(filler + parts)
    assert parse_command_text(typed).users == [uid for uid, _ in mentions]


@pytest.mark.parametrize(
    "text, key, date_text, rest",
    [
        ('"Recruit 40 nurses" owner:<@U1|sam> due:31 Mar', "due", "31 Mar", []),
        ('A-1 due:next friday "Waiting on HR"', "due", "next friday", ["A-1"]),
        ('"Fill rota" review:end of March likelihood:3', "review", "end of March", []),
        ("me away:Thu 24 Dec 2026 tz:Europe/London", "away", "Thu 24 Dec 2026", ["me"]),
        ("A-1 due:w/c 7 Dec status:A", "due", "w/c 7 Dec", ["A-1"]),
        ("A-1 due: Friday 4th December", "due", "Friday 4th December", ["A-1"]),
        ("Recruit due:friday bank staff", "due", "friday", ["Recruit", "bank", "staff"]),
        ("add due:31 Mar Recruit nurses", "due", "31 Mar", ["add", "Recruit", "nurses"]),
    ],
)
def test_a_date_option_takes_the_words_after_it_that_make_a_date(
    text: str, key: str, date_text: str, rest: list[str]
) -> None:
    parsed = parse_command_text(text)
    assert parsed.options[key] == date_text
    assert parsed.words == rest


def test_only_date_options_run_over_several_words() -> None:
    parsed = parse_command_text("add Ward rota function:supply 31 Mar")
    assert parsed.options == {"function": "supply"}
    assert parsed.words == ["add", "Ward", "rota", "31", "Mar"]


@pytest.mark.parametrize("key", ["due", "review", "away"])
def test_a_date_that_does_not_read_says_how_to_write_it(key: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_command_text(f'"Rota" {key}:31 Marhc')
    assert caught.value.message == f"I couldn't read “31 Marhc” as a date for `{key}:`."
    assert f'{key}:"next friday"' in (caught.value.hint or "")


def test_text_longer_than_the_cap_is_refused_unread_and_kept_to_give_back() -> None:
    at_the_cap = '"' + "x" * (MAX_COMMAND_TEXT - 2) + '"'
    assert parse_command_text(at_the_cap).quoted == ["x" * (MAX_COMMAND_TEXT - 2)]
    typed = 'add "t" share:x' + '"' * MAX_COMMAND_TEXT
    with pytest.raises(TooLong) as caught:
        parse_command_text(typed)
    assert caught.value.text == typed
    assert f"That is {len(typed):,} characters" in caught.value.message
    assert f"at most {MAX_COMMAND_TEXT:,}" in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        'add "t" share:x' + '"' * 50_000,
        '"a" ' * 10_000,
        " ".join(f"{a}{b}{c}:1" for a in "abcdefgh" for b in "abcdefgh" for c in "abcdefgh"),
        "share:" + ", ".join(f'"Org {n}"=1' for n in range(3_000)),
    ],
)
def test_the_reader_without_the_cap_reads_long_pathological_text(text: str) -> None:
    """The shapes of benchmarks/parse_scale.py: read or refused, never anything else."""
    with contextlib.suppress(Invalid):
        parsed = parse_command_text(text, limit=None)
        if "share" in parsed.options:
            parse_share(parsed.options["share"])


def test_many_options_each_given_once_are_all_read() -> None:
    keys = [f"{a}{b}" for a in "abcdefghij" for b in "abcdefghij"]
    parsed = parse_command_text(" ".join(f"{key}:{n}" for n, key in enumerate(keys)))
    assert parsed.options == {key: str(n) for n, key in enumerate(keys)}
