"""References like A-3 are read however people type them, and the wrong kind is named."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.errors import Invalid
from governance.parsing.references import KINDS, format_ref, parse_ref


@pytest.mark.parametrize("typed", ["A-3", "a3", "A 3", "#3", "3", "A#3", " a-03 ", "A-3."])
def test_an_action_reference_is_read_in_any_common_form(typed: str) -> None:
    assert parse_ref(typed, "A") == 3


@pytest.mark.parametrize("prefix", ["A", "R", "F", "W"])
def test_each_kind_reads_its_own_prefix(prefix: str) -> None:
    assert parse_ref(f"{prefix}-12", prefix) == 12
    assert parse_ref(f"{prefix.lower()}12", prefix) == 12


def test_a_risk_reference_where_an_action_is_wanted_says_what_is_expected() -> None:
    with pytest.raises(Invalid) as caught:
        parse_ref("R-2", "A")
    assert caught.value.message == "R-2 is a risk; this needs an action, like A-3."


def test_an_action_reference_where_feedback_is_wanted_says_what_is_expected() -> None:
    with pytest.raises(Invalid, match="A-4 is an action; this needs a feedback, like F-3"):
        parse_ref("a4", "F")


@pytest.mark.parametrize("typed", ["", "A-", "A--3", "X-3", "three", "A-3-4", "A-1.5"])
def test_text_that_is_not_a_reference_is_invalid(typed: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_ref(typed, "A")
    assert caught.value.hint == "Write it like A-3."


def test_reference_zero_does_not_exist() -> None:
    with pytest.raises(Invalid, match="There is no action A-0"):
        parse_ref("A-0", "A")


def test_a_number_too_big_to_store_is_invalid() -> None:
    with pytest.raises(Invalid):
        parse_ref("A-99999999999", "A")


def test_an_unknown_prefix_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_ref("Q-1", "Q")


@settings(max_examples=200)
@given(
    prefix=st.sampled_from(sorted(KINDS)),
    number=st.integers(min_value=1, max_value=2**31 - 1),
    spelling=st.sampled_from(["{p}-{n}", "{p}{n}", "{p} {n}", "#{n}", "{n}", "{lp}-{n}"]),
)
def test_any_reference_round_trips(prefix: str, number: int, spelling: str) -> None:
    typed = spelling.format(p=prefix, lp=prefix.lower(), n=number)
    assert parse_ref(typed, prefix) == number
    assert parse_ref(format_ref(prefix, number), prefix) == number


@settings(max_examples=200)
@given(
    wanted=st.sampled_from(sorted(KINDS)),
    given_prefix=st.sampled_from(sorted(KINDS)),
    number=st.integers(min_value=1, max_value=10_000),
)
def test_another_kinds_reference_is_always_refused(
    wanted: str, given_prefix: str, number: int
) -> None:
    if wanted == given_prefix:
        return
    with pytest.raises(Invalid, match=KINDS[wanted]):
        parse_ref(f"{given_prefix}-{number}", wanted)


@settings(max_examples=200)
@given(typed=st.text(), prefix=st.sampled_from(sorted(KINDS)))
def test_parse_ref_never_raises_anything_but_invalid(typed: str, prefix: str) -> None:
    with contextlib.suppress(Invalid):
        assert parse_ref(typed, prefix) >= 1
