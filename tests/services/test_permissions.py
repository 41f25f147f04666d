"""Who may do what: the PERMISSIONS table, allowed()/require(), and the services enforcing it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import AccommodationEpisode, AuditEvent, YoungPerson
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    ContactKind,
    LeaverCategory,
    Role,
    Suitability,
)
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.actors import Actor
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.people import CaseloadScope, PeopleQuery
from careleaver_app.services.permissions import (
    PERMISSIONS,
    Action,
    Scope,
    allowed,
    require,
    scope_for,
)

A, OWN, TEAM, ALL = Action, Scope.OWN, Scope.TEAM, Scope.ALL

# The policy, written out independently of the code so that changing a grant means changing
# this test too. Absent means denied.
EXPECTED: dict[Role, dict[Action, Scope]] = {
    Role.PERSONAL_ADVISER: {
        A.LIST_PEOPLE: TEAM,
        A.VIEW_PERSON: TEAM,
        A.CREATE_PERSON: TEAM,
        A.EDIT_PERSON: OWN,
        A.RECORD_ACCOMMODATION: OWN,
        A.RECORD_CONTACT: OWN,
        A.RECORD_ACTIVITY: OWN,
        A.EDIT_CARE_HISTORY: OWN,
        A.EXPORT_DATA: OWN,
        A.VIEW_ESCALATIONS: TEAM,
        A.RECORD_PATHWAY: OWN,
        A.RECORD_OFFER: OWN,
        A.VIEW_HOUSING_SUMMARY: TEAM,
        A.PRINT_HOUSING_SUMMARY: TEAM,
    },
    Role.TEAM_MANAGER: {
        A.LIST_PEOPLE: TEAM,
        A.VIEW_PERSON: TEAM,
        A.CREATE_PERSON: TEAM,
        A.EDIT_PERSON: TEAM,
        A.RECORD_ACCOMMODATION: TEAM,
        A.RECORD_CONTACT: TEAM,
        A.RECORD_ACTIVITY: TEAM,
        A.EDIT_CARE_HISTORY: TEAM,
        A.ALLOCATE_PA: TEAM,
        A.OVERRIDE_CATEGORY: TEAM,
        A.CLOSE_PERSON: TEAM,
        A.EXPORT_DATA: TEAM,
        A.VIEW_ESCALATIONS: TEAM,
        A.DECIDE_ESCALATION: TEAM,
        A.RESOLVE_ESCALATION: TEAM,
        A.RECORD_PATHWAY: TEAM,
        A.SIGN_OFF_PLAN: TEAM,
        A.RECORD_OFFER: TEAM,
        A.AUTHORISE_OFFER_EXCEPTION: TEAM,
        A.VIEW_HOUSING_SUMMARY: TEAM,
        A.PRINT_HOUSING_SUMMARY: TEAM,
        A.VIEW_RECORD_HISTORY: TEAM,
    },
    Role.HOUSING_LIAISON: {
        A.VIEW_HOUSING_SUMMARY: TEAM,
        A.PRINT_HOUSING_SUMMARY: TEAM,
    },
    Role.ADMINISTRATOR: {
        A.LIST_PEOPLE: ALL,
        A.VIEW_PERSON: ALL,
        A.MANAGE_STAFF: ALL,
        A.IMPORT_DATA: ALL,
        A.EXPORT_DATA: ALL,
        A.BACKUP: ALL,
        A.ALLOCATE_PA: ALL,
        A.VIEW_ESCALATIONS: ALL,
        A.MANAGE_SETTINGS: ALL,
        A.MANAGE_CATALOGUE: ALL,
        A.VIEW_RECORD_HISTORY: ALL,
        A.SEARCH_AUDIT: ALL,
        A.PURGE_PERSON: ALL,
    },
}

ACTOR_ID, TEAM_MATE_ID, STRANGER_ID = 10, 11, 20
MY_TEAM, OTHER_TEAM = 1, 2

# The young people an actor may be asked about: (name, team_id, pa_id).
TARGETS = {
    "own caseload": (MY_TEAM, ACTOR_ID),
    "team-mate's caseload": (MY_TEAM, TEAM_MATE_ID),
    "unallocated in my team": (MY_TEAM, None),
    "other team": (OTHER_TEAM, STRANGER_ID),
}
REACHES = {
    OWN: {"own caseload"},
    TEAM: {"own caseload", "team-mate's caseload", "unallocated in my team"},
    ALL: set(TARGETS),
    None: set(),
}


def actor(role: Role, team_id: int | None = MY_TEAM) -> Actor:
    return Actor(ACTOR_ID, "someone", "Some One", role, team_id)


def test_the_permissions_table_is_the_agreed_policy():
    assert {role: dict(grants) for role, grants in PERMISSIONS.items()} == EXPECTED


def test_every_role_has_an_entry():
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_allowed_matches_the_table_for_own_team_and_other_team_records(role, action):
    scope = EXPECTED[role].get(action)
    who = actor(role, team_id=None if role is Role.ADMINISTRATOR else MY_TEAM)
    assert scope_for(who, action) == scope
    for name, (team_id, pa_id) in TARGETS.items():
        expected = name in REACHES[scope]
        assert allowed(who, action, team_id=team_id, pa_id=pa_id) is expected, name


HOUSING_ONLY = {A.VIEW_HOUSING_SUMMARY, A.PRINT_HOUSING_SUMMARY}


@pytest.mark.parametrize("action", sorted(set(Action) - HOUSING_ONLY), ids=str)
def test_housing_liaison_is_denied_everything_but_the_housing_summary(action):
    """Housing liaison reaches young people only through the housing summary (and the
    service refuses that too without consent)."""
    who = actor(Role.HOUSING_LIAISON)
    assert not allowed(who, action)
    for team_id, pa_id in TARGETS.values():
        assert not allowed(who, action, team_id=team_id, pa_id=pa_id)
        with pytest.raises(PermissionDenied):
            require(who, action, team_id=team_id, pa_id=pa_id)


def test_a_team_grant_needs_the_actor_to_have_a_team():
    """A manager with no team reaches nobody, not the young people who have no team."""
    who = actor(Role.TEAM_MANAGER, team_id=None)
    assert not allowed(who, A.VIEW_PERSON, team_id=None, pa_id=None)
    assert not allowed(who, A.VIEW_PERSON, team_id=MY_TEAM, pa_id=None)


def test_require_returns_the_scope_granted():
    assert require(actor(Role.PERSONAL_ADVISER), A.EDIT_PERSON, pa_id=ACTOR_ID) is OWN
    assert require(actor(Role.TEAM_MANAGER), A.EDIT_PERSON, team_id=MY_TEAM) is TEAM
    assert require(actor(Role.ADMINISTRATOR, None), A.BACKUP) is ALL


def test_require_refuses_with_a_message_naming_role_user_and_action():
    who = Actor(ACTOR_ID, "pa1", "Alex Adviser", Role.PERSONAL_ADVISER, MY_TEAM)
    with pytest.raises(PermissionDenied) as exc:
        require(who, A.CLOSE_PERSON, team_id=MY_TEAM, pa_id=ACTOR_ID)
    assert str(exc.value) == "Personal adviser 'pa1' may not close person for this young person"
    with pytest.raises(PermissionDenied, match=r"may not backup$"):
        require(who, A.BACKUP)


# -- the services enforce it --------------------------------------------------------------


def count(services, model) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.fixture
def person(services, staff) -> int:
    """On Alex Adviser's (staff.pa) caseload in the North team."""
    return services.people.create(
        staff.pa, PersonDetails("CL-001", "Zoë", "Adams", date(2007, 7, 1)), pa_id=staff.pa.id
    ).entity_id


@pytest.fixture
def other_manager(services, staff) -> Actor:
    tm = services.staffing.create_staff(
        staff.admin, "tm9", "Terry Elsewhere", Role.TEAM_MANAGER, staff.other_team.id
    )
    return services.staffing.actor(tm.username)


@pytest.fixture
def housing(services, staff) -> Actor:
    hl = services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    return services.staffing.actor(hl.username)


MOVE = MoveInput(AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE)


def test_a_pa_from_another_team_may_not_record_a_move(services, staff, person):
    audit_before = count(services, AuditEvent)
    with pytest.raises(PermissionDenied):
        services.accommodation.record_move(staff.other_pa, person, MOVE)
    assert count(services, AccommodationEpisode) == 0
    assert count(services, AuditEvent) == audit_before


def test_a_pa_may_not_record_a_move_for_a_team_mates_young_person(services, staff, person):
    with pytest.raises(PermissionDenied):
        services.accommodation.record_move(staff.pa2, person, MOVE)
    services.accommodation.record_move(staff.pa, person, MOVE)
    services.accommodation.record_move(
        staff.manager,
        person,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2026, 11, 22), Suitability.SUITABLE),
    )


def test_a_pa_may_not_change_a_team_mates_episode(services, staff, person):
    ep = services.accommodation.record_move(staff.pa, person, MOVE)
    acc = services.accommodation
    with pytest.raises(PermissionDenied):
        acc.end_episode(staff.pa2, ep.entity_id, date(2026, 11, 22), ep.version)
    with pytest.raises(PermissionDenied):
        acc.correct_episode(staff.pa2, ep.entity_id, MOVE, ep.version)
    with pytest.raises(PermissionDenied):
        acc.void_episode(staff.pa2, ep.entity_id, "mine now", ep.version)
    with pytest.raises(PermissionDenied):
        acc.void_episode(staff.other_pa, ep.entity_id, "mine now", ep.version)


def test_a_pa_may_view_but_not_edit_a_team_mates_young_person(services, staff, person):
    assert services.people.get(staff.pa2, person).reference == "CL-001"
    with pytest.raises(PermissionDenied):
        services.people.update(
            staff.pa2, person, PersonDetails("CL-001", "Zoe", "Adams", date(2007, 7, 1)), 1
        )
    with pytest.raises(PermissionDenied):
        services.people.add_care_period(staff.pa2, person, CarePeriod(date(2020, 1, 1)))
    assert services.people.get(staff.pa, person).first_name == "Zoë"


def test_a_pa_may_not_log_contact_or_activity_for_a_team_mates_young_person(
    services, staff, person
):
    with pytest.raises(PermissionDenied):
        services.contacts.log_contact(
            staff.pa2, person, ContactInput(date(2026, 11, 1), ContactKind.PHONE)
        )
    with pytest.raises(PermissionDenied):
        services.contacts.change_activity(staff.pa2, person, Activity.NEET_OTHER, date(2026, 11, 1))


def test_a_pa_may_not_close_a_record_even_their_own(services, staff, person, today):
    with pytest.raises(PermissionDenied):
        services.people.close(staff.pa, person, today, "moved away")
    assert services.people.get(staff.pa, person).closed_on is None


def test_a_pa_may_not_override_the_category_or_allocate(services, staff, person, today):
    with pytest.raises(PermissionDenied):
        services.people.override_category(staff.pa, person, LeaverCategory.QUALIFYING, "x", 1)
    with pytest.raises(PermissionDenied):
        services.people.allocate_pa(staff.pa, person, staff.pa2.id, today)


def test_a_pa_may_not_create_a_record_in_another_team(services, staff):
    with pytest.raises(PermissionDenied):
        services.people.create(
            staff.pa,
            PersonDetails("CL-009", "Zoë", "Adams", date(2007, 7, 1)),
            team_id=staff.other_team.id,
        )
    assert count(services, YoungPerson) == 0


def test_a_manager_of_another_team_may_not_view_or_find_the_record(
    services, staff, person, other_manager
):
    audit_before = count(services, AuditEvent)
    with pytest.raises(PermissionDenied):
        services.people.get(other_manager, person)
    with pytest.raises(PermissionDenied):
        services.people.find_id(other_manager, "CL-001")
    assert services.people.list(other_manager, PeopleQuery(search="zoe")).total == 0
    # a refused view is not recorded as a view
    assert count(services, AuditEvent) == audit_before


def test_a_manager_of_another_team_may_not_change_the_record(
    services, staff, person, other_manager, today
):
    with pytest.raises(PermissionDenied):
        services.people.close(other_manager, person, today, "not ours")
    with pytest.raises(PermissionDenied):
        services.people.allocate_pa(other_manager, person, staff.other_pa.id, today)
    with pytest.raises(PermissionDenied):
        services.accommodation.record_move(other_manager, person, MOVE)


def test_the_manager_of_the_team_may_do_everything_for_its_young_people(
    services, staff, person, today
):
    tm = staff.manager
    services.people.get(tm, person)
    services.accommodation.record_move(tm, person, MOVE)
    services.contacts.log_contact(tm, person, ContactInput(today, ContactKind.VISIT))
    services.contacts.change_activity(tm, person, Activity.NEET_OTHER, today)
    services.people.add_care_period(tm, person, CarePeriod(date(2020, 1, 1), date(2024, 1, 1)))
    services.people.override_category(tm, person, LeaverCategory.QUALIFYING, "reason", 1)
    services.people.allocate_pa(tm, person, staff.pa2.id, today)
    services.people.close(tm, person, today, "moved away")
    assert services.people.get(tm, person).closed_on == today


def test_the_administrator_sees_everyone_but_does_not_edit_casework(services, staff, person):
    """Administrators run the system; casework belongs to the team."""
    assert services.people.get(staff.admin, person).reference == "CL-001"
    with pytest.raises(PermissionDenied):
        services.accommodation.record_move(staff.admin, person, MOVE)
    with pytest.raises(PermissionDenied):
        services.people.create(
            staff.admin,
            PersonDetails("CL-002", "A", "B", date(2007, 7, 1)),
            team_id=staff.team.id,
        )


def test_housing_liaison_is_refused_by_every_people_service(services, staff, person, housing):
    with pytest.raises(PermissionDenied):
        services.people.list(housing, PeopleQuery(scope=CaseloadScope.TEAM))
    with pytest.raises(PermissionDenied):
        services.people.get(housing, person)
    with pytest.raises(PermissionDenied):
        services.people.find_id(housing, "CL-001")
    with pytest.raises(PermissionDenied):
        services.accommodation.record_move(housing, person, MOVE)


def test_only_an_administrator_manages_staff(services, staff):
    with pytest.raises(PermissionDenied):
        services.staffing.create_team(staff.manager, "East Team")
    with pytest.raises(PermissionDenied):
        services.staffing.create_staff(
            staff.manager, "pa7", "New Person", Role.PERSONAL_ADVISER, staff.team.id
        )
