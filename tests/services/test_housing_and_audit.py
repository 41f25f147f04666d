"""Housing liaison sees only DESIGN 3.6 fields of consenting young people; the audit trail can
be read back by a manager and searched by an administrator; purge only past retention."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import AuditEvent, YoungPerson
from careleaver_app.domain.codes import (
    AccommodationType,
    ContactKind,
    Role,
    Suitability,
)
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.audit_trail import AuditQuery
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.housing import HousingSummary

SECRETS = {
    "ethnicity": "Secretethnicity",
    "religion": "Secretreligion",
    "immigration_status": "Secretimmigration",
    "health_needs": "Secrethealth",
}


def _person(services, staff, reference: str, *, consent: bool, dob=date(2006, 3, 4)) -> int:
    details = PersonDetails(
        reference,
        "Zoë",
        "Nguyễn",
        dob,
        phone="07700 900123",
        email="zoe@example.org",
        contact_address="1 Example Road",
        housing_consent=consent,
        housing_support_needs="Needs a ground-floor flat",
        **SECRETS,
    )
    return services.people.create(staff.pa, details, pa_id=staff.pa.id).entity_id


@pytest.fixture
def housing_officer(services, staff):
    services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    return services.staffing.actor("hl1")


def test_housing_summary_holds_only_the_design_fields(services, staff, housing_officer):
    person_id = _person(services, staff, "H-1", consent=True)
    services.accommodation.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE),
    )
    services.contacts.log_contact(
        staff.pa,
        person_id,
        ContactInput(date(2026, 11, 21), ContactKind.VISIT, note="Secretcasenote"),
    )
    summary = services.housing.summary(housing_officer, person_id)
    assert summary.name == "Zoë Nguyễn"
    assert summary.housing_support_needs == "Needs a ground-floor flat"
    assert summary.accommodation[0].type is AccommodationType.BED_AND_BREAKFAST
    assert summary.open_escalations and summary.open_escalations[0].nights == 6
    assert summary.pa_name == "Alex Adviser"
    text = repr(dataclasses.astuple(summary))
    for secret in [*SECRETS.values(), "Secretcasenote"]:
        assert secret not in text
    fields = {f.name for f in dataclasses.fields(HousingSummary)}
    assert not fields & {"ethnicity", "religion", "immigration_status", "health_needs", "uasc"}


def test_housing_summary_refused_without_consent_and_the_refusal_audited(
    services, staff, housing_officer
):
    person_id = _person(services, staff, "H-2", consent=False)
    for printing in (False, True):
        with pytest.raises(PermissionDenied, match="not agreed to share"):
            services.housing.summary(housing_officer, person_id, printing=printing)
    with services.db.transaction(write=False) as session:
        refused = session.scalar(
            select(func.count()).where(
                AuditEvent.action == "refused", AuditEvent.entity_id == person_id
            )
        )
    assert refused == 2


def test_housing_list_shows_only_consenting_people_of_the_team(services, staff, housing_officer):
    yes = _person(services, staff, "H-3", consent=True)
    _person(services, staff, "H-4", consent=False)
    rows = services.housing.consenting(housing_officer)
    assert [r.person_id for r in rows] == [yes]


def test_housing_liaison_cannot_reach_the_full_record(services, staff, housing_officer):
    person_id = _person(services, staff, "H-5", consent=True)
    with pytest.raises(PermissionDenied):
        services.people.get(housing_officer, person_id)


def test_a_manager_reads_a_records_history_with_old_and_new_values(services, staff):
    person_id = _person(services, staff, "A-1", consent=True)
    record = services.people.get(staff.pa, person_id)
    details = PersonDetails(
        "A-1", "Zoë", "Renamed", record.date_of_birth, housing_consent=True, **SECRETS
    )
    services.people.update(staff.pa, person_id, details, record.version)
    history = services.audit_trail.history(staff.manager, person_id)
    renamed = [r for r in history if r.field == "last_name" and r.action == "update"]
    assert [(r.old_value, r.new_value) for r in renamed] == [("Nguyễn", "Renamed")]
    assert any(r.action == "view" for r in history)
    assert any(r.action == "create" and r.entity == "young_person" for r in history)
    with pytest.raises(PermissionDenied):
        services.audit_trail.history(staff.pa, person_id)
    with pytest.raises(PermissionDenied):
        services.audit_trail.history(staff.other_pa, person_id)


def test_history_includes_the_records_that_belong_to_the_young_person(services, staff):
    person_id = _person(services, staff, "A-2", consent=True)
    services.contacts.log_contact(
        staff.pa, person_id, ContactInput(date(2026, 11, 21), ContactKind.PHONE)
    )
    entities = {r.entity for r in services.audit_trail.history(staff.manager, person_id)}
    assert "contact" in entities


def test_an_administrator_searches_the_trail_and_the_search_is_audited(services, staff):
    _person(services, staff, "A-3", consent=True)
    found = services.audit_trail.search(
        staff.admin, AuditQuery(username="pa1", action="create", entity="young_person")
    )
    assert found and all(r.actor.endswith("(pa1)") for r in found)
    assert services.audit_trail.search(staff.admin, AuditQuery(text="A-3"))
    with pytest.raises(PermissionDenied):
        services.audit_trail.search(staff.manager, AuditQuery())
    with pytest.raises(ValidationError):
        services.audit_trail.search(
            staff.admin, AuditQuery(since=date(2026, 11, 2), until=date(2026, 11, 1))
        )
    assert services.audit_trail.search(staff.admin, AuditQuery(action="search"))


def test_purge_only_by_an_administrator_and_only_past_the_75th_birthday(paths, services, staff):
    person_id = _person(services, staff, "P-1", consent=False, dob=date(2001, 6, 1))
    services.accommodation.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE),
    )
    with pytest.raises(ValidationError, match="01/06/2076"):
        services.people.purge(staff.admin, person_id, "past retention")
    services.close()
    later = open_services(paths, None, lambda: date(2076, 6, 1))
    try:
        with pytest.raises(PermissionDenied):
            later.people.purge(staff.manager, person_id, "past retention")
        with pytest.raises(ValidationError, match="reason"):
            later.people.purge(staff.admin, person_id, " ")
        later.people.purge(staff.admin, person_id, "past retention")
        with later.db.transaction(write=False) as session:
            assert session.get(YoungPerson, person_id) is None
            purge = session.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).one()
        assert purge.entity_id == person_id and "P-1" in purge.detail
    finally:
        later.close()
