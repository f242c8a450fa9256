"""Identifiers of pupils, establishments and places: UPN, URN, UKPRN and UK postcode.

Each `validate_*` function takes what a person typed or a file held, returns the normalised value and raises
Django's `ValidationError` with a sentence naming what is wrong. Because they raise on bad input they also work
as model and form field validators (Django ignores the return value there); `aphub.core.forms.fields` offers
form fields that also store the normalised value.
"""

import re

from django.core.exceptions import ValidationError

# UK Government Data Standards Catalogue, "Unique Pupil Number" v2.0 (DfE, agreed 18 November 2004),
# http://www.govtalk.gov.uk/gdsc/html/noframes/UniquePupilNumber-2-0-Release.htm, and the DfE Common Basic
# Data Set: the check letter is the sum of each of characters 2-13 times its position (2..13), mod 23, read
# from this alphabet (A-Z without I, O and S). A temporary UPN ends in a letter from the same alphabet, which
# counts in the sum as its index in it (A=0, B=1, ...); I, O and S are never used there either.
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13


def _upn_character_value(character: str) -> int:
    if character.isdigit():
        return int(character)
    return CHECK_LETTERS.index(character)


def upn_check_letter(body12: str) -> str:
    """The check letter for the 12 characters that follow it (11 digits and a final digit or letter)."""
    body = body12.strip().upper()
    if len(body) != UPN_LENGTH - 1 or not body[:11].isdigit() or not (body[11].isdigit() or body[11] in CHECK_LETTERS):
        raise ValueError(f"A UPN body is 11 digits then a digit or a letter from {CHECK_LETTERS}; got {body12!r}")
    total = sum(_upn_character_value(character) * weight for weight, character in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23]


def is_temporary_upn(upn: str) -> bool:
    """A temporary UPN, given while a pupil's permanent one is traced, ends in a letter instead of a digit."""
    value = upn.strip().upper()
    return len(value) == UPN_LENGTH and value[-1].isalpha()


def validate_upn(value: str) -> str:
    upn = value.strip().upper()
    if not upn:
        raise ValidationError("Enter a UPN", code="upn_required")
    if len(upn) != UPN_LENGTH:
        raise ValidationError(
            f"A UPN must be 13 characters; this one has {len(upn)}",
            code="upn_length",
        )
    if upn[0] not in CHECK_LETTERS:
        raise ValidationError(
            "A UPN must start with a check letter (A to Z, but not I, O or S)",
            code="upn_characters",
        )
    la_number = upn[1:4]
    if not la_number.isdigit() or la_number == "000":
        raise ValidationError(
            f"Characters 2 to 4 of a UPN must be the 3-digit LA number; this one has {la_number}",
            code="upn_la_number",
        )
    if not upn[4:12].isdigit():
        raise ValidationError("Characters 5 to 12 of a UPN must be digits", code="upn_characters")
    last = upn[12]
    if not (last.isdigit() or last in CHECK_LETTERS):
        raise ValidationError(
            "The last character of a UPN must be a digit, or a letter (not I, O or S) for a temporary UPN",
            code="upn_characters",
        )
    expected = upn_check_letter(upn[1:])
    if upn[0] != expected:
        raise ValidationError(
            f"The check letter should be {expected}, not {upn[0]}",
            code="upn_check_letter",
        )
    return upn


def _reference_number(value: str, *, name: str, pattern: str, shape: str) -> str:
    """A register's reference number, as typed: "Enter a <name>" when blank, else it must match `pattern`, which
    `shape` says in words ("6 digits, like 103456"). The codes are "<name>_required" and "<name>_invalid"."""
    number = value.strip().upper()
    code = name.lower()
    if not number:
        raise ValidationError(f"Enter a {name}", code=f"{code}_required")
    if not re.fullmatch(pattern, number):
        raise ValidationError(f"A {name} must be {shape}; {number!r} is not", code=f"{code}_invalid")
    return number


def validate_urn(value: str) -> str:
    """A DfE Unique Reference Number of an establishment: 6 digits, 100000 to 999999."""
    return _reference_number(value, name="URN", pattern=r"[1-9]\d{5}", shape="6 digits, like 103456")


def validate_ukprn(value: str) -> str:
    """A UK Provider Reference Number (UK Register of Learning Providers): 8 digits starting with 1."""
    return _reference_number(value, name="UKPRN", pattern=r"1\d{7}", shape="8 digits starting with 1, like 10012345")


# Outward code: an area of 1-2 letters, a district digit, then an optional digit or letter (B9, B91, EC1A).
# Inward code: a sector digit and two unit letters, which never include C, I, K, M, O or V (Royal Mail PAF).
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})")


def validate_postcode(value: str) -> str:
    """A UK postcode, returned as "OUTWARD INWARD" with one space, e.g. "B91 3QB"."""
    compact = re.sub(r"\s+", "", value).upper()
    match = _POSTCODE.fullmatch(compact)
    if not match:
        raise ValidationError("Enter a real postcode, like B91 3QB", code="postcode_invalid")
    return f"{match[1]} {match[2]}"
