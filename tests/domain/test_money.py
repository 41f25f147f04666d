"""Money as whole pence and quantities as Decimal (domain.money): parsing, display, round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.money import (
    MAX_PENCE,
    format_money,
    format_quantity,
    parse_money,
    parse_quantity,
    quantity_from_hundredths,
    quantity_to_hundredths,
)

# --- parse_money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£1,200", 120_000),
        ("1200", 120_000),
        ("1200.5", 120_050),
        ("1200.50", 120_050),
        ("£1,200.50", 120_050),
        ("0.01", 1),
        ("0.1", 10),
        ("£0.05", 5),
        ("3,000", 300_000),
        ("999,999.99", 99_999_999),
        ("  £ 25  ", 2_500),
        ("1 200", 120_000),
        ("0", 0),
        ("1,000,000", MAX_PENCE),
    ],
)
def test_parse_money_reads_pounds_with_optional_pound_sign_commas_and_pence(
    text: str, pence: int
) -> None:
    assert parse_money(text) == pence


def test_parse_money_returns_an_int_never_a_float() -> None:
    assert type(parse_money("1200.5")) is int


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is required"),
        ("   ", "is required"),
        ("-5", "cannot be negative"),
        ("£-5", "cannot be negative"),
        ("- 5", "cannot be negative"),
        ("1.234", "is not an amount in pounds"),
        ("12,00", "is not an amount in pounds"),
        ("1,2345", "is not an amount in pounds"),
        ("abc", "is not an amount in pounds"),
        ("£", "is not an amount in pounds"),
        (".50", "is not an amount in pounds"),
        ("5.", "is not an amount in pounds"),
        ("£5£", "is not an amount in pounds"),
        ("5e3", "is not an amount in pounds"),
        ("1,000,000.01", "is more than £1,000,000"),
        ("99999999", "is more than £1,000,000"),
    ],
)
def test_parse_money_refuses_bad_text_with_a_value_error_saying_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_money(text)
    assert reason in str(caught.value)


def test_parse_money_error_quotes_the_text_the_user_typed() -> None:
    with pytest.raises(ValueError) as caught:
        parse_money("  12,00 ")
    assert "'12,00'" in str(caught.value)


# --- format_money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pence", "text"),
    [
        (0, "£0.00"),
        (5, "£0.05"),
        (50, "£0.50"),
        (100, "£1.00"),
        (120_050, "£1,200.50"),
        (300_000, "£3,000.00"),
        (123_456_789, "£1,234,567.89"),
        (-5, "-£0.05"),
        (-120_050, "-£1,200.50"),
    ],
)
def test_format_money_shows_pounds_commas_two_decimals_and_sign_before_pound(
    pence: int, text: str
) -> None:
    assert format_money(pence) == text


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_format_money_then_parse_money_round_trips_every_amount(pence: int) -> None:
    assert parse_money(format_money(pence)) == pence


@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_parse_money_of_plain_pounds_and_pence_gives_the_pence(pence: int) -> None:
    assert parse_money(f"{pence // 100}.{pence % 100:02d}") == pence


@given(st.integers(min_value=-MAX_PENCE, max_value=-1))
def test_format_money_of_a_negative_amount_is_minus_the_positive_one(pence: int) -> None:
    assert format_money(pence) == "-" + format_money(-pence)


# --- parse_quantity and format_quantity --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "shown"),
    [
        ("10", Decimal(10), "10"),
        ("1.5", Decimal("1.5"), "1.5"),
        ("1.50", Decimal("1.5"), "1.5"),
        ("10.00", Decimal(10), "10"),
        (" 2 ", Decimal(2), "2"),
        ("0.01", Decimal("0.01"), "0.01"),
        ("100000", Decimal(100_000), "100000"),
    ],
)
def test_parse_quantity_reads_up_to_two_decimals_and_normalises(
    text: str, value: Decimal, shown: str
) -> None:
    parsed = parse_quantity(text)
    assert parsed == value
    assert str(parsed) == shown


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is required"),
        ("  ", "is required"),
        ("abc", "is not a number"),
        ("1,5", "is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("0", "must be more than zero"),
        ("0.00", "must be more than zero"),
        ("-1", "must be more than zero"),
        ("1.234", "at most two decimal places"),
        ("0.001", "at most two decimal places"),
        ("100000.01", "is more than 100,000"),
        ("1e30", "is not a number"),
        ("1_0", "is not a number"),
        ("1000001", "is more than 100,000"),
    ],
)
def test_parse_quantity_refuses_bad_text_with_a_value_error_saying_why(
    text: str, reason: str
) -> None:
    with pytest.raises(ValueError) as caught:
        parse_quantity(text)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal(10), "hours", "10 hours"),
        (Decimal("10.00"), "hours", "10 hours"),
        (Decimal("1E+1"), "hours", "10 hours"),
        (Decimal("1.50"), "hours", "1.5 hours"),
        (Decimal("0.25"), "hours", "0.25 hours"),
        (Decimal("2.5"), "", "2.5"),
        (Decimal(0), "sessions", "0 sessions"),
    ],
)
def test_format_quantity_drops_trailing_zeros_and_appends_the_unit(
    value: Decimal, unit: str, text: str
) -> None:
    assert format_quantity(value, unit) == text


# --- hundredths (how quantities are stored) ----------------------------------------------------

hundredths = st.integers(min_value=0, max_value=10_000_000)


@given(hundredths)
def test_hundredths_to_quantity_and_back_is_the_identity(n: int) -> None:
    assert quantity_to_hundredths(quantity_from_hundredths(n)) == n


@given(hundredths)
def test_quantity_from_hundredths_is_exactly_n_over_100(n: int) -> None:
    assert quantity_from_hundredths(n) == Decimal(n) / 100


@given(st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False))
def test_a_two_place_quantity_survives_storage_as_hundredths(value: Decimal) -> None:
    assert quantity_from_hundredths(quantity_to_hundredths(value)) == value


@given(st.integers(min_value=1, max_value=10_000_000))
def test_format_quantity_then_parse_quantity_round_trips_every_stored_quantity(n: int) -> None:
    value = quantity_from_hundredths(n)
    assert parse_quantity(format_quantity(value)) == value
    assert quantity_to_hundredths(parse_quantity(format_quantity(value))) == n


def test_quantity_from_hundredths_shows_whole_numbers_without_an_exponent() -> None:
    assert str(quantity_from_hundredths(1000)) == "10"
    assert str(quantity_from_hundredths(150)) == "1.5"
