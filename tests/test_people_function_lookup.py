"""A people function is found by key, number, name, prefix or typo; anything else lists them."""

from __future__ import annotations

import contextlib
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from governance.errors import Invalid
from governance.models import PeopleFunction
from governance.people_functions.catalogue import PEOPLE_FUNCTIONS, FunctionEntry
from governance.people_functions.lookup import FUNCTIONS_HINT, find_function


@pytest.mark.parametrize(
    "typed, key",
    [
        ("supply", "supply"),
        ("2", "supply"),
        ("#2", "supply"),
        ("function 2", "supply"),
        ("10", "system-design"),
        ("SUPPLY", "supply"),
        ("  Wellbeing ", "wellbeing"),
        ("social economic", "social-economic"),
        ("socialeconomic", "social-economic"),
        ("people_services", "people-services"),
        ("People Services", "people-services"),
        ("Supporting the health and wellbeing of all staff", "wellbeing"),
        ("supporting system design and development.", "system-design"),
        ("well", "wellbeing"),
        ("edu", "education"),
        ("sys", "system-design"),
        ("wellbeeing", "wellbeing"),
        ("suply", "supply"),
        ("leadershp", "leadership"),
        ("transfromation", "transformation"),
    ],
)
def test_a_function_is_found_however_it_is_named(typed: str, key: str) -> None:
    assert find_function(typed).key == key


def test_every_key_number_and_official_name_finds_its_own_function() -> None:
    for entry in PEOPLE_FUNCTIONS:
        assert find_function(entry.key) == entry
        assert find_function(str(entry.number)) == entry
        assert find_function(entry.name) == entry
        assert find_function(entry.name.upper()) == entry


def single_edits(word: str) -> set[str]:
    edits: set[str] = set()
    for i in range(len(word)):
        edits.add(word[:i] + word[i + 1 :])
        if i + 1 < len(word):
            edits.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for letter in string.ascii_lowercase:
            edits.add(word[:i] + letter + word[i + 1 :])
            edits.add(word[:i] + letter + word[i:])
    return edits


@pytest.mark.parametrize("entry", PEOPLE_FUNCTIONS, ids=lambda entry: entry.key)
def test_every_one_letter_typo_of_a_key_still_finds_it(entry: FunctionEntry) -> None:
    for typo in single_edits(entry.key):
        assert find_function(typo) == entry, typo


def test_a_prefix_shared_by_several_functions_is_ambiguous_and_names_them() -> None:
    with pytest.raises(Invalid) as caught:
        find_function("s")
    assert (
        caught.value.message
        == "“s” could be any of supply, social-economic, system-design; which one?"
    )
    assert caught.value.hint == FUNCTIONS_HINT


@pytest.mark.parametrize("typed", ["staff", "11", "0", "nursing", "x" * 200, "1" * 5000])
def test_an_unknown_function_is_invalid_with_a_hint_listing_all_ten(typed: str) -> None:
    with pytest.raises(Invalid) as caught:
        find_function(typed)
    assert len(caught.value.message) < 120
    assert caught.value.hint == FUNCTIONS_HINT


def test_the_hint_lists_the_ten_keys_with_their_numbers() -> None:
    assert FUNCTIONS_HINT.startswith("People functions: 1 wellbeing, 2 supply, 3 inclusion")
    assert FUNCTIONS_HINT.endswith("9 planning, 10 system-design")


def test_empty_text_asks_for_a_function() -> None:
    with pytest.raises(Invalid, match="Please name a people function"):
        find_function(" - ")


def test_seeded_table_ids_equal_the_catalogue_numbers(engine: Engine) -> None:
    # lookup.py relies on this: an entry's number is its people_functions row id.
    with Session(engine) as session:
        rows = session.scalars(select(PeopleFunction).order_by(PeopleFunction.id)).all()
    assert [(row.id, row.number, row.key, row.name) for row in rows] == [
        (entry.number, entry.number, entry.key, entry.name) for entry in PEOPLE_FUNCTIONS
    ]


@settings(max_examples=200)
@given(
    entry=st.sampled_from(PEOPLE_FUNCTIONS),
    separator=st.sampled_from(["-", "_", " ", "  "]),
    upper=st.booleans(),
)
def test_keys_survive_any_case_and_separator(
    entry: FunctionEntry, separator: str, upper: bool
) -> None:
    typed = entry.key.replace("-", separator)
    assert find_function(typed.upper() if upper else typed) == entry


@settings(max_examples=200)
@given(typed=st.text())
def test_lookup_never_raises_anything_but_invalid(typed: str) -> None:
    with contextlib.suppress(Invalid):
        assert find_function(typed) in PEOPLE_FUNCTIONS
