"""Cell parsers (domain.parsing): strict about what they accept, and say why a cell is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from careleaver_app.domain.codes import (
    AccommodationType,
    ContactKind,
    InTouch,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.domain.parsing import (
    DATE_HELP,
    code_parser,
    limited_text,
    parse_concerns,
    parse_date,
    parse_postcode,
    parse_suitable,
    parse_type_code,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2008-03-05", date(2008, 3, 5)),
        ("2008-3-5", date(2008, 3, 5)),
        ("05/03/2008", date(2008, 3, 5)),
        ("5/3/2008", date(2008, 3, 5)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_dates_are_iso_or_day_month_year(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text",
    ["03/05/08", "2008/03/05", "5 March 2008", "2008-03-05T00:00", "٢٠٠٨-٠٣-٠٥", "05.03.2008"],
)
def test_other_date_spellings_name_the_two_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="use YYYY-MM-DD or DD/MM/YYYY") as info:
        parse_date(text)
    assert str(info.value) == DATE_HELP


def test_an_impossible_date_is_named_as_such() -> None:
    with pytest.raises(ValueError, match=r"is not a real date \('29/02/2023'\)"):
        parse_date("29/02/2023")


def test_yes_no_ignores_case_and_rejects_anything_else() -> None:
    assert all(parse_yes_no(t) for t in ("YES", "y", "True", "1"))
    assert not any(parse_yes_no(t) for t in ("no", "N", "FALSE", "0"))
    with pytest.raises(ValueError, match="must be yes or no, not 'perhaps'"):
        parse_yes_no("perhaps")


def test_suitable_takes_yes_no_words_or_the_903_digit() -> None:
    assert parse_suitable("Suitable") is Suitability.SUITABLE
    assert parse_suitable("1") is Suitability.SUITABLE
    assert parse_suitable("unsuitable") is Suitability.UNSUITABLE
    assert parse_suitable("2") is Suitability.UNSUITABLE
    with pytest.raises(ValueError, match="must be yes \\(suitable\\) or no"):
        parse_suitable("0")  # 0 is "no" for yes/no columns but not a 903 suitability digit


def test_type_code_is_the_letter_in_either_case() -> None:
    assert parse_type_code("w") is AccommodationType.BED_AND_BREAKFAST
    assert parse_type_code("Z") is AccommodationType.STAYING_PUT


def test_a_type_code_written_with_its_suitability_digit_says_to_split_it() -> None:
    with pytest.raises(ValueError, match=r"is the letter alone \('W'\); give 1 or 2"):
        parse_type_code("w2")


def test_an_unknown_type_code_lists_the_codes() -> None:
    with pytest.raises(ValueError, match=r"'Q' is not an SSDA903 accommodation type \(B, C, D"):
        parse_type_code("Q")


def test_code_parser_folds_case_and_lists_the_codes_when_wrong() -> None:
    kind = code_parser(ContactKind, "a contact kind", str.casefold)
    assert kind("Phone") is ContactKind.PHONE
    in_touch = code_parser(InTouch, "an SSDA903 in-touch code", str.upper)
    assert in_touch("refu") is InTouch.REFUSED
    with pytest.raises(ValueError, match=r"'fax' is not a contact kind \(visit, phone, message"):
        kind("fax")


def test_concerns_by_code_or_label_separated_by_semicolons_or_commas() -> None:
    assert parse_concerns("safety; Support,  , views") == {
        SuitabilityFactor.SAFETY,
        SuitabilityFactor.SUPPORT,
        SuitabilityFactor.YOUNG_PERSONS_VIEWS,
    }
    assert parse_concerns("state of repair") == {SuitabilityFactor.STATE_OF_REPAIR}
    with pytest.raises(ValueError, match="'damp' is not a suitability factor"):
        parse_concerns("safety; damp")


def test_postcodes_are_normalised_or_rejected() -> None:
    assert parse_postcode("st16 2lp") == "ST16 2LP"
    with pytest.raises(ValueError, match="is not a UK postcode"):
        parse_postcode("XX1")


def test_limited_text_keeps_text_that_fits_its_column() -> None:
    parse = limited_text(5)
    assert parse("Zoë N") == "Zoë N"
    with pytest.raises(ValueError, match="is longer than 5 characters"):
        parse("Zoë Ng")
