"""Values typed into spreadsheet cells: dates, yes/no and SSDA903 codes, read strictly.

A parser takes the trimmed, non-empty cell and returns the value or raises ValueError whose
message is the reason, worded to follow the column's name ("date_of_birth: is not a date ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from careleaver_app.domain.codes import AccommodationType, Suitability, SuitabilityFactor
from careleaver_app.domain.people import normalise_postcode

DATE_HELP = "is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
# [0-9], not \d: \d also accepts other scripts' digits, which date() would then misread.
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_UK = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

Code = TypeVar("Code", bound=StrEnum)


def parse_date(text: str) -> date:
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(DATE_HELP)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"is not a real date ('{text}')") from None


def parse_yes_no(text: str) -> bool:
    value = text.casefold()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"must be yes or no, not '{text}'")


def parse_suitable(text: str) -> Suitability:
    """yes/no as elsewhere, or the 903 suitability digit (1 suitable, 2 unsuitable)."""
    value = text.casefold()
    if value in {"yes", "y", "true", "1", "suitable"}:
        return Suitability.SUITABLE
    if value in {"no", "n", "false", "2", "unsuitable"}:
        return Suitability.UNSUITABLE
    raise ValueError(f"must be yes (suitable) or no (unsuitable), not '{text}'")


def parse_type_code(text: str) -> AccommodationType:
    try:
        return AccommodationType(text.upper())
    except ValueError:
        pass
    # 903 returns write letter and suitability together ("W2"); this column takes the letter.
    if len(text) == 2 and text[1] in "12":
        raise ValueError(f"is the letter alone ('{text[0].upper()}'); give 1 or 2 as `suitable`")
    codes = ", ".join(t.value for t in AccommodationType)
    raise ValueError(f"'{text}' is not an SSDA903 accommodation type ({codes})")


def code_parser(enum: type[Code], what: str, fold: Callable[[str], str]) -> Callable[[str], Code]:
    """A parser for one code list; `fold` evens out the case the list is written in."""

    def parse(text: str) -> Code:
        try:
            return enum(fold(text))
        except ValueError:
            codes = ", ".join(e.value for e in enum)
            raise ValueError(f"'{text}' is not {what} ({codes})") from None

    return parse


def parse_concerns(text: str) -> frozenset[SuitabilityFactor]:
    """Schedule 2 factors, by code or label, separated by ; or ,"""
    by_name = {f.value: f for f in SuitabilityFactor} | {
        f.label.casefold(): f for f in SuitabilityFactor
    }
    found = set()
    for part in re.split(r"[;,]", text):
        name = part.strip().casefold()
        if name and name not in by_name:
            codes = ", ".join(f.value for f in SuitabilityFactor)
            raise ValueError(f"'{part.strip()}' is not a suitability factor ({codes})")
        if name:
            found.add(by_name[name])
    return frozenset(found)


def parse_postcode(text: str) -> str:
    return normalise_postcode(text)  # its ValueError already says "is not a UK postcode"


def limited_text(limit: int) -> Callable[[str], str]:
    """A parser for free text that must fit its database column."""

    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValueError(f"is longer than {limit} characters")
        return text

    return parse
