"""The DfE attendance codes as data: each code once, in the category the 2024 guidance counts it in."""

import pytest

from aphub.placements.attendance import codes


def test_each_code_appears_once_and_every_category_is_used():
    listed = [entry.code for entry in codes.CODES]
    assert len(listed) == len(set(listed))
    assert {entry.category for entry in codes.CODES} == set(codes.Category)


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("/", codes.Category.PRESENT),
        ("\\", codes.Category.PRESENT),
        ("L", codes.Category.PRESENT),
        ("K", codes.Category.APPROVED_ACTIVITY),
        ("B", codes.Category.APPROVED_ACTIVITY),
        ("I", codes.Category.AUTHORISED_ABSENCE),
        ("C2", codes.Category.AUTHORISED_ABSENCE),
        ("E", codes.Category.AUTHORISED_ABSENCE),
        ("N", codes.Category.UNAUTHORISED_ABSENCE),
        ("U", codes.Category.UNAUTHORISED_ABSENCE),
        ("G", codes.Category.UNAUTHORISED_ABSENCE),
        ("D", codes.Category.NOT_COUNTED),
        ("X", codes.Category.NOT_COUNTED),
        ("Y7", codes.Category.NOT_COUNTED),
        ("#", codes.Category.NOT_COUNTED),
        ("Z", codes.Category.NOT_COUNTED),
    ],
)
def test_codes_count_as_the_guidance_says(code, category):
    assert codes.BY_CODE[code].category == category


def test_codes_removed_in_2024_are_unknown():
    for old in ("H", "F", "J", "Y"):
        assert codes.lookup(old) is None


def test_an_unknown_code_is_named_in_the_message():
    with pytest.raises(codes.UnknownCode, match="'Q9' is not a DfE attendance code"):
        codes.validate_code("q9", "AM")
    with pytest.raises(codes.UnknownCode, match="Enter an attendance code"):
        codes.validate_code("  ", "AM")


def test_codes_are_read_in_any_case_and_present_follows_the_session():
    assert codes.validate_code(" n ", "PM") == "N"
    assert codes.validate_code("y1", "AM") == "Y1"
    assert codes.validate_code("\\", "AM") == "/"
    assert codes.validate_code("/", "PM") == "\\"


def test_the_register_offers_only_the_sessions_present_sign():
    morning = [code for _group, options in codes.choices("AM") for code, _label in options]
    afternoon = [code for _group, options in codes.choices("PM") for code, _label in options]
    assert "/" in morning and "\\" not in morning
    assert "\\" in afternoon and "/" not in afternoon
    assert "N" in morning and "N" in afternoon
