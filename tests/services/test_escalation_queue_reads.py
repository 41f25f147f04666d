"""The queue's one-statement read: the badge's count agrees with the queue, the latest decision
is the one shown, and thresholds changed elsewhere (another process) apply at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from careleaver_app.domain.codes import AccommodationType as T
from careleaver_app.domain.codes import Suitability
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.domain.escalation import DecisionKind, Level, Thresholds
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.escalations import DecisionInput

S2 = Suitability.UNSUITABLE


def add_person(services, staff, ref, pa=None):
    pa = pa or staff.pa
    return services.people.create(
        pa, PersonDetails(ref, "Esme", ref, date(2000, 1, 1)), pa_id=pa.id
    ).entity_id


def bnb(services, staff, person, start, pa=None):
    services.accommodation.record_move(
        pa or staff.pa, person, MoveInput(T.BED_AND_BREAKFAST, start, S2)
    )


def test_open_count_is_what_the_queue_lists_for_each_actor(services, staff, today):
    for ref in ("C1", "C2", "C3"):
        bnb(services, staff, add_person(services, staff, ref), today - timedelta(days=3))
    bnb(services, staff, add_person(services, staff, "N1"), today)
    remote = add_person(services, staff, "R1", pa=staff.other_pa)
    bnb(services, staff, remote, today - timedelta(days=3), pa=staff.other_pa)
    esc = services.escalations
    first = esc.queue(staff.manager)[0]
    services.accommodation.record_move(
        staff.pa, first.person_id, MoveInput(T.SEMI_INDEPENDENT, today, Suitability.SUITABLE)
    )
    esc.resolve(staff.manager, first.id, "moved on", first.version)  # resolved: not counted
    earlier = today - timedelta(days=1)
    for actor in (staff.manager, staff.pa, staff.other_pa, staff.admin):
        assert esc.open_count(actor) == len(esc.queue(actor))
        assert esc.open_count(actor, as_of=earlier) == len(esc.queue(actor, as_of=earlier))
    assert esc.open_count(staff.manager) == 3  # North's open ones
    assert esc.open_count(staff.manager, as_of=earlier) == 2  # N1's placement began today
    assert esc.open_count(staff.admin) == 4


def test_open_count_is_refused_to_whoever_may_not_see_the_queue(services, staff):
    from careleaver_app.domain.codes import Role

    liaison = services.staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id
    )
    with pytest.raises(PermissionDenied):
        services.escalations.open_count(services.staffing.actor(liaison.username))


def test_the_latest_of_several_decisions_is_the_one_shown(services, staff, today):
    person = add_person(services, staff, "D1")
    bnb(services, staff, person, today)
    esc = services.escalations
    (row,) = esc.queue(staff.manager)
    for kind, check in (
        (DecisionKind.ACKNOWLEDGED, today + timedelta(days=5)),
        (DecisionKind.ACTION_AGREED, today + timedelta(days=2)),
    ):
        row = esc.record_decision(staff.manager, row.id, DecisionInput(kind, "x", "", check), 1)
    (shown,) = esc.queue(staff.manager)
    assert shown.last_decision is DecisionKind.ACTION_AGREED
    assert shown.next_check_on == today + timedelta(days=2)
    assert shown.last_decision_on is not None
    other = add_person(services, staff, "D2")
    bnb(services, staff, other, today)
    undecided = next(r for r in esc.queue(staff.manager) if r.person_id == other)
    assert undecided.last_decision is None and undecided.next_check_on is None


def test_thresholds_changed_by_another_process_apply_to_the_next_queue(
    services, staff, paths, today
):
    """Another process (a second window, another computer) has its own services: its change
    is not announced to ours, and must still show at once."""
    bnb(services, staff, add_person(services, staff, "T1"), date(2026, 11, 25))
    assert services.escalations.queue(staff.manager)[0].level == Level.TEAM_MANAGER
    elsewhere = open_services(paths, None, lambda: today)
    try:
        elsewhere.escalations.set_thresholds(staff.admin, Thresholds(1, 5, 42))
    finally:
        elsewhere.close()
    assert services.escalations.queue(staff.manager)[0].level == Level.HEAD_OF_SERVICE
    services.escalations.set_thresholds(staff.admin, Thresholds())
    assert services.escalations.queue(staff.manager)[0].level == Level.TEAM_MANAGER
