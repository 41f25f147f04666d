"""The files an import reads and the columns of each: docs/import.md describes the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from careleaver_app.domain.codes import Activity, ContactKind, InTouch
from careleaver_app.domain.money import parse_money, parse_quantity
from careleaver_app.domain.offer import EntryStatus
from careleaver_app.domain.parsing import (
    code_parser,
    limited_text,
    parse_concerns,
    parse_date,
    parse_postcode,
    parse_suitable,
    parse_type_code,
    parse_yes_no,
)
from careleaver_app.services.pathway import ReviewKind

PEOPLE = "people.csv"
ACCOMMODATION = "accommodation.csv"
CONTACTS = "contacts.csv"
ACTIVITY = "activity.csv"
ASSESSMENTS = "assessments.csv"
PLANS = "plans.csv"
REVIEWS = "reviews.csv"
OFFER_LEDGER = "offer_ledger.csv"
# Also the order problems are listed in.
FILES = (PEOPLE, ACCOMMODATION, CONTACTS, ACTIVITY, ASSESSMENTS, PLANS, REVIEWS, OFFER_LEDGER)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    required: bool = False  # the column must be present and every row must fill it in
    default: Any = ""


SPECS: dict[str, tuple[Column, ...]] = {
    PEOPLE: (
        Column("reference", limited_text(32), required=True),
        Column("first_name", limited_text(100), required=True),
        Column("last_name", limited_text(100), required=True),
        Column("date_of_birth", parse_date, required=True),
        Column("preferred_name", limited_text(100)),
        Column("gender", limited_text(40)),
        Column("first_language", limited_text(60)),
        Column("interpreter_needed", parse_yes_no, default=False),
        Column("uasc", parse_yes_no, default=False),
        Column("pregnant_or_parenting", parse_yes_no, default=False),
        Column("housing_consent", parse_yes_no, default=False),
        Column("requested_pa_support", parse_yes_no, default=False),
        Column("phone", limited_text(40)),
        Column("email", limited_text(200)),
        Column("contact_address", limited_text(1000)),
        Column("care_started_on", parse_date, default=None),
        Column("care_ended_on", parse_date, default=None),
        Column("pa_username", limited_text(64)),
        Column("team", limited_text(100)),
    ),
    ACCOMMODATION: (
        Column("reference", limited_text(32), required=True),
        Column("start_date", parse_date, required=True),
        Column("end_date", parse_date, default=None),
        Column("type_code", parse_type_code, required=True),
        Column("suitable", parse_suitable, required=True),
        Column("concerns", parse_concerns, default=frozenset()),
        Column("suitability_notes", limited_text(4000)),
        Column("address", limited_text(1000)),
        Column("postcode", parse_postcode),
        Column("provider", limited_text(200)),
        Column("placed_by", limited_text(200)),
    ),
    CONTACTS: (
        Column("reference", limited_text(32), required=True),
        Column("contact_date", parse_date, required=True),
        Column("kind", code_parser(ContactKind, "a contact kind", str.casefold), required=True),
        Column(
            "in_touch",
            code_parser(InTouch, "an SSDA903 in-touch code", str.upper),
            required=True,
        ),
        Column("seen_at_home", parse_yes_no, default=False),
        Column("note", limited_text(4000)),
    ),
    ACTIVITY: (
        Column("reference", limited_text(32), required=True),
        Column("start_date", parse_date, required=True),
        Column(
            "activity",
            code_parser(Activity, "an SSDA903 activity code", str.upper),
            required=True,
        ),
        Column("note", limited_text(4000)),
    ),
    ASSESSMENTS: (
        Column("reference", limited_text(32), required=True),
        Column("completed_on", parse_date, required=True),
        Column("completed_by", limited_text(200)),
    ),
    PLANS: (
        Column("reference", limited_text(32), required=True),
        Column("started_on", parse_date, required=True),
        Column("signed_off_on", parse_date, default=None),
        Column("author", limited_text(200)),
    ),
    REVIEWS: (
        Column("reference", limited_text(32), required=True),
        Column("held_on", parse_date, required=True),
        Column("kind", code_parser(ReviewKind, "a review kind", str.casefold), required=True),
        Column("outcome", limited_text(4000)),
        Column("attendees", limited_text(1000)),
    ),
    OFFER_LEDGER: (
        Column("reference", limited_text(32), required=True),
        Column("item", limited_text(200), required=True),
        Column("date", parse_date, required=True),
        # Which of amount and quantity an item needs depends on the item: checked per row.
        Column("amount", parse_money, default=None),
        Column("quantity", parse_quantity, default=None),
        Column("status", code_parser(EntryStatus, "a status", str.casefold), required=True),
        Column("declined_reason", limited_text(4000)),
        Column("exception_reason", limited_text(4000)),
        Column("note", limited_text(2000)),
    ),
}
