"""Contacts service: contact log (in touch or not) and changes of activity."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import ActivityRow, AuditEvent, Contact
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import Activity, ContactKind, InTouch, LeaverCategory
from careleaver_app.domain.errors import ValidationError
from careleaver_app.domain.flags import FLAG_NOT_IN_TOUCH
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import ContactInput
from careleaver_app.services.people import PeopleQuery

DOB = date(2007, 7, 1)


def count(services, model) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


def audit_events(services, **where) -> list[AuditEvent]:
    with services.db.transaction(write=False) as s:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(s.scalars(stmt))


@pytest.fixture
def person(services, staff) -> int:
    return services.people.create(
        staff.pa, PersonDetails("CL-001", "Zoë", "Adams", DOB), pa_id=staff.pa.id
    ).entity_id


def contact(day: date, in_touch: InTouch = InTouch.YES, **kw) -> ContactInput:
    return ContactInput(day, ContactKind.PHONE, in_touch, **kw)


def row(services, actor, person_id):
    (r,) = [r for r in services.people.list(actor, PeopleQuery()).rows if r.id == person_id]
    return r


def not_in_touch_ids(services, actor) -> list[int]:
    return [r.id for r in services.people.list(actor, PeopleQuery(not_in_touch=True)).rows]


# -- log_contact --------------------------------------------------------------------------


def test_log_contact_is_stored_with_who_recorded_it_and_audited(services, staff, person):
    changes = services.contacts.log_contact(
        staff.pa,
        person,
        ContactInput(date(2026, 11, 20), ContactKind.VISIT, seen_at_home=True, note="  fine "),
    )
    (c,) = services.people.get(staff.pa, person).contacts
    assert c.id == changes.entity_id
    assert (c.contact_date, c.kind, c.in_touch, c.seen_at_home, c.note, c.recorded_by) == (
        date(2026, 11, 20),
        ContactKind.VISIT,
        InTouch.YES,
        True,
        "fine",
        "Alex Adviser",
    )
    events = audit_events(services, entity="contact", entity_id=changes.entity_id)
    assert {e.field: e.new_value for e in events} == {
        "person_id": str(person),
        "contact_date": "2026-11-20",
        "kind": "visit",
        "in_touch": "YES",
    }
    assert {(e.action, e.actor_id) for e in events} == {("create", staff.pa.id)}


def test_log_contact_on_today_is_accepted(services, staff, person, today):
    services.contacts.log_contact(staff.pa, person, contact(today))
    assert count(services, Contact) == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [(date(2026, 11, 27), "in the future"), (date(2007, 6, 30), "before the date of birth")],
)
def test_log_contact_refuses_a_future_date_or_one_before_birth(
    services, staff, person, day, message
):
    audit_before = count(services, AuditEvent)
    with pytest.raises(ValidationError) as exc:
        services.contacts.log_contact(staff.pa, person, contact(day))
    assert [p.field for p in exc.value.problems] == ["contact_date"]
    assert message in str(exc.value)
    assert count(services, Contact) == 0
    assert count(services, AuditEvent) == audit_before


def test_not_in_touch_shows_as_a_flag_and_in_the_filter(services, staff, person):
    services.contacts.log_contact(staff.pa, person, contact(date(2026, 11, 1), InTouch.NO))
    assert row(services, staff.pa, person).flags == (FLAG_NOT_IN_TOUCH,)
    assert row(services, staff.pa, person).in_touch is InTouch.NO
    assert services.people.get(staff.pa, person).flags == (FLAG_NOT_IN_TOUCH,)
    assert not_in_touch_ids(services, staff.pa) == [person]


def test_a_later_contact_in_touch_clears_the_flag(services, staff, person):
    services.contacts.log_contact(staff.pa, person, contact(date(2026, 11, 1), InTouch.NO))
    services.contacts.log_contact(staff.pa, person, contact(date(2026, 11, 20), InTouch.YES))
    assert row(services, staff.pa, person).flags == ()
    assert services.people.get(staff.pa, person).flags == ()
    assert not_in_touch_ids(services, staff.pa) == []


def test_the_latest_contact_by_date_decides_not_the_last_entered(services, staff, person):
    """A late-entered old contact does not overturn a newer one."""
    services.contacts.log_contact(staff.pa, person, contact(date(2026, 11, 20), InTouch.YES))
    services.contacts.log_contact(staff.pa, person, contact(date(2026, 10, 1), InTouch.NO))
    assert row(services, staff.pa, person).in_touch is InTouch.YES
    assert services.people.get(staff.pa, person).flags == ()
    assert not_in_touch_ids(services, staff.pa) == []


@pytest.mark.parametrize("code", [InTouch.NO, InTouch.REFUSED, InTouch.DIED, InTouch.RETURNED_HOME])
def test_every_code_other_than_yes_counts_as_not_in_touch(services, staff, person, code):
    services.contacts.log_contact(staff.pa, person, contact(date(2026, 11, 1), code))
    assert FLAG_NOT_IN_TOUCH in row(services, staff.pa, person).flags
    assert not_in_touch_ids(services, staff.pa) == [person]


def test_a_young_person_with_no_contact_yet_is_not_flagged(services, staff, person):
    r = row(services, staff.pa, person)
    assert (r.in_touch, r.flags) == (None, ())
    assert not_in_touch_ids(services, staff.pa) == []


# -- change_activity ----------------------------------------------------------------------


def test_change_activity_records_the_new_activity_and_audits_it(services, staff, person):
    services.contacts.change_activity(
        staff.pa, person, Activity.NEET_OTHER, date(2026, 3, 1), note=" left college "
    )
    changes = services.contacts.change_activity(
        staff.pa, person, Activity.FULL_TIME_TRAINING_OR_EMPLOYMENT, date(2026, 9, 1)
    )
    record = services.people.get(staff.pa, person)
    assert [(a.activity, a.start_date, a.note) for a in record.activities] == [
        (Activity.NEET_OTHER, date(2026, 3, 1), "left college"),
        (Activity.FULL_TIME_TRAINING_OR_EMPLOYMENT, date(2026, 9, 1), ""),
    ]
    assert record.current_activity.activity is Activity.FULL_TIME_TRAINING_OR_EMPLOYMENT
    events = audit_events(services, entity="activity", entity_id=changes.entity_id)
    assert {e.field: e.new_value for e in events} == {
        "person_id": str(person),
        "activity": "F4",
        "start_date": "2026-09-01",
    }


@pytest.mark.parametrize(
    ("day", "message"),
    [(date(2026, 11, 27), "in the future"), (date(2007, 6, 30), "before the date of birth")],
)
def test_change_activity_refuses_a_future_date_or_one_before_birth(
    services, staff, person, day, message
):
    with pytest.raises(ValidationError) as exc:
        services.contacts.change_activity(staff.pa, person, Activity.NEET_OTHER, day)
    assert [p.field for p in exc.value.problems] == ["start_date"]
    assert message in str(exc.value)
    assert count(services, ActivityRow) == 0


def test_education_keeps_a_22_year_old_former_relevant(services, staff):
    """Support continues to 25 for a former relevant young person in education or training."""
    person = services.people.create(
        staff.pa,
        PersonDetails("CL-022", "Amir", "Khan", date(2004, 1, 1)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2018, 1, 1), date(2022, 1, 1)),),
    ).entity_id
    assert services.people.get(staff.pa, person).category is LeaverCategory.NOT_A_CARE_LEAVER
    services.contacts.change_activity(
        staff.pa, person, Activity.FULL_TIME_HIGHER_EDUCATION, date(2026, 9, 20)
    )
    assert services.people.get(staff.pa, person).category is LeaverCategory.FORMER_RELEVANT
    services.contacts.change_activity(staff.pa, person, Activity.NEET_OTHER, date(2026, 11, 1))
    assert services.people.get(staff.pa, person).category is LeaverCategory.NOT_A_CARE_LEAVER
