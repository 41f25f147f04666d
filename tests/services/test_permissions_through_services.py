"""The permission table walked through the services (issue 8): every action is performed by a
real service call, by every role, on every kind of young person. A call succeeds exactly when
`permissions.allowed` says so; otherwise it raises PermissionDenied and writes nothing."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import AuditEvent, StaffMember, YoungPerson
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    ContactKind,
    LeaverCategory,
    Role,
    Suitability,
)
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.escalation import DecisionKind, Thresholds
from careleaver_app.domain.offer import EntitlementKind, EntryStatus, OfferCategory, OfferItem
from careleaver_app.domain.people import PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit_trail import AuditQuery
from careleaver_app.services.backup import backup_database
from careleaver_app.services.container import Services, open_services
from careleaver_app.services.demo.generate import generate_demo
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.encryption import encrypt_database
from careleaver_app.services.escalations import DecisionInput
from careleaver_app.services.exports import record_export
from careleaver_app.services.housing import NO_CONSENT, HousingSummary
from careleaver_app.services.importer import import_directory
from careleaver_app.services.offer import EntryInput
from careleaver_app.services.pathway import ReviewKind
from careleaver_app.services.people import PeopleQuery
from careleaver_app.services.permissions import Action, allowed
from tests.conftest import TODAY, Staff

A = Action
DOB = date(2006, 1, 10)  # 20 on TODAY, former relevant: the local offer applies
AFTER_RETENTION = date(2081, 1, 10)  # the 75th birthday: the record may be purged
SETTING_UP_HOME = "Setting-up-home allowance"  # £3,000 for life
SUPPORTED = MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2026, 10, 1), Suitability.SUITABLE)
BED_AND_BREAKFAST = MoveInput(
    AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE
)

# Granted in the table but performed by no service, so nothing enforces the grant yet.
NO_SERVICE_YET: dict[Action, str] = {}


class Target(StrEnum):
    OWN = "own caseload"
    TEAM_MATE = "team-mate's caseload"
    UNALLOCATED = "unallocated in my team"
    OTHER_TEAM = "other team"


def targets_for(role: Role) -> list[Target]:
    """Only a PA has a caseload; for the other roles a team-mate's caseload is the team PA's."""
    return list(Target) if role is Role.PERSONAL_ADVISER else list(Target)[1:]


# -- a clean database per test, from a template built once ----------------------------------


@dataclass
class World:
    """The services over this test's clean database, and who works there."""

    services: Services
    tmp: Path
    admin: Actor
    north: int
    south: int
    pa: Actor  # pa1, North
    pa2: Actor  # pa2, North
    manager: Actor  # tm1, North
    housing: Actor  # hl1, North
    other_pa: Actor  # pa9, South
    other_pa2: Actor  # pa8, South
    other_manager: Actor  # tm9, South
    other_housing: Actor  # hl9, South
    made: int = 0

    def actor(self, role: Role) -> Actor:
        return {
            Role.PERSONAL_ADVISER: self.pa,
            Role.TEAM_MANAGER: self.manager,
            Role.HOUSING_LIAISON: self.housing,
            Role.ADMINISTRATOR: self.admin,
        }[role]

    def placement(self, role: Role, target: Target) -> tuple[int, int | None]:
        """(team_id, pa_id) of a young person who is `target` to the acting user of `role`."""
        return {
            Target.OWN: (self.north, self.actor(role).id),
            Target.TEAM_MATE: (
                self.north,
                self.pa2.id if role is Role.PERSONAL_ADVISER else self.pa.id,
            ),
            Target.UNALLOCATED: (self.north, None),
            Target.OTHER_TEAM: (self.south, self.other_pa.id),
        }[target]

    def manager_of(self, team_id: int) -> Actor:
        return self.manager if team_id == self.north else self.other_manager

    def details(self, consent: bool = True) -> PersonDetails:
        self.made += 1
        return PersonDetails(
            f"PT-{self.made:03d}",
            "Jordan",
            f"Example{self.made}",
            DOB,
            phone="07700 900123",
            housing_consent=consent,
            housing_support_needs="Help with a deposit",
            health_needs="Asthma",
        )

    def person(self, team_id: int, pa_id: int | None, consent: bool = True) -> int:
        """A fresh young person, created by their team's manager, with a care history."""
        return self.services.people.create(
            self.manager_of(team_id),
            self.details(consent),
            team_id=team_id,
            pa_id=pa_id,
            care_periods=(CarePeriod(date(2021, 1, 1), date(2024, 1, 10)),),
        ).entity_id


STAFF = ("pa1", "pa2", "tm1", "hl1", "pa9", "pa8", "tm9", "hl9")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A migrated database holding both teams' staff, built once per module."""
    paths = AppPaths(tmp_path_factory.mktemp("template") / "data")
    services = open_services(paths, None, lambda: TODAY)
    staff = Staff(services)
    for username, name, role, team in (
        ("tm9", "Terry Elsewhere", Role.TEAM_MANAGER, staff.other_team.id),
        ("pa8", "Pat Elsewhere", Role.PERSONAL_ADVISER, staff.other_team.id),
        ("hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id),
        ("hl9", "Harry Housing", Role.HOUSING_LIAISON, staff.other_team.id),
    ):
        services.staffing.create_staff(staff.admin, username, name, role, team)
    services.close()
    return paths.data_dir


def world_over(services: Services, tmp: Path) -> World:
    st = services.staffing
    teams = {t.name: t.id for t in st.list_teams()}
    return World(
        services,
        tmp,
        st.actor("admin"),
        teams["North Team"],
        teams["South Team"],
        *(st.actor(username) for username in STAFF),
    )


@pytest.fixture(scope="module")
def shared(template, tmp_path_factory) -> World:
    """One set of services for the module: a new engine per test would mean compiling every
    statement again in every test, several times the cost of the test itself."""
    paths = AppPaths(tmp_path_factory.mktemp("shared") / "data")
    shutil.copytree(template, paths.data_dir)
    services = open_services(paths, None, lambda: TODAY)
    yield world_over(services, paths.data_dir)
    services.close()


@pytest.fixture
def world(shared, template, tmp_path) -> World:
    """The shared services over a database put back to the template's content for this test,
    so that every success starts from clean data."""
    source = sqlite3.connect(AppPaths(template).database_file)
    try:
        with shared.services.db.engine.connect() as conn:
            source.backup(conn.connection.driver_connection)
    finally:
        source.close()
    shared.services.people.today = lambda: TODAY  # a purge moves it on
    with shared.services.db.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(YoungPerson)) == 0
    return replace(shared, tmp=tmp_path, made=0)


@pytest.fixture
def own_world(template, tmp_path) -> World:
    """Services over this test's own copy of the template, for a call that rewrites the file."""
    paths = AppPaths(tmp_path / "data")
    shutil.copytree(template, paths.data_dir)
    services = open_services(paths, None, lambda: TODAY)
    yield world_over(services, tmp_path)
    services.close()


# -- proving that nothing was written ---------------------------------------------------------


def snapshot(services: Services) -> dict[str, Counter[str]]:
    """Every row of every table, the search index's included."""
    with services.db.engine.connect() as conn:
        names = [
            n for (n,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {n: Counter(map(repr, conn.exec_driver_sql(f'SELECT * FROM "{n}"'))) for n in names}


def written(before: dict[str, Counter[str]], after: dict[str, Counter[str]]) -> dict[str, int]:
    """How many rows were added, removed or changed in each table that differs."""
    out = {}
    for name in before.keys() | after.keys():
        old, new = before.get(name, Counter()), after.get(name, Counter())
        if old != new:
            out[name] = max(sum((new - old).values()), sum((old - new).values()))
    return out


def audit_actions(services: Services, after_id: int = 0) -> list[str]:
    with services.db.transaction(write=False) as s:
        return list(
            s.scalars(
                select(AuditEvent.action).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
            )
        )


def last_audit_id(services: Services) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def row(services: Services, model: Any, row_id: int) -> Any:
    with services.db.transaction(write=False) as s:
        return s.get(model, row_id)


def catalogue_entry(services: Services, name: str = SETTING_UP_HOME) -> Any:
    (found,) = [c for c in services.offer.catalogue() if c.item.name == name]
    return found


# -- the doors: for each action, the service calls that perform it ----------------------------


class Case(NamedTuple):
    """One young person, and whatever a door needs made first (an episode, a plan ...)."""

    person_id: int
    team_id: int
    pa_id: int | None
    ready: Any = None


@dataclass(frozen=True)
class PersonDoor:
    """A service call about one young person, needing `action` (and `also`) on them."""

    name: str
    action: Action
    call: Callable[[World, Actor, Case], object]
    prepare: Callable[[World, Case], Any] | None = None
    also: tuple[Action, ...] = ()
    needs_consent: bool = False  # the housing summary: only for those who agreed to share


def _episode(w: World, c: Case) -> Any:
    return w.services.accommodation.record_move(w.manager_of(c.team_id), c.person_id, SUPPORTED)


def _escalation(w: World, c: Case, *, ended: bool = False) -> Any:
    tm = w.manager_of(c.team_id)
    episode = w.services.accommodation.record_move(tm, c.person_id, BED_AND_BREAKFAST)
    if ended:  # so that a manager may resolve it
        w.services.accommodation.end_episode(
            tm, episode.entity_id, date(2026, 11, 24), episode.version
        )
    (escalation,) = w.services.escalations.queue(tm, person_id=c.person_id)
    return escalation


def _plan(w: World, c: Case) -> Any:
    return w.services.pathway.start_plan(w.manager_of(c.team_id), c.person_id, date(2026, 10, 1))


def _entry(
    w: World,
    amount_pence: int = 10_000,
    status: EntryStatus = EntryStatus.APPROVED,
    *,
    exception: bool = False,
) -> EntryInput:
    return EntryInput(
        catalogue_entry(w.services).item.id,
        date(2026, 11, 1),
        status,
        amount_pence,
        exception_reason="Flat let unfurnished after a fire" if exception else "",
    )


def _requested_entry(w: World, c: Case) -> Any:
    return w.services.offer.add_entry(
        w.manager_of(c.team_id), c.person_id, _entry(w, status=EntryStatus.REQUESTED)
    )


def _another_pa_of_the_team(w: World, c: Case) -> int:
    if c.team_id == w.north:
        return w.pa2.id if c.pa_id == w.pa.id else w.pa.id
    return w.other_pa2.id


def _reference(w: World, c: Case) -> str:
    return row(w.services, YoungPerson, c.person_id).reference


def _create(w: World, a: Actor, c: Case) -> object:
    return w.services.people.create(a, w.details(), team_id=c.team_id, pa_id=c.pa_id)


def _update(w: World, a: Actor, c: Case) -> object:
    version = row(w.services, YoungPerson, c.person_id).version
    return w.services.people.update(a, c.person_id, w.details(), version)


def _override(w: World, a: Actor, c: Case) -> object:
    version = row(w.services, YoungPerson, c.person_id).version
    return w.services.people.override_category(
        a, c.person_id, LeaverCategory.QUALIFYING, "care history incomplete", version
    )


def _purge(w: World, a: Actor, c: Case) -> object:
    w.services.people.today = lambda: AFTER_RETENTION
    return w.services.people.purge(a, c.person_id, "past retention")


PERSON_DOORS = [
    PersonDoor("people.get", A.VIEW_PERSON, lambda w, a, c: w.services.people.get(a, c.person_id)),
    PersonDoor(
        "people.find_id",
        A.VIEW_PERSON,
        lambda w, a, c: w.services.people.find_id(a, c.ready),
        prepare=_reference,
    ),
    PersonDoor(
        "pathway.summary", A.VIEW_PERSON, lambda w, a, c: w.services.pathway.summary(a, c.person_id)
    ),
    PersonDoor(
        "offer.statement", A.VIEW_PERSON, lambda w, a, c: w.services.offer.statement(a, c.person_id)
    ),
    PersonDoor(
        "exports.record_export",
        A.EXPORT_DATA,
        lambda w, a, c: record_export(w.services.db, a, [c.person_id], "test export"),
    ),
    PersonDoor("people.create", A.CREATE_PERSON, _create),
    PersonDoor("people.update", A.EDIT_PERSON, _update),
    PersonDoor(
        "people.add_care_period",
        A.EDIT_CARE_HISTORY,
        lambda w, a, c: w.services.people.add_care_period(
            a, c.person_id, CarePeriod(date(2016, 1, 1), date(2017, 1, 1))
        ),
    ),
    PersonDoor(
        "people.allocate_pa",
        A.ALLOCATE_PA,
        lambda w, a, c: w.services.people.allocate_pa(a, c.person_id, c.ready, TODAY),
        prepare=_another_pa_of_the_team,
    ),
    PersonDoor("people.override_category", A.OVERRIDE_CATEGORY, _override),
    PersonDoor(
        "people.close",
        A.CLOSE_PERSON,
        lambda w, a, c: w.services.people.close(a, c.person_id, TODAY, "moved abroad"),
    ),
    PersonDoor("people.purge", A.PURGE_PERSON, _purge),
    PersonDoor(
        "accommodation.record_move",
        A.RECORD_ACCOMMODATION,
        lambda w, a, c: w.services.accommodation.record_move(a, c.person_id, BED_AND_BREAKFAST),
    ),
    PersonDoor(
        "accommodation.end_episode",
        A.RECORD_ACCOMMODATION,
        lambda w, a, c: w.services.accommodation.end_episode(
            a, c.ready.entity_id, date(2026, 11, 20), c.ready.version
        ),
        prepare=_episode,
    ),
    PersonDoor(
        "accommodation.correct_episode",
        A.RECORD_ACCOMMODATION,
        lambda w, a, c: w.services.accommodation.correct_episode(
            a, c.ready.entity_id, replace(SUPPORTED, address="1 New Street"), c.ready.version
        ),
        prepare=_episode,
    ),
    PersonDoor(
        "accommodation.void_episode",
        A.RECORD_ACCOMMODATION,
        lambda w, a, c: w.services.accommodation.void_episode(
            a, c.ready.entity_id, "entered in error", c.ready.version
        ),
        prepare=_episode,
    ),
    PersonDoor(
        "contacts.log_contact",
        A.RECORD_CONTACT,
        lambda w, a, c: w.services.contacts.log_contact(
            a, c.person_id, ContactInput(date(2026, 11, 20), ContactKind.VISIT)
        ),
    ),
    PersonDoor(
        "contacts.change_activity",
        A.RECORD_ACTIVITY,
        lambda w, a, c: w.services.contacts.change_activity(
            a, c.person_id, Activity.NEET_OTHER, date(2026, 11, 20)
        ),
    ),
    PersonDoor(
        "escalations.decisions",
        A.VIEW_ESCALATIONS,
        lambda w, a, c: w.services.escalations.decisions(a, c.ready.id),
        prepare=_escalation,
    ),
    PersonDoor(
        "escalations.record_decision",
        A.DECIDE_ESCALATION,
        lambda w, a, c: w.services.escalations.record_decision(
            a, c.ready.id, DecisionInput(DecisionKind.ACKNOWLEDGED, note="seen"), c.ready.version
        ),
        prepare=_escalation,
    ),
    PersonDoor(
        "escalations.resolve",
        A.RESOLVE_ESCALATION,
        lambda w, a, c: w.services.escalations.resolve(
            a, c.ready.id, "moved to supported lodgings", c.ready.version
        ),
        prepare=lambda w, c: _escalation(w, c, ended=True),
    ),
    PersonDoor(
        "pathway.record_assessment",
        A.RECORD_PATHWAY,
        lambda w, a, c: w.services.pathway.record_assessment(a, c.person_id, date(2026, 11, 1)),
    ),
    PersonDoor(
        "pathway.start_plan",
        A.RECORD_PATHWAY,
        lambda w, a, c: w.services.pathway.start_plan(a, c.person_id, date(2026, 11, 1)),
    ),
    PersonDoor(
        "pathway.record_review",
        A.RECORD_PATHWAY,
        lambda w, a, c: w.services.pathway.record_review(
            a, c.person_id, date(2026, 11, 20), ReviewKind.SCHEDULED
        ),
        prepare=_plan,
    ),
    PersonDoor(
        "pathway.sign_off_plan",
        A.SIGN_OFF_PLAN,
        lambda w, a, c: w.services.pathway.sign_off_plan(
            a, c.ready.entity_id, date(2026, 11, 20), c.ready.version
        ),
        prepare=_plan,
    ),
    PersonDoor(
        "offer.add_entry",
        A.RECORD_OFFER,
        lambda w, a, c: w.services.offer.add_entry(a, c.person_id, _entry(w)),
    ),
    PersonDoor(
        "offer.update_entry",
        A.RECORD_OFFER,
        lambda w, a, c: w.services.offer.update_entry(
            a, c.ready.entity_id, _entry(w), c.ready.version
        ),
        prepare=_requested_entry,
    ),
    # £3,500 of a £3,000 allowance: only an exception lets it through.
    PersonDoor(
        "offer.add_entry as an exception",
        A.AUTHORISE_OFFER_EXCEPTION,
        lambda w, a, c: w.services.offer.add_entry(
            a, c.person_id, _entry(w, 350_000, exception=True)
        ),
        also=(A.RECORD_OFFER,),
    ),
    PersonDoor(
        "offer.update_entry as an exception",
        A.AUTHORISE_OFFER_EXCEPTION,
        lambda w, a, c: w.services.offer.update_entry(
            a, c.ready.entity_id, _entry(w, 350_000, exception=True), c.ready.version
        ),
        prepare=_requested_entry,
        also=(A.RECORD_OFFER,),
    ),
    PersonDoor(
        "housing.summary",
        A.VIEW_HOUSING_SUMMARY,
        lambda w, a, c: w.services.housing.summary(a, c.person_id),
        needs_consent=True,
    ),
    PersonDoor(
        "housing.summary printing",
        A.PRINT_HOUSING_SUMMARY,
        lambda w, a, c: w.services.housing.summary(a, c.person_id, printing=True),
        needs_consent=True,
    ),
    PersonDoor(
        "audit_trail.history",
        A.VIEW_RECORD_HISTORY,
        lambda w, a, c: w.services.audit_trail.history(a, c.person_id),
    ),
]


class Someone(NamedTuple):
    team_id: int
    pa_id: int | None
    consent: bool


@dataclass(frozen=True)
class RoleDoor:
    """A service call about no one young person: allowed or not by the role alone.

    A door that lists young people returns the ids it showed; `shows` says whom the actor may
    see, and the list must be exactly those.
    """

    name: str
    action: Action
    call: Callable[[World, Actor, Any], object]
    prepare: Callable[[World], Any] | None = None
    shows: Callable[[Actor, Someone], bool] | None = None
    own_file: bool = False  # it rewrites the database file, so it gets a copy of its own


def _may(action: Action, *, consent: bool = False) -> Callable[[Actor, Someone], bool]:
    def shows(actor: Actor, who: Someone) -> bool:
        granted = allowed(actor, action, team_id=who.team_id, pa_id=who.pa_id)
        return granted and (who.consent or not consent)

    return shows


def _import_folder(w: World) -> Path:
    folder = w.tmp / "import"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "reference,first_name,last_name,date_of_birth,team\nIMP-1,Ima,Port,2007-05-01,North Team\n",
        encoding="utf-8",
    )
    return folder


BIKE = OfferItem(
    name="Bicycle",
    category=OfferCategory.LEISURE,
    kind=EntitlementKind.LIFETIME,
    amount_pence=15_000,
)


def _update_item(w: World, a: Actor, entry: Any) -> object:
    return w.services.offer.update_item(
        a, entry.item.id, replace(entry.item, description="Changed"), entry.version
    )


def _update_staff(w: World, a: Actor, version: int) -> object:
    return w.services.staffing.update_staff(
        a,
        w.pa2.id,
        display_name="Sam Renamed",
        role=Role.PERSONAL_ADVISER,
        team_id=w.north,
        email="",
        expected_version=version,
    )


ROLE_DOORS = [
    RoleDoor(
        "people.list",
        A.LIST_PEOPLE,
        lambda w, a, _: {r.id for r in w.services.people.list(a, PeopleQuery()).rows},
        shows=_may(A.VIEW_PERSON),
    ),
    RoleDoor(
        "pathway.due_list",
        A.LIST_PEOPLE,
        lambda w, a, _: {r.person_id for r in w.services.pathway.due_list(a)},
        shows=_may(A.VIEW_PERSON),
    ),
    RoleDoor(
        "offer.take_up",
        A.LIST_PEOPLE,
        lambda w, a, _: w.services.offer.take_up(a, date(2026, 1, 1), TODAY),
    ),
    RoleDoor(
        "staffing.list_staff", A.LIST_PEOPLE, lambda w, a, _: w.services.staffing.list_staff(a)
    ),
    RoleDoor(
        "escalations.queue",
        A.VIEW_ESCALATIONS,
        lambda w, a, _: {r.person_id for r in w.services.escalations.queue(a)},
        shows=_may(A.VIEW_ESCALATIONS),
    ),
    RoleDoor(
        "housing.consenting",
        A.VIEW_HOUSING_SUMMARY,
        lambda w, a, _: {r.person_id for r in w.services.housing.consenting(a)},
        shows=_may(A.VIEW_HOUSING_SUMMARY, consent=True),
    ),
    RoleDoor(
        "staffing.create_team",
        A.MANAGE_STAFF,
        lambda w, a, _: w.services.staffing.create_team(a, "East Team"),
    ),
    RoleDoor(
        "staffing.create_staff",
        A.MANAGE_STAFF,
        lambda w, a, _: w.services.staffing.create_staff(
            a, "pa7", "New Person", Role.PERSONAL_ADVISER, w.north
        ),
    ),
    RoleDoor(
        "staffing.set_password",
        A.MANAGE_STAFF,
        lambda w, a, _: w.services.staffing.set_password(a, w.pa2.id, "a long new password"),
    ),
    RoleDoor(
        "staffing.update_staff",
        A.MANAGE_STAFF,
        _update_staff,
        prepare=lambda w: row(w.services, StaffMember, w.pa2.id).version,
    ),
    RoleDoor(
        "staffing.set_active",
        A.MANAGE_STAFF,
        lambda w, a, _: w.services.staffing.set_active(a, w.pa2.id, False, "left the council"),
    ),
    RoleDoor(
        "escalations.set_thresholds",
        A.MANAGE_SETTINGS,
        lambda w, a, _: w.services.escalations.set_thresholds(a, Thresholds(3, 12, 42)),
    ),
    RoleDoor(
        "staffing.set_idle_lock_minutes",
        A.MANAGE_SETTINGS,
        lambda w, a, _: w.services.staffing.set_idle_lock_minutes(a, 10),
    ),
    RoleDoor(
        "encryption.encrypt_database",
        A.MANAGE_SETTINGS,
        lambda w, a, _: encrypt_database(w.services.db, a, "a long enough passphrase"),
        own_file=True,
    ),
    RoleDoor(
        "offer.add_item", A.MANAGE_CATALOGUE, lambda w, a, _: w.services.offer.add_item(a, BIKE)
    ),
    RoleDoor(
        "offer.update_item",
        A.MANAGE_CATALOGUE,
        _update_item,
        prepare=lambda w: catalogue_entry(w.services),
    ),
    RoleDoor(
        "offer.set_item_active",
        A.MANAGE_CATALOGUE,
        lambda w, a, e: w.services.offer.set_item_active(a, e.item.id, False, e.version),
        prepare=lambda w: catalogue_entry(w.services),
    ),
    RoleDoor(
        "backup.backup_database",
        A.BACKUP,
        lambda w, a, _: backup_database(w.services.db, a, w.tmp / "backup.sqlite3", TODAY),
    ),
    RoleDoor(
        "audit_trail.search",
        A.SEARCH_AUDIT,
        lambda w, a, _: w.services.audit_trail.search(a, AuditQuery()),
    ),
    RoleDoor(
        "importer.import_directory",
        A.IMPORT_DATA,
        lambda w, a, folder: import_directory(w.services, a, folder),
        prepare=_import_folder,
    ),
    RoleDoor(
        "demo.generate_demo",
        A.IMPORT_DATA,
        lambda w, a, _: generate_demo(w.services, a, people=1, seed=1, today=TODAY),
    ),
]


def test_every_action_has_a_service_call_here_or_is_known_to_have_none():
    """A new action fails this test until a door for it is added above."""
    covered = {d.action for d in PERSON_DOORS} | {d.action for d in ROLE_DOORS}
    assert covered | set(NO_SERVICE_YET) == set(Action)
    assert not covered & set(NO_SERVICE_YET), "a door exists now: drop it from NO_SERVICE_YET"


def test_every_action_is_performed_by_some_service():
    covered = {d.action for d in PERSON_DOORS} | {d.action for d in ROLE_DOORS}
    assert covered == set(Action)


# -- the table, door by door ------------------------------------------------------------------


def _person_cases():
    for door in PERSON_DOORS:
        for role in Role:
            for target in targets_for(role):
                for consent in (True, False) if door.needs_consent else (True,):
                    name = f"{door.name}-{role}-{target}" + ("" if consent else "-no consent")
                    yield pytest.param(door, role, target, consent, id=name)


@pytest.mark.parametrize(("door", "role", "target", "consent"), list(_person_cases()))
def test_a_call_about_a_young_person_succeeds_exactly_when_the_table_allows_it(
    world, door, role, target, consent
):
    """Otherwise PermissionDenied, and not one row written (bar the audited consent refusal)."""
    services, actor = world.services, world.actor(role)
    team_id, pa_id = world.placement(role, target)
    case = Case(world.person(team_id, pa_id, consent), team_id, pa_id)
    if door.prepare is not None:
        case = case._replace(ready=door.prepare(world, case))
    granted = all(
        allowed(actor, action, team_id=team_id, pa_id=pa_id) for action in (door.action, *door.also)
    )
    before = snapshot(services)
    if granted and (consent or not door.needs_consent):
        door.call(world, actor, case)
        return
    with pytest.raises(PermissionDenied):
        door.call(world, actor, case)
    changes = written(before, snapshot(services))
    if granted:  # refused for want of consent: the refusal itself goes in the audit trail
        assert changes == {"audit_events": 1}
        assert audit_actions(services)[-1] == "refused"
    else:
        assert changes == {}


def _role_cases():
    for door in ROLE_DOORS:
        for role in Role:
            yield pytest.param(door, role, id=f"{door.name}-{role}")


def populate(w: World) -> dict[int, Someone]:
    """Someone on every kind of caseload, with and without consent, each in B&B with a plan."""
    placed = {}
    kinds = [(w.north, w.pa.id), (w.north, w.pa2.id), (w.north, None), (w.south, w.other_pa.id)]
    for team_id, pa_id in kinds:
        for consent in (True, False):
            person_id = w.person(team_id, pa_id, consent)
            case = Case(person_id, team_id, pa_id)
            _escalation(w, case)
            _plan(w, case)
            placed[person_id] = Someone(team_id, pa_id, consent)
    return placed


@pytest.mark.parametrize(("door", "role"), list(_role_cases()))
def test_a_call_about_no_one_young_person_succeeds_exactly_when_the_role_may(request, door, role):
    """Lists show exactly whom the actor may see; a refusal writes nothing."""
    world = request.getfixturevalue("own_world" if door.own_file else "world")
    services, actor = world.services, world.actor(role)
    placed = populate(world) if door.shows else {}
    ready = door.prepare(world) if door.prepare else None
    before = snapshot(services)
    if allowed(actor, door.action, team_id=actor.team_id, pa_id=actor.id):
        seen = door.call(world, actor, ready)
        if door.shows is not None:
            assert seen == {pid for pid, who in placed.items() if door.shows(actor, who)}
        return
    with pytest.raises(PermissionDenied):
        door.call(world, actor, ready)
    assert written(before, snapshot(services)) == {}


# -- the cases the issue names ----------------------------------------------------------------


def test_housing_liaison_views_and_prints_the_summary_of_a_consenting_young_person_of_the_team(
    world,
):
    person = world.person(world.north, world.pa.id, consent=True)
    mark = last_audit_id(world.services)
    for printing in (False, True):
        summary = world.services.housing.summary(world.housing, person, printing=printing)
        assert summary.person_id == person
        assert summary.housing_support_needs == "Help with a deposit"
    assert audit_actions(world.services, mark) == ["view", "view"]
    names = {f.name for f in fields(HousingSummary)}
    assert not names & {"health_needs", "ethnicity", "religion", "immigration_status", "notes"}


def test_housing_liaison_is_refused_the_summary_of_a_young_person_who_did_not_consent(world):
    person = world.person(world.north, world.pa.id, consent=False)
    mark = last_audit_id(world.services)
    for printing in (False, True):
        with pytest.raises(PermissionDenied) as refused:
            world.services.housing.summary(world.housing, person, printing=printing)
        assert str(refused.value) == NO_CONSENT
    assert audit_actions(world.services, mark) == ["refused", "refused"]


def test_housing_liaison_is_refused_another_teams_young_people_even_with_consent(world):
    south = world.person(world.south, world.other_pa.id, consent=True)
    north = world.person(world.north, world.pa.id, consent=True)
    before = snapshot(world.services)
    for actor, person in ((world.housing, south), (world.other_housing, north)):
        for printing in (False, True):
            with pytest.raises(PermissionDenied):
                world.services.housing.summary(actor, person, printing=printing)
    assert written(before, snapshot(world.services)) == {}
    assert {r.person_id for r in world.services.housing.consenting(world.housing)} == {north}


def test_housing_liaison_reaches_a_young_person_only_through_the_housing_summary(world):
    """People, accommodation, contacts, pathway, offer, escalations, history: all refused, for a
    young person of the liaison's own team who agreed to share with housing."""
    hl = world.housing
    for door in PERSON_DOORS:
        if door.needs_consent:
            continue
        person = world.person(world.north, world.pa.id, consent=True)
        case = Case(person, world.north, world.pa.id)
        if door.prepare is not None:
            case = case._replace(ready=door.prepare(world, case))
        before = snapshot(world.services)
        with pytest.raises(PermissionDenied):
            door.call(world, hl, case)
        assert written(before, snapshot(world.services)) == {}, door.name
        world.services.people.today = lambda: TODAY  # the purge door moved it on
    for door in ROLE_DOORS:
        if door.action is A.VIEW_HOUSING_SUMMARY:
            continue
        ready = door.prepare(world) if door.prepare else None
        with pytest.raises(PermissionDenied):
            door.call(world, hl, ready)
    world.services.housing.summary(hl, person)


def test_only_an_administrator_purges_and_only_after_the_75th_birthday(world):
    person = world.person(world.north, world.pa.id)
    with pytest.raises(ValidationError, match="must be kept until 10/01/2081"):
        world.services.people.purge(world.admin, person, "too soon")
    world.services.people.today = lambda: AFTER_RETENTION
    for actor in (world.pa, world.manager, world.housing):
        with pytest.raises(PermissionDenied):
            world.services.people.purge(actor, person, "past retention")
    world.services.people.purge(world.admin, person, "past retention")
    assert row(world.services, YoungPerson, person) is None
    assert audit_actions(world.services)[-1] == "purge"


def test_a_manager_may_not_hand_a_young_person_to_a_pa_of_another_team(world):
    """Moving a record out of the team is an administrator's job."""
    person = world.person(world.north, world.pa.id)
    before = snapshot(world.services)
    with pytest.raises(PermissionDenied):
        world.services.people.allocate_pa(world.manager, person, world.other_pa.id, TODAY)
    assert written(before, snapshot(world.services)) == {}
    world.services.people.allocate_pa(world.admin, person, world.other_pa.id, TODAY)
    moved = row(world.services, YoungPerson, person)
    assert (moved.team_id, moved.pa_id) == (world.south, world.other_pa.id)
