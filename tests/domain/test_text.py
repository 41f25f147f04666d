"""Search folding (domain.text.fold): case- and accent-insensitive, other scripts untouched."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.text import fold


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Zoë", "zoe"),
        ("Łukasz", "lukasz"),
        ("Nguyễn", "nguyen"),
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("Søren Ærø", "soren aero"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("İlkay", "ilkay"),
        ("Yıldız", "yildiz"),
        ("Þór", "thor"),
        ("José María", "jose maria"),
        ("François", "francois"),
        ("Siobhán Ní Bhriain", "siobhan ni bhriain"),
    ],
)
def test_fold_lower_cases_and_strips_accents(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize("name", ["محمد", "Мария", "李明", "አበበ"])
def test_non_latin_scripts_pass_through(name: str) -> None:
    assert fold(name) == name.casefold()


def test_arabic_name_beside_a_latin_one_keeps_the_arabic_intact() -> None:
    assert fold("Mohammed محمد") == "mohammed محمد"


def test_whitespace_is_collapsed_and_trimmed() -> None:
    assert fold("  Zoë \t\n  O'Brien\u00a0 Smith  ") == "zoe o'brien smith"


def test_empty_and_blank_text_fold_to_empty() -> None:
    assert fold("") == ""
    assert fold(" \t\n ") == ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ZOË", "zoë"),
        ("ŁUKASZ", "łukasz"),
        ("NGUYỄN", "nguyễn"),
        ("ÞÓR", "þór"),
        ("ØYVIND", "øyvind"),
    ],
)
def test_fold_is_case_insensitive(one: str, other: str) -> None:
    assert fold(one) == fold(other)


def test_precomposed_and_decomposed_accents_fold_alike() -> None:
    precomposed = unicodedata.normalize("NFC", "Zoë")
    decomposed = unicodedata.normalize("NFD", "Zoë")
    assert precomposed != decomposed
    assert fold(precomposed) == fold(decomposed) == "zoe"


def test_a_letter_with_an_accent_on_a_special_letter_folds_like_the_plain_special_letter() -> None:
    """'Ǿ' is 'Ø' with an acute and 'Ǣ' is 'Æ' with a macron."""
    assert fold("Ǿ") == fold("Ø") == "o"
    assert fold("Ǣ") == fold("Æ") == "ae"


# --- properties ------------------------------------------------------------------------------

latin_letters = st.characters(
    min_codepoint=0x41, max_codepoint=0x24F, categories=("Lu", "Ll", "Lt")
).filter(lambda c: len(c.upper()) == 1 and len(c.lower()) == 1)


@given(text=st.text())
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(text=st.text(alphabet=latin_letters | st.sampled_from(" -'")))
def test_upper_and_lower_case_latin_text_fold_alike(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@given(text=st.text())
def test_folded_text_has_no_marks_and_no_stray_spaces(text: str) -> None:
    folded = fold(text)
    assert not any(unicodedata.combining(c) for c in folded)
    assert folded == folded.strip()
    assert "  " not in folded


# Letters of Latin-1 and Latin Extended-A with no ASCII base letter; fold leaves them alone.
NO_ASCII_BASE = "µÐðĦħĸĿŀŉŊŋŦŧ"
european_letters = latin_letters.filter(lambda c: ord(c) < 0x180 and c not in NO_ASCII_BASE)


@given(text=st.text(alphabet=european_letters))
def test_folded_european_letters_are_plain_ascii_lower_case(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
