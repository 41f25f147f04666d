"""The printed housing liaison summary holds DESIGN 3.6 fields only: special category data,
immigration status and case notes filled with sentinel words never reach the PDF, and a young
person who has not agreed to share gets a clear refusal instead of a document."""

from __future__ import annotations

import dataclasses
import time
from datetime import date

import pytest
from pdf_helpers import flat, pages

from careleaver_app.domain.codes import AccommodationType, ContactKind, Role, Suitability
from careleaver_app.domain.documents import DocumentKind, HousingSummaryDocument
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.domain.people import PersonDetails
from careleaver_app.reports import render
from careleaver_app.reports.housing_summary import build_housing_summary
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.housing import NO_CONSENT
from careleaver_app.services.printing import DocumentRequest

SENTINELS = {
    "health_needs": "Sentinelhealth",
    "ethnicity": "Sentinelethnicity",
    "religion": "Sentinelreligion",
    "immigration_status": "Sentinelimmigration",
}
CASE_NOTE = "Sentinelcasenote"
FORBIDDEN_FIELDS = {"health_needs", "ethnicity", "religion", "immigration_status", "contacts"}


def _person(services, staff, reference: str, consent: bool) -> int:
    details = PersonDetails(
        reference,
        "Zoë",
        "Nguyễn",
        date(2006, 3, 4),
        phone="07700 900123",
        email="zoe@example.org",
        contact_address="1 Example Road",
        housing_consent=consent,
        housing_support_needs="Needs a ground-floor flat",
        gender="Sentinelgender",
        **SENTINELS,
    )
    person_id = services.people.create(staff.pa, details, pa_id=staff.pa.id).entity_id
    services.accommodation.record_move(
        staff.pa,
        person_id,
        MoveInput(
            AccommodationType.BED_AND_BREAKFAST,
            date(2026, 11, 20),
            Suitability.UNSUITABLE,
            suitability_notes="Sentinelsuitabilitynote",
        ),
    )
    services.contacts.log_contact(
        staff.pa, person_id, ContactInput(date(2026, 11, 21), ContactKind.VISIT, note=CASE_NOTE)
    )
    return person_id


@pytest.fixture
def housing_officer(services, staff):
    services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    return services.staffing.actor("hl1")


def test_the_housing_document_has_no_field_for_what_housing_may_not_see():
    fields = {f.name for f in dataclasses.fields(HousingSummaryDocument)}
    assert not fields & FORBIDDEN_FIELDS
    assert not {f for f in fields if "note" in f or "health" in f}


def test_sentinels_in_the_record_never_reach_the_printed_housing_summary(
    services, staff, housing_officer
):
    person_id = _person(services, staff, "HS-1", consent=True)
    data = services.printing.prepare(
        housing_officer, DocumentRequest(DocumentKind.HOUSING_SUMMARY, person_id=person_id)
    )
    pdf = render(data)
    content = flat(pdf)
    for expected in [
        "Zoë Nguyễn (HS-1)",
        "04/03/2006 (age 20)",
        "07700 900123",
        "zoe@example.org",
        "1 Example Road",
        "W2 Bed and breakfast 20/11/2026 Current 6 Unsuitable",
        "Needs a ground-floor flat",
        "Alex Adviser",
        "North Team",
        "Escalation open: Bed and breakfast, 6 nights so far",
        "Printed by Hana Housing on",
    ]:
        assert expected in content, expected
    for secret in [*SENTINELS.values(), CASE_NOTE, "Sentinelgender", "Sentinelsuitabilitynote"]:
        assert secret not in content, secret
        assert secret.encode() not in pdf
    assert "Sentinel" not in content


def test_a_young_person_who_did_not_agree_gets_a_clear_refusal(services, staff, housing_officer):
    person_id = _person(services, staff, "HS-2", consent=False)
    for actor in (housing_officer, staff.pa, staff.manager):
        with pytest.raises(PermissionDenied) as refused:
            services.printing.prepare(
                actor, DocumentRequest(DocumentKind.HOUSING_SUMMARY, person_id=person_id)
            )
        assert str(refused.value) == NO_CONSENT
        assert "not agreed to share" in str(refused.value)


def test_the_housing_summary_builds_quickly_once_warm(services, staff, housing_officer):
    person_id = _person(services, staff, "HS-3", consent=True)
    data = services.printing.prepare(
        housing_officer, DocumentRequest(DocumentKind.HOUSING_SUMMARY, person_id=person_id)
    )
    build_housing_summary(data)  # fonts registered and modules loaded
    started = time.perf_counter()
    pdf = build_housing_summary(data)
    took = time.perf_counter() - started
    print(f"\nhousing summary, warm: {took * 1000:.0f} ms, {len(pages(pdf))} page(s)")
    assert took < 2
