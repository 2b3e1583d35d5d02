"""Text holding a valid NHS number is refused before it is stored, without repeating it."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from governance.errors import Invalid
from governance.parsing.patient_identifiers import (
    contains_nhs_number,
    is_valid_nhs_number,
    refuse_patient_identifiers,
)

VALID = "9434765919"


def with_check_digit(first_nine: str) -> str | None:
    """The NHS number for nine digits, or None when no check digit exists for them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else first_nine + str(check)


def written(number: str, style: str) -> str:
    if style == "plain":
        return number
    separator = " " if style == "spaced" else "-"
    return separator.join([number[:3], number[3:6], number[6:]])


def test_the_published_example_is_a_valid_nhs_number() -> None:
    assert is_valid_nhs_number(VALID)


@pytest.mark.parametrize(
    "text",
    [
        "9434765919",
        "Patient 943 476 5919 was discharged late",
        "NHS no: 943-476-5919.",
        "(9434765919)",
        "ref:9434765919x",
    ],
)
def test_a_valid_nhs_number_in_any_usual_form_is_found(text: str) -> None:
    assert contains_nhs_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "9434765918",  # wrong check digit
        "943476591",  # nine digits
        "19434765919",  # inside an 11-digit run
        "943476591900",  # inside a 12-digit run
        "1943 476 5919",  # spaced, but the first group runs on from another digit
        "94 34 76 59 19",  # not grouped as an NHS number is
        "Call 01392 123456 about ward 7",
        "No identifiers here at all",
    ],
)
def test_text_without_a_valid_nhs_number_is_not_flagged(text: str) -> None:
    assert not contains_nhs_number(text)


def test_numbers_whose_check_digit_would_be_ten_are_never_valid() -> None:
    # 1,0,0,0,0,0,0,0,1 weighs 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10.
    assert not any(is_valid_nhs_number("100000001" + str(d)) for d in range(10))


def test_a_failing_candidate_does_not_hide_a_valid_number_after_it() -> None:
    assert contains_nhs_number("123 456 7890 and 943 476 5919")


def test_other_scripts_digits_are_not_nhs_numbers() -> None:
    arabic_indic = VALID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert not contains_nhs_number(arabic_indic)


def test_refusal_message_asks_to_remove_patient_data_without_echoing_the_text() -> None:
    text = "Mrs Smith, NHS 943 476 5919, waited 6 hours"
    with pytest.raises(Invalid) as caught:
        refuse_patient_identifiers(text)
    message = caught.value.message + (caught.value.hint or "")
    assert "NHS number" in message
    assert "patient-identifiable" in message
    assert "943" not in message and "Smith" not in message


def test_text_without_identifiers_passes() -> None:
    refuse_patient_identifiers("Staff on ward 7 asked for 10 more rota slots in 2027")


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
non_digit_text = st.text(alphabet=st.characters(blacklist_characters="0123456789"), max_size=30)
styles = st.sampled_from(["plain", "spaced", "hyphenated"])


@settings(max_examples=200)
@given(first_nine=nine_digits, before=non_digit_text, after=non_digit_text, style=styles)
def test_a_valid_number_is_found_in_any_surrounding_non_digit_text(
    first_nine: str, before: str, after: str, style: str
) -> None:
    number = with_check_digit(first_nine)
    assume(number is not None)
    assert number is not None
    assert contains_nhs_number(before + written(number, style) + after)


@settings(max_examples=200)
@given(
    first_nine=nine_digits,
    position=st.integers(min_value=0, max_value=9),
    shift=st.integers(min_value=1, max_value=9),
    style=styles,
)
def test_changing_one_digit_of_a_valid_number_makes_it_invalid(
    first_nine: str, position: int, shift: int, style: str
) -> None:
    # Weights 2..10 and digit changes 1..9 are never multiples of the prime 11, so one changed
    # digit always breaks the check: the algorithm catches every single-digit typo.
    number = with_check_digit(first_nine)
    assume(number is not None)
    assert number is not None
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not contains_nhs_number("NHS " + written(changed, style) + " seen")


@settings(max_examples=200)
@given(run=st.text(alphabet="0123456789", min_size=11, max_size=40), around=non_digit_text)
def test_digit_runs_longer_than_ten_never_match(run: str, around: str) -> None:
    assert not contains_nhs_number(around + run + around)


@settings(max_examples=200)
@given(text=st.text())
def test_detection_never_crashes_on_any_text(text: str) -> None:
    assert contains_nhs_number(text) in (True, False)
