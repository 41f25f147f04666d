"""A young person's details (domain.people): each check names the field at fault."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.people import PersonDetails, normalise_postcode, validate_details

TODAY = date(2026, 11, 26)
GOOD = PersonDetails(
    reference="LA/2024_001.a-b",
    first_name="Zoë",
    last_name="Nguyễn",
    date_of_birth=date(2008, 2, 29),
    phone="+44 (0)1632 960 123",
    email="young.person@example.org",
)


def problems_of(**changes: object) -> list[tuple[str, str]]:
    details = replace(GOOD, **changes)
    return [(p.field, p.message) for p in validate_details(details, TODAY)]


def fields_of(**changes: object) -> list[str]:
    return [field for field, _ in problems_of(**changes)]


def test_good_details_pass() -> None:
    assert validate_details(GOOD, TODAY) == []


def test_phone_and_email_are_optional() -> None:
    assert fields_of(phone="", email="") == []


# --- reference -------------------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["A", "12345", "LA/2024_001.a-b", "X" * 32])
def test_references_of_1_to_32_allowed_characters_pass(reference: str) -> None:
    assert fields_of(reference=reference) == []


@pytest.mark.parametrize(
    "reference",
    ["", "X" * 33, "-123", "/123", "AB 12", "AB#12", "ABC\n", "\nABC", "Zoë1"],
    ids=[
        "empty",
        "too-long",
        "leading-dash",
        "leading-slash",
        "space",
        "hash",
        "trailing-newline",
        "leading-newline",
        "non-ascii",
    ],
)
def test_bad_references_are_refused_on_reference(reference: str) -> None:
    assert fields_of(reference=reference) == ["reference"]


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_a_blank_name_is_required(field: str, value: str) -> None:
    assert problems_of(**{field: value}) == [(field, "is required")]


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_of_100_characters_passes_and_101_is_too_long(field: str) -> None:
    assert fields_of(**{field: "a" * 100}) == []
    assert problems_of(**{field: "a" * 101}) == [(field, "is longer than 100 characters")]


@pytest.mark.parametrize("name", ["Łukasz", "محمد", "O'Brien-Smith", "Nguyễn Văn"])
def test_names_in_any_script_pass(name: str) -> None:
    assert fields_of(first_name=name, last_name=name) == []


# --- date of birth ---------------------------------------------------------------------------


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    assert problems_of(date_of_birth=date(2026, 11, 27)) == [("date_of_birth", "is in the future")]


def test_a_date_of_birth_of_today_passes() -> None:
    assert fields_of(date_of_birth=TODAY) == []


def test_age_30_passes_and_31_is_refused() -> None:
    """The day before the 31st birthday the young person is 30; on it they are too old."""
    assert fields_of(date_of_birth=date(1995, 11, 27)) == []
    assert fields_of(date_of_birth=date(1995, 11, 26)) == ["date_of_birth"]


# --- email and phone -------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["a@b.co", "first.last+tag@example.org.uk"])
def test_plausible_email_addresses_pass(email: str) -> None:
    assert fields_of(email=email) == []


@pytest.mark.parametrize(
    "email", ["no-at-sign", "a@b", "a@@b.com", "a b@c.com", "@b.com", "a@b.com\n", "a@b.com x"]
)
def test_bad_email_addresses_are_refused_on_email(email: str) -> None:
    assert problems_of(email=email) == [("email", "is not an email address")]


@pytest.mark.parametrize("phone", ["01632960123", "+44 1632 960123", "(01632) 960-123", "1234567"])
def test_plausible_phone_numbers_pass(phone: str) -> None:
    assert fields_of(phone=phone) == []


@pytest.mark.parametrize(
    "phone", ["123456", "1" * 21, "01632 ABC 123", "++441632960123", "01632960123\n", "ext. 12"]
)
def test_bad_phone_numbers_are_refused_on_phone(phone: str) -> None:
    assert problems_of(phone=phone) == [("phone", "is not a phone number")]


def test_every_problem_is_reported_at_once_each_naming_its_field() -> None:
    fields = fields_of(
        reference="",
        first_name="",
        last_name=" ",
        date_of_birth=date(2030, 1, 1),
        email="nope",
        phone="nope",
    )
    assert fields == ["reference", "first_name", "last_name", "date_of_birth", "email", "phone"]


# --- postcode --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ab1 2cd", "AB1 2CD"),
        ("sw1a1aa", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("dn55 1pt", "DN55 1PT"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("  ls1  4ap  ", "LS1 4AP"),
        ("LS1 4AP\n", "LS1 4AP"),  # pasted from a spreadsheet cell
        ("ls1\t4ap", "LS1 4AP"),
    ],
)
def test_postcodes_are_upper_cased_with_one_space_before_the_inward_code(
    typed: str, expected: str
) -> None:
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "   ", "ABC", "12345", "SW1A 1A", "SW1A 1AAA", "AB12CDX", "1AB 2CD", "AB1 2CD X"]
)
def test_things_that_are_not_uk_postcodes_are_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a UK postcode"):
        normalise_postcode(typed)


postcodes = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", fullmatch=True)


@given(postcode=postcodes)
def test_normalising_a_postcode_is_idempotent_and_keeps_its_characters(postcode: str) -> None:
    once = normalise_postcode(postcode.lower())
    assert normalise_postcode(once) == once
    assert once.replace(" ", "") == postcode
    assert once[-4] == " "
