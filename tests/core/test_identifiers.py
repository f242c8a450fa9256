import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from aphub.core.forms.fields import PostcodeField, UPNField
from aphub.core.identifiers import (
    CHECK_LETTERS,
    is_temporary_upn,
    upn_check_letter,
    validate_postcode,
    validate_ukprn,
    validate_upn,
    validate_urn,
)


def message_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return excinfo.value.messages[0]


# B801200005001 is python-stdnum's stdnum.gb.upn example. P207000016049 corrects the school census error 1510
# help example (e.g. Arbor's), whose sum is really 266, not 267: 266 mod 23 = 13 -> P.
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("P207000016049", "P207000016049"),
        ("  p207000016049 ", "P207000016049"),
        ("B801200005001", "B801200005001"),
    ],
)
def test_valid_upn_is_returned_normalised(typed, expected):
    assert validate_upn(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a UPN"),
        ("Q20700001604", "A UPN must be 13 characters; this one has 12"),
        ("P2070000160491", "A UPN must be 13 characters; this one has 14"),
        ("1207000016049", "A UPN must start with a check letter (A to Z, but not I, O or S)"),
        ("I207000016049", "A UPN must start with a check letter (A to Z, but not I, O or S)"),
        ("Q2A7000016049", "Characters 2 to 4 of a UPN must be the 3-digit LA number; this one has 2A7"),
        ("Q000000016049", "Characters 2 to 4 of a UPN must be the 3-digit LA number; this one has 000"),
        ("Q2070000X6049", "Characters 5 to 12 of a UPN must be digits"),
        (
            "Q20700001604O",
            "The last character of a UPN must be a digit, or a letter (not I, O or S) for a temporary UPN",
        ),
        (
            "Q20700001604-",
            "The last character of a UPN must be a digit, or a letter (not I, O or S) for a temporary UPN",
        ),
        ("B207000016049", "The check letter should be P, not B"),
    ],
)
def test_invalid_upn_names_what_is_wrong(typed, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_upn(typed)
    assert message_of(excinfo) == message


def test_check_letter_of_the_dfe_worked_example():
    # (2x2)+(4x7)+(9x1)+(10x6)+(12x4)+(13x9) = 266; 266 mod 23 = 13 -> P (A=0 ... skipping I and O).
    assert upn_check_letter("207000016049") == "P"


def test_temporary_upn_counts_its_final_letter_by_its_index_in_the_check_alphabet():
    body = "20700001604A"  # A counts 0 in position 13, the same as a 0 digit
    assert upn_check_letter(body) == upn_check_letter("207000016040")
    body_b = "20700001604B"  # B counts 1: 13 more than A
    assert CHECK_LETTERS.index(upn_check_letter(body_b)) == (CHECK_LETTERS.index(upn_check_letter(body)) + 13) % 23
    upn = upn_check_letter(body_b) + body_b
    assert validate_upn(upn) == upn
    assert is_temporary_upn(upn)
    assert not is_temporary_upn("P207000016049")


def test_check_letter_refuses_a_malformed_body():
    with pytest.raises(ValueError):
        upn_check_letter("2070000160")
    with pytest.raises(ValueError):
        upn_check_letter("20700001604S")


bodies = st.builds(
    lambda digits, last: digits + last,
    st.text("0123456789", min_size=11, max_size=11).filter(lambda s: s[:3] != "000"),
    st.sampled_from("0123456789" + CHECK_LETTERS),
)


@given(bodies)
def test_any_body_with_its_computed_check_letter_is_a_valid_upn(body):
    upn = upn_check_letter(body) + body
    assert validate_upn(upn) == upn
    assert is_temporary_upn(upn) == body[-1].isalpha()


@given(bodies, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_changes_the_check_letter(body, position, change):
    if not body[position].isdigit():
        return
    changed_digit = str((int(body[position]) + change) % 10)
    changed = body[:position] + changed_digit + body[position + 1 :]
    # Weights 2..13 are all below 23, which is prime, so a single changed digit always changes the sum mod 23.
    assert upn_check_letter(changed) != upn_check_letter(body)
    if changed[:3] != "000":
        with pytest.raises(ValidationError):
            validate_upn(upn_check_letter(body) + changed)


@pytest.mark.parametrize(("typed", "expected"), [("100000", "100000"), (" 999999 ", "999999"), ("137263", "137263")])
def test_valid_urn(typed, expected):
    assert validate_urn(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a URN"),
        ("99999", "A URN must be 6 digits, like 103456; '99999' is not"),
        ("012345", "A URN must be 6 digits, like 103456; '012345' is not"),
        ("1234567", "A URN must be 6 digits, like 103456; '1234567' is not"),
        ("12345a", "A URN must be 6 digits, like 103456; '12345A' is not"),
    ],
)
def test_invalid_urn(typed, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_urn(typed)
    assert message_of(excinfo) == message


def test_valid_ukprn():
    assert validate_ukprn(" 10012345") == "10012345"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a UKPRN"),
        ("20012345", "A UKPRN must be 8 digits starting with 1, like 10012345; '20012345' is not"),
        ("1001234", "A UKPRN must be 8 digits starting with 1, like 10012345; '1001234' is not"),
        ("1001234X", "A UKPRN must be 8 digits starting with 1, like 10012345; '1001234X' is not"),
    ],
)
def test_invalid_ukprn(typed, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_ukprn(typed)
    assert message_of(excinfo) == message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("B91 3QB", "B91 3QB"),
        ("b913qb", "B91 3QB"),
        ("  b91   3qb ", "B91 3QB"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("ec1a1bb", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
    ],
)
def test_valid_postcode_is_normalised_to_outward_space_inward(typed, expected):
    assert validate_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "B91", "B91 3Q", "B91 3QBB", "91 3QB", "B91 3CB", "BBB1 3QB", "B91-3QB", "£91 3QB"]
)
def test_invalid_postcode(typed):
    with pytest.raises(ValidationError) as excinfo:
        validate_postcode(typed)
    assert message_of(excinfo) == "Enter a real postcode, like B91 3QB"


class PupilForm(forms.Form):
    upn = UPNField()
    postcode = PostcodeField(required=False)


def test_form_fields_clean_to_the_normalised_value():
    form = PupilForm(data={"upn": " p207000016049", "postcode": "b913qb"})
    assert form.is_valid()
    assert form.cleaned_data == {"upn": "P207000016049", "postcode": "B91 3QB"}


def test_form_fields_report_the_validator_message():
    form = PupilForm(data={"upn": "B207000016049", "postcode": ""})
    assert not form.is_valid()
    assert form.errors["upn"] == ["The check letter should be P, not B"]
    assert "postcode" not in form.errors
