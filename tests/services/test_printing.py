"""The printing service: each document's data with the permission checks its data needs, the
PA's caseload versus a team's, and one audit event per young person for each output."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType, ContactKind, Role, Suitability
from careleaver_app.domain.documents import (
    CaseloadReportDocument,
    DocumentKind,
    EscalationReportDocument,
    HousingSummaryDocument,
    OfferStatementDocument,
    PersonSummaryDocument,
    ReviewScheduleDocument,
)
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.escalation import Level
from careleaver_app.domain.offer import EntryStatus
from careleaver_app.domain.pathway import ReviewStatus
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.offer import EntryInput
from careleaver_app.services.printing import DocumentRequest, Printing

K = DocumentKind


def _person(services, actor, ref, first, *, pa_id, team_id=None, consent=True, **kw) -> int:
    details = PersonDetails(
        ref,
        first,
        "Example",
        kw.pop("dob", date(2006, 1, 10)),
        housing_consent=consent,
        preferred_name=kw.pop("preferred", ""),
        **kw,
    )
    return services.people.create(
        actor,
        details,
        pa_id=pa_id,
        team_id=team_id,
        care_periods=(CarePeriod(date(2021, 1, 1), date(2024, 1, 10)),),
    ).entity_id


@pytest.fixture
def people(services, staff) -> dict[str, int]:
    """Two of pa1's, one of pa2's (same team) and one in South Team."""
    return {
        "ann": _person(services, staff.pa, "P-1", "Ann", pa_id=staff.pa.id, preferred="Annie"),
        "bob": _person(services, staff.pa, "P-2", "Bob", pa_id=staff.pa.id, consent=False),
        "cat": _person(services, staff.pa2, "P-3", "Cat", pa_id=staff.pa2.id),
        "dan": _person(services, staff.other_pa, "P-4", "Dan", pa_id=staff.other_pa.id),
    }


def _events(services, action=None) -> list[AuditEvent]:
    with services.db.transaction(write=False) as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.scalars(query))


@pytest.fixture
def housing_officer(services, staff):
    services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    return services.staffing.actor("hl1")


def test_the_services_container_offers_printing(services):
    assert isinstance(services.printing, Printing)


@pytest.mark.parametrize("kind", [K.PERSON_SUMMARY, K.HOUSING_SUMMARY, K.OFFER_STATEMENT])
def test_a_one_person_document_needs_a_person(services, staff, kind):
    with pytest.raises(ValidationError) as refused:
        services.printing.prepare(staff.pa, DocumentRequest(kind))
    assert [p.field for p in refused.value.problems] == ["person"]


def test_the_person_summary_carries_the_whole_record(services, staff, people):
    person = people["ann"]
    services.contacts.log_contact(
        staff.pa, person, ContactInput(date(2026, 11, 1), ContactKind.VISIT, note="Saw her")
    )
    services.accommodation.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.SUPPORTED_LODGINGS, date(2025, 1, 10), Suitability.SUITABLE),
    )
    data = services.printing.prepare(staff.pa, DocumentRequest(K.PERSON_SUMMARY, person))
    assert isinstance(data, PersonSummaryDocument)
    assert data.person_ids == (person,)
    assert data.name == "Ann Example" and data.preferred_name == "Annie"
    assert data.contacts[0].note == "Saw her"
    assert data.accommodation[0].type is AccommodationType.SUPPORTED_LODGINGS
    assert data.care_periods[0].what == "Looked after"
    assert data.allocations[0].what == "Alex Adviser"
    assert data.pathway is not None and data.offer_balances
    assert data.printed.by == "Alex Adviser"
    assert data.printed.title == "Young person summary: Ann Example"
    # another team's PA may not see it
    with pytest.raises(PermissionDenied):
        services.printing.prepare(staff.other_pa, DocumentRequest(K.PERSON_SUMMARY, person))


def test_the_housing_summary_needs_the_print_permission_and_consent(
    services, staff, people, housing_officer
):
    data = services.printing.prepare(
        housing_officer, DocumentRequest(K.HOUSING_SUMMARY, people["ann"])
    )
    assert isinstance(data, HousingSummaryDocument)
    assert data.person_ids == (people["ann"],) and data.pa_name == "Alex Adviser"
    with pytest.raises(PermissionDenied, match="not agreed to share"):
        services.printing.prepare(
            housing_officer, DocumentRequest(K.HOUSING_SUMMARY, people["bob"])
        )
    with pytest.raises(PermissionDenied):  # South Team's young person
        services.printing.prepare(
            housing_officer, DocumentRequest(K.HOUSING_SUMMARY, people["dan"])
        )
    assert _events(services, "refused")[-1].entity_id == people["bob"]


@pytest.mark.parametrize(
    "kind", [K.PERSON_SUMMARY, K.OFFER_STATEMENT, K.CASELOAD, K.ESCALATIONS, K.REVIEW_SCHEDULE]
)
def test_housing_liaison_prints_nothing_but_the_housing_summary(
    services, staff, people, housing_officer, kind
):
    with pytest.raises(PermissionDenied):
        services.printing.prepare(housing_officer, DocumentRequest(kind, people["ann"]))


def test_a_pas_caseload_is_their_own_and_a_managers_is_the_team(services, staff, people):
    mine = services.printing.prepare(staff.pa, DocumentRequest(K.CASELOAD))
    assert isinstance(mine, CaseloadReportDocument)
    assert set(mine.person_ids) == {people["ann"], people["bob"]}
    assert mine.scope == "Caseload of Alex Adviser"
    team = services.printing.prepare(staff.manager, DocumentRequest(K.CASELOAD))
    assert set(team.person_ids) == {people["ann"], people["bob"], people["cat"]}
    assert team.scope == "North Team"
    same = services.printing.prepare(staff.pa, DocumentRequest(K.CASELOAD, team_id=staff.team.id))
    assert set(same.person_ids) == set(team.person_ids)
    for actor in (staff.manager, staff.pa):
        with pytest.raises(PermissionDenied, match="own team"):
            services.printing.prepare(
                actor, DocumentRequest(K.CASELOAD, team_id=staff.other_team.id)
            )


def test_an_administrator_prints_any_team_or_all(services, staff, people):
    south = services.printing.prepare(
        staff.admin, DocumentRequest(K.CASELOAD, team_id=staff.other_team.id)
    )
    assert south.person_ids == (people["dan"],) and south.scope == "South Team"
    everyone = services.printing.prepare(staff.admin, DocumentRequest(K.CASELOAD))
    assert set(everyone.person_ids) == set(people.values()) and everyone.scope == "All teams"
    with pytest.raises(ValidationError):
        services.printing.prepare(staff.admin, DocumentRequest(K.CASELOAD, team_id=999))


def test_the_escalation_report_lists_open_escalations_most_urgent_first(services, staff, people):
    for name, start in (("ann", date(2026, 11, 24)), ("cat", date(2026, 11, 2))):
        services.accommodation.record_move(
            staff.manager,
            people[name],
            MoveInput(AccommodationType.BED_AND_BREAKFAST, start, Suitability.UNSUITABLE),
        )
    data = services.printing.prepare(staff.manager, DocumentRequest(K.ESCALATIONS))
    assert isinstance(data, EscalationReportDocument)
    assert data.person_ids == (people["cat"], people["ann"])
    assert data.rows[0].level is Level.DIRECTOR and data.rows[0].nights == 24
    assert data.rows[0].code_903 == "W2" and data.scope == "North Team"
    south = services.printing.prepare(
        staff.admin, DocumentRequest(K.ESCALATIONS, team_id=staff.other_team.id)
    )
    assert south.rows == () and south.person_ids == ()


def test_the_review_schedule_lists_overdue_then_due_soon_and_leaves_in_date_out(
    services, staff, people
):
    pw = services.pathway
    pw.start_plan(staff.pa, people["ann"], date(2026, 6, 10))  # due 10/12/2026: soon
    pw.start_plan(staff.pa, people["bob"], date(2026, 1, 5))  # due 05/07/2026: overdue
    pw.start_plan(staff.pa2, people["cat"], date(2026, 10, 1))  # due 01/04/2027: in date
    data = services.printing.prepare(staff.manager, DocumentRequest(K.REVIEW_SCHEDULE))
    assert isinstance(data, ReviewScheduleDocument)
    assert data.person_ids == (people["bob"], people["ann"])
    assert [r.status for r in data.rows] == [ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON]
    assert data.rows[0].due.due == date(2026, 7, 5)
    mine = services.printing.prepare(staff.pa2, DocumentRequest(K.REVIEW_SCHEDULE))
    assert mine.person_ids == () and mine.scope == "Caseload of Sam Second"


def test_the_offer_statement_is_addressed_to_the_young_person_without_staff_notes(
    services, staff, people
):
    (item,) = [
        c.item.id for c in services.offer.catalogue() if c.item.name == "Setting-up-home allowance"
    ]
    services.offer.add_entry(
        staff.pa,
        people["ann"],
        EntryInput(item, date(2026, 9, 1), EntryStatus.PAID, amount_pence=120000, note="Staffnote"),
    )
    data = services.printing.prepare(staff.pa, DocumentRequest(K.OFFER_STATEMENT, people["ann"]))
    assert isinstance(data, OfferStatementDocument)
    assert data.addressed_to == "Annie" and data.pa_name == "Alex Adviser"
    assert data.history[0].amount_pence == 120000 and data.history[0].note == ""
    (setting_up,) = [b for b in data.balances if b.item.id == item]
    assert setting_up.remaining == 180000
    assert data.not_taken_up and item not in {i.id for i in data.not_taken_up}
    summary = services.printing.prepare(staff.pa, DocumentRequest(K.PERSON_SUMMARY, people["ann"]))
    assert summary.offer_ledger[0].note == "Staffnote"  # the file copy keeps it


def test_record_output_writes_one_event_per_young_person_in_one_go(services, staff, people):
    data = services.printing.prepare(staff.manager, DocumentRequest(K.CASELOAD))
    before = len(_events(services))
    services.printing.record_output(staff.manager, data, "print", "Office printer")
    added = _events(services)[before:]
    assert len(added) == 3
    assert {e.entity_id for e in added} == set(data.person_ids)
    assert {(e.action, e.entity, e.actor_id) for e in added} == {
        ("print", "young_person", staff.manager.id)
    }
    assert {e.detail for e in added} == {"caseload to Office printer"}
    assert len({e.at for e in added}) == 1  # written together


@pytest.mark.parametrize(("how", "action"), [("preview", "preview"), ("save", "export")])
def test_each_way_out_has_its_audit_action(services, staff, people, how, action):
    data = services.printing.prepare(staff.pa, DocumentRequest(K.OFFER_STATEMENT, people["ann"]))
    services.printing.record_output(staff.pa, data, how, "/tmp/statement.pdf")
    (event,) = _events(services, action)
    assert (event.entity, event.entity_id) == ("young_person", people["ann"])
    assert event.detail == "offer-statement to /tmp/statement.pdf"
    assert "Ann" not in event.detail  # names stay out of the trail, which outlives a purge


def test_a_document_naming_nobody_is_audited_once(services, staff):
    data = services.printing.prepare(staff.manager, DocumentRequest(K.ESCALATIONS))
    assert data.person_ids == ()
    services.printing.record_output(staff.manager, data, "save")
    (event,) = _events(services, "export")
    assert (event.entity, event.entity_id, event.detail) == ("document", None, "escalations")


def test_an_unknown_way_out_is_refused(services, staff, people):
    data = services.printing.prepare(staff.pa, DocumentRequest(K.CASELOAD))
    with pytest.raises(ValueError):
        services.printing.record_output(staff.pa, data, "fax")
