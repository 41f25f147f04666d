"""Pathway planning services: records, sign-off by managers, due dates driven by the records."""

from __future__ import annotations

import json
from datetime import date

import pytest

from careleaver_app.cli import main
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import AccommodationType as T
from careleaver_app.domain.codes import Activity, Suitability
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.pathway import ReviewStatus, TriggerKind
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.pathway import ReviewKind


@pytest.fixture
def person(services, staff):
    return services.people.create(
        staff.pa,
        PersonDetails("PW1", "Pat", "Example", date(2007, 1, 10)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2021, 1, 1), date(2025, 1, 10)),),
    ).entity_id


def test_a_move_brings_the_review_forward_to_28_days_after_it(services, staff, person):
    pw = services.pathway
    pw.start_plan(staff.pa, person, date(2026, 6, 1), "Alex Adviser")
    pw.record_review(staff.pa, person, date(2026, 7, 1), ReviewKind.SCHEDULED)
    before = pw.summary(staff.pa, person)
    assert before.due.due == date(2027, 1, 1) and before.status is ReviewStatus.IN_DATE
    services.accommodation.record_move(
        staff.pa, person, MoveInput(T.SUPPORTED_LODGINGS, date(2025, 1, 10), Suitability.SUITABLE)
    )
    services.accommodation.record_move(
        staff.pa, person, MoveInput(T.INDEPENDENT_LIVING, date(2026, 11, 3), Suitability.SUITABLE)
    )
    after = pw.summary(staff.pa, person)
    assert after.due.due == date(2026, 12, 1)
    assert after.due.trigger.kind is TriggerKind.MOVE
    assert after.due.reason == "moved on 2026-11-03: review due by 2026-12-01"
    assert after.status is ReviewStatus.DUE_SOON
    pw.record_review(staff.pa, person, date(2026, 11, 20), ReviewKind.CHANGE, "settled in")
    assert pw.summary(staff.pa, person).due.due == date(2027, 5, 20)


def test_becoming_neet_is_a_trigger_read_from_the_activity_record(services, staff, person):
    services.pathway.start_plan(staff.pa, person, date(2026, 9, 1))
    services.contacts.change_activity(
        staff.pa, person, Activity.FULL_TIME_OTHER_EDUCATION, date(2026, 9, 1)
    )
    services.contacts.change_activity(staff.pa, person, Activity.NEET_OTHER, date(2026, 10, 5))
    due = services.pathway.summary(staff.pa, person).due
    assert due.due == date(2026, 11, 2) and due.trigger.kind is TriggerKind.NEET
    assert services.pathway.summary(staff.pa, person).status is ReviewStatus.OVERDUE


def test_only_a_manager_signs_off_a_plan(services, staff, person):
    plan = services.pathway.start_plan(staff.pa, person, date(2026, 10, 1))
    with pytest.raises(PermissionDenied):
        services.pathway.sign_off_plan(staff.pa, plan.entity_id, date(2026, 10, 2), 1)
    with pytest.raises(ValidationError) as err:
        services.pathway.sign_off_plan(staff.manager, plan.entity_id, date(2026, 9, 1), 1)
    assert err.value.problems[0].field == "signed_off_on"
    services.pathway.sign_off_plan(staff.manager, plan.entity_id, date(2026, 10, 2), 1)
    assert services.pathway.summary(staff.pa, person).plan_signed_off_on == date(2026, 10, 2)


def test_records_are_checked(services, staff, person):
    pw = services.pathway
    with pytest.raises(ValidationError) as err:
        pw.record_review(staff.pa, person, date(2026, 11, 1), ReviewKind.SCHEDULED)
    assert "no pathway plan" in str(err.value)
    with pytest.raises(ValidationError) as err:
        pw.record_assessment(staff.pa, person, date(2027, 1, 1))
    assert err.value.problems[0].field == "completed_on"
    pw.start_plan(staff.pa, person, date(2026, 10, 1))
    with pytest.raises(ValidationError):
        pw.start_plan(staff.pa, person, date(2026, 9, 1))
    with pytest.raises(PermissionDenied):
        pw.record_review(staff.other_pa, person, date(2026, 11, 1), ReviewKind.SCHEDULED)


def test_planning_start_flag_for_an_eligible_16_year_old_without_assessment(services, staff):
    young = services.people.create(
        staff.pa,
        PersonDetails("PW2", "Kit", "Example", date(2010, 5, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2024, 1, 1), None),),
    ).entity_id
    summary = services.pathway.summary(staff.pa, young)
    assert summary.flags == ("Needs assessment overdue",)
    services.pathway.record_assessment(staff.pa, young, date(2026, 8, 1), "Alex Adviser")
    assert services.pathway.summary(staff.pa, young).flags == ()


def test_due_list_is_soonest_first_and_the_command_shows_it(
    services, staff, person, tmp_path, capsys, paths
):
    other = services.people.create(
        staff.pa, PersonDetails("PW3", "Jo", "Example", date(2006, 3, 3)), pa_id=staff.pa.id
    ).entity_id
    services.pathway.start_plan(staff.pa, person, date(2026, 8, 1))
    services.pathway.start_plan(staff.pa, other, date(2026, 6, 1))
    rows = services.pathway.due_list(staff.manager)
    assert [r.reference for r in rows] == ["PW3", "PW1"]
    assert services.pathway.due_list(staff.other_pa) == []
    base = ["--data-dir", str(paths.data_dir), "--today", "2026-11-26", "--user", "tm1"]
    assert main([*base, "pathway", "due", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["reference"], r["due"], r["status"]) for r in listed] == [
        ("PW3", "2026-12-01", "Due within 28 days"),
        ("PW1", "2027-02-01", "In date"),
    ]


def test_next_contact_is_due_a_week_after_a_move_until_a_visit(services, staff, person):
    from careleaver_app.domain.codes import ContactKind
    from careleaver_app.services.dto import ContactInput

    acc, contacts = services.accommodation, services.contacts
    acc.record_move(
        staff.pa, person, MoveInput(T.SUPPORTED_LODGINGS, date(2025, 1, 10), Suitability.SUITABLE)
    )
    contacts.log_contact(staff.pa, person, ContactInput(date(2026, 10, 1), ContactKind.PHONE))
    assert services.pathway.summary(staff.pa, person).next_contact.due == date(2026, 12, 1)
    acc.record_move(
        staff.pa, person, MoveInput(T.INDEPENDENT_LIVING, date(2026, 11, 20), Suitability.SUITABLE)
    )
    due = services.pathway.summary(staff.pa, person).next_contact
    assert (due.due, due.reason) == (date(2026, 11, 27), "visit after the move")
    contacts.log_contact(staff.pa, person, ContactInput(date(2026, 11, 22), ContactKind.VISIT))
    assert services.pathway.summary(staff.pa, person).next_contact.due == date(2027, 1, 22)


def test_caseload_list_shows_next_review_and_flags_an_overdue_one(services, staff, person):
    from careleaver_app.services.people import PeopleQuery

    services.pathway.start_plan(staff.pa, person, date(2026, 5, 1))
    (row,) = services.people.list(staff.pa, PeopleQuery(search="PW1")).rows
    assert row.next_review_due == date(2026, 11, 1) and row.review_overdue
    assert "Review overdue" in row.flags
    services.pathway.record_review(staff.pa, person, date(2026, 11, 20), ReviewKind.SCHEDULED)
    (row,) = services.people.list(staff.pa, PeopleQuery(search="PW1")).rows
    assert (row.next_review_due, row.review_overdue) == (date(2027, 5, 20), False)
