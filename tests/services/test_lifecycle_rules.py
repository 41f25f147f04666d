"""Allocation, closing and voiding rules that keep records in sight and histories whole."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from careleaver_app.domain.codes import AccommodationType, Role, Suitability
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.people import CaseloadScope, PeopleQuery


@pytest.fixture
def person(services, staff):
    return services.people.create(
        staff.pa, PersonDetails("LC1", "Ada", "Example", date(2007, 1, 1)), pa_id=staff.pa.id
    ).entity_id


def test_manager_cannot_allocate_a_pa_from_another_team(services, staff, person, today):
    with pytest.raises(PermissionDenied):
        services.people.allocate_pa(staff.manager, person, staff.other_pa.id, today)
    assert services.people.get(staff.manager, person).pa_id == staff.pa.id


def test_administrator_may_move_a_young_person_to_another_team(services, staff, person, today):
    services.people.allocate_pa(staff.admin, person, staff.other_pa.id, today)
    record = services.people.get(staff.admin, person)
    assert record.pa_id == staff.other_pa.id and record.team_id == staff.other_team.id


def test_allocation_in_the_future_is_refused(services, staff, person, today):
    with pytest.raises(ValidationError) as err:
        services.people.allocate_pa(staff.manager, person, staff.pa2.id, today + timedelta(1))
    assert err.value.problems[0].field == "date"


def test_closing_in_the_future_or_twice_is_refused(services, staff, person, today):
    with pytest.raises(ValidationError) as err:
        services.people.close(staff.manager, person, today + timedelta(days=1), "moved away")
    assert err.value.problems[0].field == "closed_on"
    services.people.close(staff.manager, person, today, "reached 25")
    with pytest.raises(ValidationError) as err:
        services.people.close(staff.manager, person, today, "again")
    assert "already closed" in str(err.value)
    assert services.people.get(staff.manager, person).closed_reason == "reached 25"


def test_team_list_of_someone_without_a_team_is_empty(services, staff, person):
    unassigned = services.people.create(
        staff.manager, PersonDetails("LC2", "Bo", "Example", date(2008, 1, 1)), team_id=None
    )
    assert unassigned.entity_id
    page = services.people.list(staff.admin, PeopleQuery(scope=CaseloadScope.TEAM))
    assert page.total == 0
    assert services.people.list(staff.admin, PeopleQuery()).total == 2


def test_voiding_a_mistaken_move_reopens_the_episode_it_closed(services, staff, person):
    acc = services.accommodation
    first = acc.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.SUPPORTED_LODGINGS, date(2025, 6, 1), Suitability.SUITABLE),
    )
    mistaken = acc.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 1), Suitability.UNSUITABLE),
    )
    acc.void_episode(staff.pa, mistaken.entity_id, "wrong young person", mistaken.version)
    record = services.people.get(staff.pa, person)
    assert [e.id for e in record.episodes] == [first.entity_id]
    assert record.current_episode is not None and record.current_episode.end_date is None
    row = services.people.list(staff.pa, PeopleQuery(search="LC1")).rows[0]
    assert row.accommodation == "E1" and "In B&B" not in row.flags


def test_housing_liaison_cannot_be_allocated_as_pa(services, staff, person, today):
    hl = services.staffing.create_staff(
        staff.admin, "hl9", "Hal Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    with pytest.raises(ValidationError):
        services.people.allocate_pa(staff.manager, person, hl.id, today)


def test_recording_a_past_episode_leaves_the_current_one_open(services, staff, person):
    acc = services.accommodation
    acc.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.SUPPORTED_LODGINGS, date(2026, 6, 1), Suitability.SUITABLE),
    )
    acc.record_move(
        staff.pa,
        person,
        MoveInput(
            AccommodationType.COMMUNITY_HOME,
            date(2025, 1, 1),
            Suitability.SUITABLE,
            end_date=date(2026, 6, 1),
        ),
    )
    record = services.people.get(staff.pa, person)
    assert [(e.type.value, e.end_date) for e in record.episodes] == [
        ("C", date(2026, 6, 1)),
        ("E", None),
    ]


def test_creating_a_person_audits_team_pa_and_care_periods(services, staff):
    from sqlalchemy import select

    from careleaver_app.db.models import AuditEvent
    from careleaver_app.domain.categories import CarePeriod

    created = services.people.create(
        staff.pa,
        PersonDetails("LC9", "Cy", "Example", date(2008, 2, 2)),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2022, 1, 1), date(2025, 1, 1)),),
    )
    with services.db.transaction(write=False) as session:
        events = session.scalars(select(AuditEvent)).all()
    fields = {(e.entity, e.field) for e in events if e.action == "create"}
    assert ("young_person", "pa_id") in fields and ("young_person", "team_id") in fields
    assert ("care_period", "start_date") in fields
    assert created.entity_id
