"""Patient-identifiable data has no place in Slack: catch NHS numbers before text is stored.

An NHS number is 10 digits, the last a modulus-11 check digit: weights 10 down to 2 on the
first nine digits, check = 11 - (sum mod 11), where 11 means 0 and 10 means no valid number.
People write it plain (9434765919), spaced 3-3-4 (943 476 5919) or hyphenated (943-476-5919).
"""

from __future__ import annotations

import re

from governance.errors import Invalid

# A lookahead so that candidates may overlap: a run that fails the check must not hide a
# valid number starting inside it. [0-9], not \d: other scripts' digits are not NHS numbers.
_CANDIDATE = re.compile(r"(?<![0-9])(?=([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})(?![0-9]))")


def is_valid_nhs_number(digits: str) -> bool:
    """Whether 10 ASCII digits pass the NHS modulus-11 check."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def contains_nhs_number(text: str) -> bool:
    """Whether `text` holds a valid NHS number anywhere, not counting digits of a longer run."""
    return any(is_valid_nhs_number("".join(match.groups())) for match in _CANDIDATE.finditer(text))


def refuse_patient_identifiers(text: str) -> None:
    """Raise Invalid if `text` holds an NHS number; the message never repeats the text."""
    if contains_nhs_number(text):
        raise Invalid(
            "This looks like it contains an NHS number, so it was not saved: please remove "
            "patient-identifiable data and try again.",
            hint="Describe the situation without names, NHS numbers or other patient details.",
        )
