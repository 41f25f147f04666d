"""A young person's details as entered, and the checks each field must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from careleaver_app.domain.dates import age_on
from careleaver_app.domain.errors import FieldProblem

REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,31}$")
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{7,20}$")
OLDEST_AGE = 30  # nobody older than this can be a new care-leaver record


@dataclass(frozen=True)
class PersonDetails:
    """Fields a PA types in; the services turn these into a record."""

    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    preferred_name: str = ""
    gender: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    uasc: bool = False
    pregnant_or_parenting: bool = False
    phone: str = ""
    email: str = ""
    contact_address: str = ""
    housing_consent: bool = False
    requested_pa_support: bool = False
    detained_or_in_hospital_on_16th_birthday: bool = False
    housing_support_needs: str = ""
    ethnicity: str = ""
    religion: str = ""
    immigration_status: str = ""
    health_needs: str = ""


TEXT_LIMITS = {
    "contact_address": 1000,
    "housing_support_needs": 2000,
    "ethnicity": 80,
    "religion": 80,
    "immigration_status": 120,
    "health_needs": 2000,
}


def validate_details(details: PersonDetails, today: date) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not REFERENCE_PATTERN.fullmatch(details.reference or ""):
        problems.append(
            FieldProblem(
                "reference",
                "must be 1-32 letters, digits or / _ . - and start with a letter or digit",
            )
        )
    for name in ("first_name", "last_name"):
        value = getattr(details, name)
        if not value.strip():
            problems.append(FieldProblem(name, "is required"))
        elif len(value) > 100:
            problems.append(FieldProblem(name, "is longer than 100 characters"))
    if details.date_of_birth > today:
        problems.append(FieldProblem("date_of_birth", "is in the future"))
    elif age_on(details.date_of_birth, today) > OLDEST_AGE:
        problems.append(
            FieldProblem("date_of_birth", f"makes the young person older than {OLDEST_AGE}")
        )
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(details, name)) > limit:
            problems.append(FieldProblem(name, f"is longer than {limit:,} characters"))
    if details.email and not EMAIL_PATTERN.fullmatch(details.email):
        problems.append(FieldProblem("email", "is not an email address"))
    if details.phone and not PHONE_PATTERN.fullmatch(details.phone):
        problems.append(FieldProblem("phone", "is not a phone number"))
    return problems


def normalise_postcode(postcode: str) -> str:
    """'ab1 2cd' -> 'AB1 2CD'; raises ValueError when it is not a UK postcode."""
    # fullmatch, not match: '$' also matches before a trailing newline (spreadsheet imports).
    compact = "".join(postcode.split()).upper()
    if not POSTCODE_PATTERN.fullmatch(compact):
        raise ValueError("is not a UK postcode")
    return f"{compact[:-3]} {compact[-3:]}"
