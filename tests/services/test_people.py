"""People service: create, update, view, allocate, care history, category, close, and list()."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import AuditEvent, CarePeriodRow, PaAllocation, YoungPerson
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    CareKind,
    ContactKind,
    InTouch,
    LeaverCategory,
    Role,
    Suitability,
)
from careleaver_app.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from careleaver_app.domain.flags import (
    FLAG_BNB,
    FLAG_CLOSED,
    FLAG_EMERGENCY,
    FLAG_ESCALATION,
    FLAG_NOT_IN_TOUCH,
    FLAG_UNSUITABLE,
)
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.people import CaseloadScope, PeopleQuery, SortKey

# -- helpers ------------------------------------------------------------------------------


def details(
    reference: str = "CL-001",
    first_name: str = "Zoë",
    last_name: str = "Adams",
    date_of_birth: date = date(2008, 3, 10),
    **kw,
) -> PersonDetails:
    return PersonDetails(reference, first_name, last_name, date_of_birth, **kw)


def count(services, model) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


def audit_events(services, **where) -> list[AuditEvent]:
    with services.db.transaction(write=False) as s:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(s.scalars(stmt))


def problem_fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {p.field for p in exc.value.problems}


def new_person(services, actor, ref="CL-001", pa=None, **kw) -> int:
    pa_id = pa.id if pa is not None else None
    return services.people.create(actor, details(ref, **kw), pa_id=pa_id).entity_id


# -- create -------------------------------------------------------------------------------


def test_create_stores_the_details_team_and_pa_and_starts_at_version_1(services, staff, today):
    changes = services.people.create(
        staff.pa, details(preferred_name="Zo", phone="07700 900123"), pa_id=staff.pa.id
    )
    assert changes.version == 1
    record = services.people.get(staff.pa, changes.entity_id)
    assert (record.reference, record.first_name, record.last_name) == ("CL-001", "Zoë", "Adams")
    assert record.preferred_name == "Zo"
    assert record.phone == "07700 900123"
    assert record.team_id == staff.team.id and record.team_name == "North Team"
    assert record.pa_id == staff.pa.id and record.pa_name == "Alex Adviser"
    assert [(a.staff_name, a.start_date, a.end_date) for a in record.allocations] == [
        ("Alex Adviser", today, None)
    ]


def test_create_trims_names_and_reference(services, staff):
    person_id = services.people.create(
        staff.pa, details(first_name="  Zoë ", last_name=" Adams  ")
    ).entity_id
    record = services.people.get(staff.pa, person_id)
    assert (record.first_name, record.last_name) == ("Zoë", "Adams")


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"reference": "bad ref!"}, "reference"),
        ({"reference": ""}, "reference"),
        ({"reference": "-starts-with-dash"}, "reference"),
        ({"reference": "X" * 33}, "reference"),
        ({"first_name": "   "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"date_of_birth": date(2026, 11, 27)}, "date_of_birth"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_create_refuses_a_bad_field_naming_it_and_writes_nothing(services, staff, bad, field):
    before = (count(services, YoungPerson), count(services, AuditEvent))
    with pytest.raises(ValidationError) as exc:
        services.people.create(staff.pa, details(**bad), pa_id=staff.pa.id)
    assert problem_fields(exc) == {field}
    assert (count(services, YoungPerson), count(services, AuditEvent)) == before
    assert count(services, PaAllocation) == 0


def test_create_accepts_a_date_of_birth_of_today(services, staff, today):
    """The future starts tomorrow: a record for a baby born today is accepted."""
    person_id = new_person(services, staff.pa, date_of_birth=today)
    assert services.people.get(staff.pa, person_id).age == 0


def test_create_reports_every_bad_field_at_once(services, staff):
    with pytest.raises(ValidationError) as exc:
        services.people.create(
            staff.pa, details("bad ref", " ", "", date(2030, 1, 1)), pa_id=staff.pa.id
        )
    assert problem_fields(exc) == {"reference", "first_name", "last_name", "date_of_birth"}


def test_create_refuses_a_duplicate_reference_and_writes_nothing(services, staff):
    new_person(services, staff.pa, "CL-001")
    before = (count(services, YoungPerson), count(services, AuditEvent))
    with pytest.raises(ValidationError) as exc:
        services.people.create(staff.pa, details("CL-001", "Other", "Person"))
    assert problem_fields(exc) == {"reference"}
    assert "already used" in str(exc.value)
    assert (count(services, YoungPerson), count(services, AuditEvent)) == before


def test_create_refuses_a_pa_from_another_team(services, staff):
    with pytest.raises(ValidationError) as exc:
        services.people.create(staff.pa, details(), pa_id=staff.other_pa.id)
    assert problem_fields(exc) == {"pa"}
    assert count(services, YoungPerson) == 0


def test_create_refuses_a_manager_as_the_pa(services, staff):
    with pytest.raises(ValidationError) as exc:
        services.people.create(staff.manager, details(), pa_id=staff.manager.id)
    assert problem_fields(exc) == {"pa"}


def test_create_with_overlapping_care_periods_writes_nothing(services, staff):
    periods = (CarePeriod(date(2020, 1, 1), date(2022, 1, 1)), CarePeriod(date(2021, 6, 1)))
    with pytest.raises(ValidationError) as exc:
        services.people.create(staff.pa, details(), care_periods=periods)
    assert problem_fields(exc) == {"care_started_on"}
    assert count(services, YoungPerson) == 0 and count(services, CarePeriodRow) == 0


def test_create_is_audited_field_by_field(services, staff):
    person_id = new_person(services, staff.pa)
    events = audit_events(services, entity="young_person", entity_id=person_id)
    assert {e.action for e in events} == {"create"}
    assert {e.actor_id for e in events} == {staff.pa.id}
    by_field = {e.field: (e.old_value, e.new_value) for e in events}
    assert by_field["reference"] == (None, "CL-001")
    assert by_field["first_name"] == (None, "Zoë")
    assert by_field["date_of_birth"] == (None, "2008-03-10")
    assert "search_text" not in by_field


# -- update -------------------------------------------------------------------------------


def test_update_saves_changes_bumps_the_version_and_audits_each_changed_field(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    events_before = len(audit_events(services))
    changes = services.people.update(
        staff.pa,
        person_id,
        details(last_name="Adams-Smith", phone="07700 900999"),
        expected_version=1,
    )
    assert changes.version == 2
    record = services.people.get(staff.pa, person_id)
    assert record.last_name == "Adams-Smith" and record.version == 2
    updates = audit_events(services, action="update", entity="young_person")
    assert {e.field: (e.old_value, e.new_value) for e in updates} == {
        "last_name": ("Adams", "Adams-Smith"),
        "phone": ("", "07700 900999"),
    }
    assert all(e.actor_id == staff.pa.id and e.entity_id == person_id for e in updates)
    # two field events and the view from get()
    assert len(audit_events(services)) == events_before + 3


def test_update_with_a_stale_version_raises_conflict_and_changes_nothing(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.update(staff.pa, person_id, details(last_name="First"), expected_version=1)
    with pytest.raises(ConflictError):
        services.people.update(
            staff.manager, person_id, details(last_name="Second"), expected_version=1
        )
    assert services.people.get(staff.pa, person_id).last_name == "First"
    assert [e.new_value for e in audit_events(services, action="update")] == ["First"]


def test_update_with_nothing_changed_keeps_the_version_and_writes_no_audit(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    changes = services.people.update(staff.pa, person_id, details(), expected_version=1)
    assert changes.version == 1
    assert audit_events(services, action="update") == []


def test_update_refuses_another_records_reference_but_keeps_its_own(services, staff):
    first = new_person(services, staff.pa, "CL-001", pa=staff.pa)
    new_person(services, staff.pa, "CL-002", pa=staff.pa)
    with pytest.raises(ValidationError) as exc:
        services.people.update(staff.pa, first, details("CL-002"), expected_version=1)
    assert problem_fields(exc) == {"reference"}
    assert services.people.update(staff.pa, first, details("CL-001"), expected_version=1)


def test_update_refuses_bad_fields_by_name(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    with pytest.raises(ValidationError) as exc:
        services.people.update(
            staff.pa,
            person_id,
            details(first_name="", date_of_birth=date(2027, 1, 1)),
            expected_version=1,
        )
    assert problem_fields(exc) == {"first_name", "date_of_birth"}


def test_update_refuses_a_date_of_birth_after_recorded_accommodation(services, staff):
    """No episode may start before the date of birth, so the birth date cannot move past one."""
    person_id = new_person(services, staff.pa, pa=staff.pa, date_of_birth=date(2008, 3, 10))
    services.accommodation.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2024, 5, 1), Suitability.SUITABLE),
    )
    with pytest.raises(ValidationError) as exc:
        services.people.update(
            staff.pa, person_id, details(date_of_birth=date(2024, 6, 1)), expected_version=1
        )
    assert problem_fields(exc) == {"date_of_birth"}
    assert services.people.get(staff.pa, person_id).date_of_birth == date(2008, 3, 10)


def test_update_refuses_a_date_of_birth_after_the_care_history_starts(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.add_care_period(staff.pa, person_id, CarePeriod(date(2020, 1, 1)))
    with pytest.raises(ValidationError) as exc:
        services.people.update(
            staff.pa, person_id, details(date_of_birth=date(2020, 6, 1)), expected_version=1
        )
    assert problem_fields(exc) == {"date_of_birth"}


def test_update_of_names_is_found_by_search(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.update(staff.pa, person_id, details(last_name="Ødegaard"), 1)
    rows = services.people.list(staff.pa, PeopleQuery(search="odegaard")).rows
    assert [r.id for r in rows] == [person_id]
    assert services.people.list(staff.pa, PeopleQuery(search="adams")).total == 0


# -- get / find_id ------------------------------------------------------------------------


def test_get_returns_the_whole_record(services, staff, today):
    person_id = services.people.create(
        staff.pa,
        details(first_language="Tigrinya", interpreter_needed=True, uasc=True),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(date(2022, 1, 1)),),
    ).entity_id
    acc = services.accommodation
    acc.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2026, 1, 1), Suitability.SUITABLE),
    )
    acc.record_move(
        staff.pa,
        person_id,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE),
    )
    services.contacts.log_contact(
        staff.pa, person_id, ContactInput(date(2026, 11, 21), ContactKind.VISIT, note=" ok ")
    )
    services.contacts.change_activity(
        staff.pa, person_id, Activity.FULL_TIME_OTHER_EDUCATION, date(2026, 9, 1)
    )

    record = services.people.get(staff.pa, person_id)

    assert record.age == 18
    assert (record.first_language, record.interpreter_needed, record.uasc) == (
        "Tigrinya",
        True,
        True,
    )
    assert [(e.code_903, e.start_date, e.end_date) for e in record.episodes] == [
        ("D1", date(2026, 1, 1), date(2026, 11, 20)),
        ("W2", date(2026, 11, 20), None),
    ]
    assert record.current_episode.code_903 == "W2"
    assert record.current_episode.nights == 6
    assert record.episodes[0].nights == (date(2026, 11, 20) - date(2026, 1, 1)).days
    assert [(c.contact_date, c.kind, c.note, c.recorded_by) for c in record.contacts] == [
        (date(2026, 11, 21), ContactKind.VISIT, "ok", "Alex Adviser")
    ]
    assert record.current_activity.activity is Activity.FULL_TIME_OTHER_EDUCATION
    assert [(p.kind, p.start_date, p.end_date) for p in record.care_periods] == [
        (CareKind.LOOKED_AFTER, date(2022, 1, 1), None)
    ]
    assert record.category is LeaverCategory.FORMER_RELEVANT
    assert record.retention_date == date(2083, 3, 10)
    assert record.flags == (FLAG_ESCALATION, FLAG_BNB, FLAG_UNSUITABLE)
    assert record.closed_on is None


def test_get_writes_a_view_audit_event_for_the_viewer(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.get(staff.pa2, person_id)
    views = audit_events(services, action="view")
    assert [(e.actor_id, e.entity, e.entity_id, e.field) for e in views] == [
        (staff.pa2.id, "young_person", person_id, None)
    ]


def test_get_of_an_unknown_id_raises_not_found(services, staff):
    with pytest.raises(NotFound):
        services.people.get(staff.pa, 999)


def test_find_id_by_reference_ignores_surrounding_spaces(services, staff):
    person_id = new_person(services, staff.pa, "CL-042")
    assert services.people.find_id(staff.pa, "CL-042") == person_id
    assert services.people.find_id(staff.pa, "  CL-042 ") == person_id


def test_find_id_of_an_unknown_reference_raises_not_found_naming_it(services, staff):
    with pytest.raises(NotFound, match="NOPE-1"):
        services.people.find_id(staff.pa, "NOPE-1")


def test_find_id_does_not_reveal_another_teams_record(services, staff):
    new_person(services, staff.pa, "CL-042")
    with pytest.raises(PermissionDenied):
        services.people.find_id(staff.other_pa, "CL-042")


# -- allocate_pa --------------------------------------------------------------------------


def test_allocate_pa_keeps_history_and_ends_the_previous_allocation(services, staff):
    person_id = new_person(services, staff.pa)
    services.people.allocate_pa(staff.manager, person_id, staff.pa.id, date(2026, 6, 1))
    services.people.allocate_pa(staff.manager, person_id, staff.pa2.id, date(2026, 9, 1))
    record = services.people.get(staff.manager, person_id)
    assert record.pa_id == staff.pa2.id and record.pa_name == "Sam Second"
    assert [(a.staff_name, a.start_date, a.end_date) for a in record.allocations] == [
        ("Alex Adviser", date(2026, 6, 1), date(2026, 9, 1)),
        ("Sam Second", date(2026, 9, 1), None),
    ]


def test_allocate_pa_moves_the_record_to_the_pas_team(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.allocate_pa(staff.admin, person_id, staff.other_pa.id, date(2026, 11, 26))
    record = services.people.get(staff.other_pa, person_id)
    assert (record.team_id, record.team_name) == (staff.other_team.id, "South Team")
    with pytest.raises(PermissionDenied):
        services.people.get(staff.pa, person_id)
    updates = audit_events(services, action="update", entity_id=person_id)
    assert {e.field: (e.old_value, e.new_value) for e in updates} == {
        "pa_id": (str(staff.pa.id), str(staff.other_pa.id)),
        "team_id": (str(staff.team.id), str(staff.other_team.id)),
    }


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_allocate_pa_refuses_someone_who_is_not_a_personal_adviser(services, staff, who):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    with pytest.raises(ValidationError) as exc:
        services.people.allocate_pa(
            staff.manager, person_id, getattr(staff, who).id, date(2026, 11, 26)
        )
    assert problem_fields(exc) == {"pa"}
    assert services.people.get(staff.pa, person_id).pa_id == staff.pa.id
    assert count(services, PaAllocation) == 1


def test_allocate_pa_refuses_a_date_before_the_current_allocation(services, staff):
    person_id = new_person(services, staff.pa)
    services.people.allocate_pa(staff.manager, person_id, staff.pa.id, date(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.people.allocate_pa(staff.manager, person_id, staff.pa2.id, date(2026, 5, 31))
    assert problem_fields(exc) == {"date"}
    record = services.people.get(staff.manager, person_id)
    assert [(a.staff_name, a.end_date) for a in record.allocations] == [("Alex Adviser", None)]


def test_allocate_pa_to_the_current_pa_changes_nothing(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    changes = services.people.allocate_pa(staff.manager, person_id, staff.pa.id, date(2026, 11, 26))
    assert changes.version == 1
    assert count(services, PaAllocation) == 1


def test_a_pa_may_not_allocate(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    with pytest.raises(PermissionDenied):
        services.people.allocate_pa(staff.pa, person_id, staff.pa2.id, date(2026, 11, 26))


# -- care periods and category -----------------------------------------------------------


def test_add_care_period_is_stored_and_audited(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    changes = services.people.add_care_period(
        staff.pa, person_id, CarePeriod(date(2020, 1, 1), date(2022, 1, 1))
    )
    record = services.people.get(staff.pa, person_id)
    assert [(p.start_date, p.end_date) for p in record.care_periods] == [
        (date(2020, 1, 1), date(2022, 1, 1))
    ]
    events = audit_events(services, entity="care_period", entity_id=changes.entity_id)
    assert {e.field: e.new_value for e in events} == {
        "person_id": str(person_id),
        "kind": "looked_after",
        "start_date": "2020-01-01",
        "end_date": "2022-01-01",
    }


@pytest.mark.parametrize(
    "period",
    [
        CarePeriod(date(2021, 6, 1), date(2023, 1, 1)),  # starts inside
        CarePeriod(date(2019, 6, 1), date(2020, 6, 1)),  # ends inside
        CarePeriod(date(2019, 1, 1)),  # open, covering everything after
        CarePeriod(date(2020, 1, 1), date(2020, 2, 1)),  # same start
    ],
)
def test_add_care_period_refuses_an_overlap(services, staff, period):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.add_care_period(
        staff.pa, person_id, CarePeriod(date(2020, 1, 1), date(2022, 1, 1))
    )
    with pytest.raises(ValidationError) as exc:
        services.people.add_care_period(staff.pa, person_id, period)
    assert problem_fields(exc) == {"care_started_on"}
    assert count(services, CarePeriodRow) == 1


def test_add_care_period_accepts_one_starting_the_day_the_last_ended(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.add_care_period(
        staff.pa, person_id, CarePeriod(date(2020, 1, 1), date(2022, 1, 1))
    )
    services.people.add_care_period(staff.pa, person_id, CarePeriod(date(2022, 1, 1)))
    assert count(services, CarePeriodRow) == 2


def test_add_care_period_refuses_dates_before_birth_or_reversed(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa, date_of_birth=date(2008, 3, 10))
    with pytest.raises(ValidationError) as exc:
        services.people.add_care_period(staff.pa, person_id, CarePeriod(date(2008, 3, 9)))
    assert problem_fields(exc) == {"care_started_on"}
    with pytest.raises(ValidationError) as exc:
        services.people.add_care_period(
            staff.pa, person_id, CarePeriod(date(2022, 1, 1), date(2021, 1, 1))
        )
    assert problem_fields(exc) == {"care_ended_on"}


def _person_with_care(services, staff, dob: date, start: date, end: date | None) -> int:
    return services.people.create(
        staff.pa,
        details(date_of_birth=dob),
        pa_id=staff.pa.id,
        care_periods=(CarePeriod(start, end),),
    ).entity_id


@pytest.mark.parametrize(
    ("dob", "start", "end", "category"),
    [
        (date(2009, 6, 1), date(2023, 1, 1), None, LeaverCategory.ELIGIBLE),
        (date(2009, 6, 1), date(2023, 1, 1), date(2026, 1, 1), LeaverCategory.RELEVANT),
        (date(2006, 1, 1), date(2020, 1, 1), date(2024, 1, 1), LeaverCategory.FORMER_RELEVANT),
        # looked after for 8 weeks only: a looked-after child, not yet a care leaver
        (date(2009, 6, 1), date(2026, 10, 1), None, LeaverCategory.NOT_A_CARE_LEAVER),
    ],
)
def test_category_is_computed_from_the_care_periods(services, staff, dob, start, end, category):
    person_id = _person_with_care(services, staff, dob, start, end)
    record = services.people.get(staff.pa, person_id)
    assert record.category is category
    assert record.computed_category is category


def test_category_is_computed_on_the_injected_today(services, staff, paths):
    """Looked after from 2023 and 17 on 2026-11-26: eligible; on 2030-01-01 (age 20) former
    relevant. The service's clock decides, not the machine's."""
    person_id = _person_with_care(services, staff, date(2009, 6, 1), date(2023, 1, 1), None)
    assert services.people.get(staff.pa, person_id).category is LeaverCategory.ELIGIBLE
    later = open_services(paths, None, lambda: date(2030, 1, 1))
    try:
        assert later.people.get(staff.pa, person_id).category is LeaverCategory.FORMER_RELEVANT
    finally:
        later.close()


def test_override_category_needs_a_reason(services, staff):
    person_id = _person_with_care(services, staff, date(2009, 6, 1), date(2023, 1, 1), None)
    with pytest.raises(ValidationError) as exc:
        services.people.override_category(
            staff.manager, person_id, LeaverCategory.QUALIFYING, "   ", expected_version=1
        )
    assert problem_fields(exc) == {"reason"}
    assert services.people.get(staff.pa, person_id).category is LeaverCategory.ELIGIBLE


def test_override_category_wins_over_the_computed_one_until_cleared(services, staff):
    person_id = _person_with_care(services, staff, date(2009, 6, 1), date(2023, 1, 1), None)
    changes = services.people.override_category(
        staff.manager, person_id, LeaverCategory.QUALIFYING, " court order ", expected_version=1
    )
    record = services.people.get(staff.pa, person_id)
    assert record.category is LeaverCategory.QUALIFYING
    assert record.computed_category is LeaverCategory.ELIGIBLE
    assert record.category_override_reason == "court order"
    events = audit_events(services, action="update", entity_id=person_id)
    assert {e.field: e.new_value for e in events} == {
        "category_override": "qualifying",
        "category_override_reason": "court order",
    }
    services.people.override_category(staff.manager, person_id, None, "", changes.version)
    record = services.people.get(staff.pa, person_id)
    assert record.category is LeaverCategory.ELIGIBLE
    assert record.category_override_reason == ""


def test_override_category_with_a_stale_version_raises_conflict(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    services.people.update(staff.pa, person_id, details(last_name="Changed"), 1)
    with pytest.raises(ConflictError):
        services.people.override_category(
            staff.manager, person_id, LeaverCategory.QUALIFYING, "reason", expected_version=1
        )


def test_a_pa_may_not_override_the_category(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    with pytest.raises(PermissionDenied):
        services.people.override_category(
            staff.pa, person_id, LeaverCategory.QUALIFYING, "reason", expected_version=1
        )


# -- close --------------------------------------------------------------------------------


def test_close_needs_a_reason(services, staff, today):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    with pytest.raises(ValidationError) as exc:
        services.people.close(staff.manager, person_id, today, "  ")
    assert problem_fields(exc) == {"reason"}
    assert services.people.get(staff.pa, person_id).closed_on is None


def test_close_refuses_a_date_before_birth(services, staff):
    person_id = new_person(services, staff.pa, pa=staff.pa, date_of_birth=date(2008, 3, 10))
    with pytest.raises(ValidationError) as exc:
        services.people.close(staff.manager, person_id, date(2008, 3, 9), "error")
    assert problem_fields(exc) == {"closed_on"}


def test_a_closed_record_is_kept_and_listed_only_on_request(services, staff, today):
    person_id = new_person(services, staff.pa, pa=staff.pa)
    other = new_person(services, staff.pa, "CL-002", pa=staff.pa)
    services.people.close(staff.manager, person_id, today, " reached 25 ")
    assert [r.id for r in services.people.list(staff.pa, PeopleQuery()).rows] == [other]
    page = services.people.list(staff.pa, PeopleQuery(include_closed=True))
    assert page.total == 2
    closed = next(r for r in page.rows if r.id == person_id)
    assert closed.closed and FLAG_CLOSED in closed.flags
    record = services.people.get(staff.pa, person_id)
    assert (record.closed_on, record.closed_reason) == (today, "reached 25")
    assert count(services, YoungPerson) == 2


# -- list(): a shared caseload ------------------------------------------------------------


@pytest.fixture
def caseload(services, staff):
    """Five open young people and one closed, with accommodation and contacts as of 2026-11-26.

    ref     name            team   PA            accommodation     since       latest contact
    N-001   Zoë Adams       North  Alex Adviser  W2 (B&B)          2026-11-20  YES
    N-002   Łukasz Nowak    North  Alex Adviser  U1                2026-01-01  NO
    N-003   Thi Nguyễn      North  Sam Second    V2 (emergency)    2026-11-01  none
    N-004   Amir Khan       North  Sam Second    D2                2026-06-01  YES
    S-001   Zoe Brown       South  Remy Remote   U1                2025-05-05  YES
    N-005   Cara Closed     North  Alex Adviser  (closed)
    """
    people, acc, contacts = services.people, services.accommodation, services.contacts
    spec = [
        ("N-001", "Zoë", "Adams", date(2008, 3, 10), staff.pa, "W2", date(2026, 11, 20)),
        ("N-002", "Łukasz", "Nowak", date(2007, 7, 1), staff.pa, "U1", date(2026, 1, 1)),
        ("N-003", "Thi", "Nguyễn", date(2009, 1, 15), staff.pa2, "V2", date(2026, 11, 1)),
        ("N-004", "Amir", "Khan", date(2005, 12, 1), staff.pa2, "D2", date(2026, 6, 1)),
        ("S-001", "Zoe", "Brown", date(2006, 2, 2), staff.other_pa, "U1", date(2025, 5, 5)),
        ("N-005", "Cara", "Closed", date(2004, 4, 4), staff.pa, None, None),
    ]
    ids = {}
    for ref, first, last, dob, pa, code, since in spec:
        ids[ref] = people.create(pa, details(ref, first, last, dob), pa_id=pa.id).entity_id
        if code:
            acc.record_move(
                pa,
                ids[ref],
                MoveInput(AccommodationType(code[0]), since, Suitability(code[1])),
            )
    for ref, pa, day, touch in [
        ("N-001", staff.pa, date(2026, 11, 21), InTouch.YES),
        ("N-002", staff.pa, date(2026, 10, 1), InTouch.YES),
        ("N-002", staff.pa, date(2026, 11, 10), InTouch.NO),
        ("N-004", staff.pa2, date(2026, 11, 2), InTouch.YES),
        ("S-001", staff.other_pa, date(2026, 11, 3), InTouch.YES),
    ]:
        contacts.log_contact(pa, ids[ref], ContactInput(day, ContactKind.PHONE, touch))
    people.close(staff.manager, ids["N-005"], date(2026, 11, 1), "moved abroad")
    return ids


def refs(page) -> list[str]:
    return [r.reference for r in page.rows]


def listed(services, actor, **query) -> list[str]:
    return sorted(refs(services.people.list(actor, PeopleQuery(**query))))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("zoe", ["N-001", "S-001"]),
        ("ZOË", ["N-001", "S-001"]),
        ("Zoe", ["N-001", "S-001"]),
        ("lukasz", ["N-002"]),
        ("ŁUKASZ", ["N-002"]),
        ("nguyen", ["N-003"]),
        ("NGUYỄN", ["N-003"]),
        ("n-002", ["N-002"]),
        ("N-00", ["N-001", "N-002", "N-003", "N-004"]),
        ("zoe adams", ["N-001"]),
        ("adams   zoe", ["N-001"]),
        ("zoe nowak", []),
        ("kha", ["N-004"]),
        ("", ["N-001", "N-002", "N-003", "N-004", "S-001"]),
        ("   ", ["N-001", "N-002", "N-003", "N-004", "S-001"]),
    ],
)
def test_search_is_case_and_diacritic_insensitive_over_names_and_reference(
    services, staff, caseload, search, expected
):
    assert listed(services, staff.admin, search=search) == expected


@pytest.mark.parametrize("wildcard", ["%", "_", "n%1", "n_001", "z_e"])
def test_like_wildcards_in_the_search_are_literal(services, staff, caseload, wildcard):
    assert listed(services, staff.admin, search=wildcard) == []


def test_an_underscore_in_the_search_matches_only_an_underscore(services, staff):
    new_person(services, staff.pa, "AB_1", first_name="Ann")
    new_person(services, staff.pa, "ABX1", first_name="Bob")
    assert listed(services, staff.pa, search="ab_1") == ["AB_1"]
    assert listed(services, staff.pa, search="ab") == ["ABX1", "AB_1"]


def test_a_percent_sign_in_the_search_matches_only_a_percent_sign(services, staff):
    new_person(services, staff.pa, "P-1", first_name="100%", last_name="Real")
    new_person(services, staff.pa, "P-2", first_name="1000", last_name="Real")
    assert listed(services, staff.pa, search="100%") == ["P-1"]
    assert listed(services, staff.pa, search="1%0") == []


def test_search_finds_a_closed_record_only_with_include_closed(services, staff, caseload):
    assert listed(services, staff.admin, search="cara") == []
    assert listed(services, staff.admin, search="cara", include_closed=True) == ["N-005"]


@pytest.mark.parametrize(
    ("who", "scope", "expected"),
    [
        ("pa", CaseloadScope.MINE, ["N-001", "N-002"]),
        ("pa2", CaseloadScope.MINE, ["N-003", "N-004"]),
        ("pa", CaseloadScope.TEAM, ["N-001", "N-002", "N-003", "N-004"]),
        ("pa", CaseloadScope.EVERYONE, ["N-001", "N-002", "N-003", "N-004"]),
        ("other_pa", CaseloadScope.EVERYONE, ["S-001"]),
        ("manager", CaseloadScope.TEAM, ["N-001", "N-002", "N-003", "N-004"]),
        ("manager", CaseloadScope.EVERYONE, ["N-001", "N-002", "N-003", "N-004"]),
        ("manager", CaseloadScope.MINE, []),
        ("admin", CaseloadScope.EVERYONE, ["N-001", "N-002", "N-003", "N-004", "S-001"]),
        ("admin", CaseloadScope.MINE, []),
    ],
)
def test_list_scope_limits_who_is_listed(services, staff, caseload, who, scope, expected):
    """MINE is the actor's caseload; a PA or manager asking for EVERYONE still sees only
    their own team; only a role with an ALL grant (the administrator) sees every team."""
    assert listed(services, getattr(staff, who), scope=scope) == expected


def test_list_total_follows_the_scope(services, staff, caseload):
    assert services.people.list(staff.pa, PeopleQuery()).total == 4
    assert services.people.list(staff.admin, PeopleQuery()).total == 5


def test_housing_liaison_may_not_list(services, staff):
    hl = services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    with pytest.raises(PermissionDenied):
        services.people.list(services.staffing.actor(hl.username), PeopleQuery())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"in_bnb_or_emergency": True}, ["N-001", "N-003"]),
        ({"unsuitable": True}, ["N-001", "N-003", "N-004"]),
        ({"not_in_touch": True}, ["N-002"]),
        ({"in_bnb_or_emergency": True, "unsuitable": True}, ["N-001", "N-003"]),
        ({"unsuitable": True, "search": "khan"}, ["N-004"]),
        ({"include_closed": True}, ["N-001", "N-002", "N-003", "N-004", "N-005", "S-001"]),
    ],
)
def test_list_filters(services, staff, caseload, query, expected):
    assert listed(services, staff.admin, **query) == expected


def test_list_filters_apply_to_the_total_too(services, staff, caseload):
    page = services.people.list(staff.admin, PeopleQuery(unsuitable=True, limit=1))
    assert (len(page.rows), page.total) == (1, 3)


def test_an_ended_episode_is_not_current_accommodation(services, staff, caseload):
    record = services.people.get(staff.pa, caseload["N-001"])
    episode = record.current_episode
    services.accommodation.end_episode(staff.pa, episode.id, date(2026, 11, 25), episode.version)
    row = services.people.list(staff.pa, PeopleQuery(search="N-001")).rows[0]
    assert (row.accommodation, row.days_in_accommodation) == ("", None)
    assert FLAG_BNB not in row.flags
    assert "N-001" not in listed(services, staff.pa, in_bnb_or_emergency=True)


def test_list_row_has_current_accommodation_days_and_flags_on_the_injected_today(
    services, staff, caseload
):
    rows = {r.reference: r for r in services.people.list(staff.admin, PeopleQuery()).rows}
    zoe = rows["N-001"]
    assert (zoe.name, zoe.age, zoe.pa_name, zoe.team_name) == (
        "Zoë Adams",
        18,
        "Alex Adviser",
        "North Team",
    )
    assert (zoe.accommodation, zoe.days_in_accommodation, zoe.in_touch) == ("W2", 6, InTouch.YES)
    assert zoe.flags == (FLAG_ESCALATION, FLAG_BNB, FLAG_UNSUITABLE)
    assert (rows["N-002"].accommodation, rows["N-002"].days_in_accommodation) == ("U1", 329)
    assert rows["N-002"].in_touch is InTouch.NO
    assert rows["N-002"].flags == (FLAG_NOT_IN_TOUCH,)
    assert rows["N-003"].in_touch is None
    assert rows["N-003"].flags == (FLAG_ESCALATION, FLAG_EMERGENCY, FLAG_UNSUITABLE)
    assert rows["N-004"].flags == (FLAG_ESCALATION, FLAG_UNSUITABLE)
    assert rows["S-001"].flags == ()
    assert not any(r.closed for r in rows.values())


def test_days_in_accommodation_follow_the_services_clock(services, staff, caseload, paths):
    later = open_services(paths, None, lambda: date(2026, 12, 1))
    try:
        row = later.people.list(staff.pa, PeopleQuery(search="N-001")).rows[0]
    finally:
        later.close()
    assert (row.accommodation, row.days_in_accommodation) == ("W2", 11)


def _sort_value(key: SortKey, row):
    return {
        SortKey.NAME: (row.last_name, row.first_name),
        SortKey.REFERENCE: row.reference,
        SortKey.AGE: row.age,
        SortKey.PA: row.pa_name,
        SortKey.ACCOMMODATION: row.accommodation,
        SortKey.DAYS: row.days_in_accommodation,
        SortKey.IN_TOUCH: row.in_touch.value if row.in_touch else None,
        SortKey.FLAGS: _flag_rank(row),
    }[key]


def _flag_rank(row) -> int:
    """Most worrying first: B&B/emergency/no fixed abode/custody, unsuitable, not in touch."""
    if row.accommodation[:1] in ("W", "V", "S", "X"):
        return 0
    if row.accommodation[1:] == "2":
        return 1
    if row.in_touch not in (None, InTouch.YES):
        return 2
    return 3


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", list(SortKey))
def test_every_sort_key_orders_the_list_both_ways(services, staff, caseload, key, descending):
    rows = services.people.list(staff.admin, PeopleQuery(sort=key, descending=descending)).rows
    assert len(rows) == 5
    values = [_sort_value(key, r) for r in rows if _sort_value(key, r) is not None]
    assert len(set(values)) > 1
    assert values == sorted(values, reverse=descending)


@pytest.mark.parametrize(
    ("key", "ascending"),
    [
        (SortKey.NAME, ["N-001", "S-001", "N-004", "N-003", "N-002"]),
        (SortKey.REFERENCE, ["N-001", "N-002", "N-003", "N-004", "S-001"]),
        # youngest first: 17, 18, 19, 20 (born 2006-02-02), 20 (born 2005-12-01)
        (SortKey.AGE, ["N-003", "N-001", "N-002", "S-001", "N-004"]),
        # fewest days first: 6, 25, 178, 329, 570
        (SortKey.DAYS, ["N-001", "N-003", "N-004", "N-002", "S-001"]),
    ],
)
def test_sort_keys_without_ties_reverse_exactly(services, staff, caseload, key, ascending):
    asc = refs(services.people.list(staff.admin, PeopleQuery(sort=key)))
    desc = refs(services.people.list(staff.admin, PeopleQuery(sort=key, descending=True)))
    assert asc == ascending
    assert desc == ascending[::-1]


def test_paging_by_offset_and_limit_reports_the_total(services, staff, caseload):
    def page(offset, limit):
        p = services.people.list(
            staff.admin, PeopleQuery(sort=SortKey.REFERENCE, offset=offset, limit=limit)
        )
        return refs(p), p.total

    assert page(0, 2) == (["N-001", "N-002"], 5)
    assert page(2, 2) == (["N-003", "N-004"], 5)
    assert page(4, 2) == (["S-001"], 5)
    assert page(6, 2) == ([], 5)
    assert page(1, None) == (["N-002", "N-003", "N-004", "S-001"], 5)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", list(SortKey))
def test_pages_of_any_size_join_up_to_the_whole_list_in_every_sort(
    services, staff, caseload, key, descending
):
    """The page's ids are chosen first and its rows read after: whatever the sort (ties,
    unallocated PAs and records with no accommodation included), the pages put together are
    exactly the unpaged list, each young person once."""
    for ref, first, last in [("T-1", "Zoe", "Adams"), ("T-2", "Zoe", "Adams"), ("T-3", "Al", "Ng")]:
        new_person(services, staff.manager, ref, first_name=first, last_name=last)
    query = PeopleQuery(sort=key, descending=descending, include_closed=True, limit=None)
    whole = refs(services.people.list(staff.admin, query))
    assert len(whole) == len(set(whole)) == 9
    for size in (1, 2, 4):
        pages: list[str] = []
        for offset in range(0, 10, size):
            page = services.people.list(staff.admin, replace(query, offset=offset, limit=size))
            assert page.total == 9 and page.total_exact
            pages += refs(page)
        assert pages == whole


def test_a_search_counts_its_matches_only_up_to_the_count_limit(services, staff, caseload):
    """A broad search typed a letter at a time does not count a whole national database: past
    count_limit matches past the page the total is a lower bound, and says so."""

    def page(search, offset=0, count_limit=2):
        query = PeopleQuery(search=search, offset=offset, limit=1, count_limit=count_limit)
        p = services.people.list(staff.admin, query)
        return refs(p), p.total, p.total_exact

    # "n-00" matches N-001..N-004 (the closed N-005 is left out); by name: Adams N-001,
    # Khan N-004, Nguyễn N-003, Nowak N-002. Counting stops count_limit (2) past the page.
    assert page("n-00") == (["N-001"], 3, False)
    assert page("n-00", offset=1) == (["N-004"], 4, False)  # reached the limit: maybe more
    assert page("n-00", offset=2) == (["N-003"], 4, True)  # counting up to 5 found only 4
    assert page("n-00", count_limit=4) == (["N-001"], 4, True)
    assert page("n-00", count_limit=None) == (["N-001"], 4, True)
    assert page("zoe") == (["N-001"], 2, True)
    # No search: the list is always counted exactly, whatever the limit.
    assert page("") == (["N-001"], 5, True)
