"""Escalations open themselves, are decided and resolved by managers only, and queue by urgency."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from careleaver_app.cli import main
from careleaver_app.db.models import AccommodationEpisode, AuditEvent, Escalation
from careleaver_app.domain.codes import AccommodationType as T
from careleaver_app.domain.codes import Suitability
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.domain.escalation import DecisionKind, Level, Thresholds
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.demo import generate_demo
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.escalations import DecisionInput

S1, S2 = Suitability.SUITABLE, Suitability.UNSUITABLE


def add_person(services, staff, ref="E1", dob=date(2000, 1, 1)):
    return services.people.create(
        staff.pa, PersonDetails(ref, "Esme", "Example", dob), pa_id=staff.pa.id
    ).entity_id


def move(services, staff, person, kind, suitability, start):
    return services.accommodation.record_move(staff.pa, person, MoveInput(kind, start, suitability))


def count_escalations(services, **where):
    with services.db.transaction(write=False) as s:
        stmt = select(func.count()).select_from(Escalation)
        for key, value in where.items():
            stmt = stmt.where(getattr(Escalation, key) == value)
        return s.scalar(stmt)


@pytest.mark.parametrize(
    ("kind", "suitability", "opens"),
    [
        (T.BED_AND_BREAKFAST, S2, True),
        (T.BED_AND_BREAKFAST, S1, True),  # W1 is accepted, and still escalated
        (T.EMERGENCY, S1, True),
        (T.EMERGENCY, S2, True),
        (T.NO_FIXED_ABODE, S2, True),
        (T.SEMI_INDEPENDENT, S2, True),  # any episode judged unsuitable
        (T.CUSTODY, S2, True),
        (T.SEMI_INDEPENDENT, S1, False),
        (T.INDEPENDENT_LIVING, S1, False),
    ],
)
def test_a_move_opens_an_escalation_in_the_same_transaction(
    services, staff, kind, suitability, opens
):
    person = add_person(services, staff)
    changes = move(services, staff, person, kind, suitability, date(2026, 11, 20))
    assert count_escalations(services, status="open") == (1 if opens else 0)
    assert any("Flag raised" in f for f in changes.flags) == opens


def test_re_judging_an_episode_unsuitable_opens_one_and_only_one(services, staff):
    person = add_person(services, staff)
    made = move(services, staff, person, T.SEMI_INDEPENDENT, S1, date(2026, 11, 1))
    acc = services.accommodation
    again = acc.correct_episode(
        staff.pa, made.entity_id, MoveInput(T.SEMI_INDEPENDENT, date(2026, 11, 1), S2), 1
    )
    assert count_escalations(services, status="open") == 1
    acc.correct_episode(
        staff.pa,
        made.entity_id,
        MoveInput(T.SEMI_INDEPENDENT, date(2026, 11, 1), S2, address="1 Example Road"),
        again.version,
    )
    assert count_escalations(services) == 1


def test_queue_is_most_urgent_first_and_team_scoped(services, staff, today):
    old = add_person(services, staff, "E1")
    new = add_person(services, staff, "E2")
    child = add_person(services, staff, "E3", dob=date(2009, 6, 1))
    move(services, staff, old, T.BED_AND_BREAKFAST, S2, date(2026, 11, 2))  # 18 working days
    move(services, staff, new, T.BED_AND_BREAKFAST, S2, today)  # level 1
    move(services, staff, child, T.EMERGENCY, S2, today - timedelta(days=1))  # under 18
    rows = services.escalations.queue(staff.manager)
    assert [(r.reference, r.level) for r in rows] == [
        ("E1", Level.DIRECTOR),
        ("E3", Level.HEAD_OF_SERVICE),
        ("E2", Level.TEAM_MANAGER),
    ]
    assert rows[0].nights == 24
    assert services.escalations.queue(staff.other_pa) == []
    assert [r.reference for r in services.escalations.queue(staff.manager, level=Level(1))] == [
        "E2"
    ]


def test_an_overdue_check_puts_the_item_back_on_top(services, staff, today):
    first = add_person(services, staff, "E1")
    second = add_person(services, staff, "E2")
    move(services, staff, first, T.BED_AND_BREAKFAST, S2, date(2026, 11, 2))
    move(services, staff, second, T.BED_AND_BREAKFAST, S2, today)
    esc = services.escalations
    low = next(r for r in esc.queue(staff.manager) if r.reference == "E2")
    esc.record_decision(
        staff.manager,
        low.id,
        DecisionInput(DecisionKind.ACKNOWLEDGED, "noted", next_check_on=today),
        low.version,
    )
    later = esc.queue(staff.manager, as_of=today + timedelta(days=1))
    assert later[0].reference == "E2" and later[0].check_overdue


def test_decisions_are_checked_appended_and_audited(services, staff, today):
    person = add_person(services, staff)
    move(services, staff, person, T.BED_AND_BREAKFAST, S2, today)
    (row,) = services.escalations.queue(staff.manager)
    with pytest.raises(ValidationError) as err:
        services.escalations.record_decision(
            staff.manager, row.id, DecisionInput(DecisionKind.EXCEPTION_AUTHORISED), row.version
        )
    assert err.value.problems[0].field == "reason"
    with pytest.raises(ValidationError) as err:
        services.escalations.record_decision(
            staff.manager,
            row.id,
            DecisionInput(DecisionKind.ACTION_AGREED, next_check_on=today - timedelta(1)),
            row.version,
        )
    assert err.value.problems[0].field == "next_check_on"
    with pytest.raises(PermissionDenied):
        services.escalations.record_decision(
            staff.pa, row.id, DecisionInput(DecisionKind.ACKNOWLEDGED), row.version
        )
    updated = services.escalations.record_decision(
        staff.manager,
        row.id,
        DecisionInput(
            DecisionKind.EXCEPTION_AUTHORISED,
            "one night only",
            "no other bed",
            today + timedelta(days=1),
        ),
        row.version,
    )
    assert updated.last_decision is DecisionKind.EXCEPTION_AUTHORISED
    assert updated.next_check_on == today + timedelta(days=1)
    (decision,) = services.escalations.decisions(staff.manager, row.id)
    assert (decision.reason, decision.decided_by, decision.level) == (
        "no other bed",
        "Morgan Manager",
        Level.TEAM_MANAGER,
    )
    with services.db.transaction(write=False) as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity == "escalation_decision")
            )
            >= 1
        )


def test_only_a_manager_resolves_and_only_once_the_placement_ended(services, staff, today):
    person = add_person(services, staff)
    move(services, staff, person, T.BED_AND_BREAKFAST, S2, today - timedelta(days=3))
    (row,) = services.escalations.queue(staff.manager)
    assert not row.ready_to_resolve
    with pytest.raises(PermissionDenied):  # a PA, straight at the service
        services.escalations.resolve(staff.pa, row.id, "moved on", row.version)
    with pytest.raises(ValidationError) as err:
        services.escalations.resolve(staff.manager, row.id, "moved on", row.version)
    assert err.value.problems[0].field == "status"
    move(services, staff, person, T.SUPPORTED_LODGINGS, S1, today)
    (row,) = services.escalations.queue(staff.manager)
    assert row.ready_to_resolve and row.nights == 3
    with pytest.raises(ValidationError) as err:
        services.escalations.resolve(staff.manager, row.id, "  ", row.version)
    assert err.value.problems[0].field == "rationale"
    with pytest.raises(PermissionDenied):
        services.escalations.resolve(staff.admin, row.id, "tidy up", row.version)
    done = services.escalations.resolve(staff.manager, row.id, "Moved to lodgings", row.version)
    assert done.status == "resolved"
    assert (done.resolution, done.resolved_on is not None) == ("Moved to lodgings", True)
    assert services.escalations.queue(staff.manager) == []
    with pytest.raises(ValidationError):
        services.escalations.resolve(staff.manager, row.id, "again", done.version)
    assert count_escalations(services) == 1  # nothing deleted


def test_re_judged_suitable_is_ready_to_resolve(services, staff, today):
    person = add_person(services, staff)
    made = move(services, staff, person, T.SEMI_INDEPENDENT, S2, today)
    services.accommodation.correct_episode(
        staff.pa, made.entity_id, MoveInput(T.SEMI_INDEPENDENT, today, S1), made.version
    )
    (row,) = services.escalations.queue(staff.manager)
    assert row.ready_to_resolve


def test_thresholds_are_an_audited_administrator_setting(services, staff, today):
    person = add_person(services, staff)
    move(services, staff, person, T.BED_AND_BREAKFAST, S2, date(2026, 11, 25))
    assert services.escalations.queue(staff.manager)[0].level == Level.TEAM_MANAGER
    with pytest.raises(PermissionDenied):
        services.escalations.set_thresholds(staff.manager, Thresholds(1, 5, 42))
    with pytest.raises(ValidationError):
        services.escalations.set_thresholds(staff.admin, Thresholds(5, 3, 42))
    services.escalations.set_thresholds(staff.admin, Thresholds(1, 5, 42))
    assert services.escalations.thresholds() == Thresholds(1, 5, 42)
    assert services.escalations.queue(staff.manager)[0].level == Level.HEAD_OF_SERVICE
    with services.db.transaction(write=False) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "setting")).all()
    assert {(e.field, e.old_value, e.new_value) for e in events} == {
        ("level_2_working_days", "2", "1"),
        ("level_3_working_days", "10", "5"),
    }


def test_demo_data_has_an_escalation_for_every_escalating_episode(services, staff, today):
    generate_demo(services, staff.admin, people=200, seed=5, today=today)
    with services.db.transaction(write=False) as s:
        E = AccommodationEpisode
        escalating = s.scalar(
            select(func.count())
            .select_from(E)
            .where((E.type_code.in_(["W", "V", "S"])) | (E.suitability == "2"))
        )
        current = s.scalar(
            select(func.count())
            .select_from(E)
            .where(
                ((E.type_code.in_(["W", "V", "S"])) | (E.suitability == "2")), E.end_date.is_(None)
            )
        )
    assert count_escalations(services) == escalating
    assert count_escalations(services, status="open") == current


def test_escalations_command_lists_levels_and_nights_as_of_a_date(tmp_path, capsys):
    from careleaver_app.paths import AppPaths
    from careleaver_app.services.container import open_services
    from tests.conftest import Staff

    services = open_services(AppPaths(tmp_path), None, lambda: date(2026, 11, 26))
    staff = Staff(services)
    person = add_person(services, staff)
    move(services, staff, person, T.BED_AND_BREAKFAST, S2, date(2026, 11, 23))
    services.close()
    base = ["--data-dir", str(tmp_path), "--user", "tm1"]
    assert main([*base, "escalations", "--as-of", "2026-11-24", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["nights"], row["level"], row["accommodation"]) == (1, 1, "W2")
    assert main([*base, "escalations", "--as-of", "2026-11-25", "--format", "csv"]) == 0
    assert ",2,2," in capsys.readouterr().out.splitlines()[1]
    assert main([*base, "escalations", "--team", "Nowhere"]) == 2


def test_thresholds_command_shows_and_changes_them_for_administrators(tmp_path, capsys):
    from careleaver_app.paths import AppPaths
    from careleaver_app.services.container import open_services
    from tests.conftest import Staff

    services = open_services(AppPaths(tmp_path), None, lambda: date(2026, 11, 26))
    Staff(services)
    services.close()
    base = ["--data-dir", str(tmp_path)]
    assert main([*base, "--user", "admin", "thresholds", "--level-2-working-days", "3"]) == 0
    assert "level 2 working days: 3" in capsys.readouterr().out
    assert main([*base, "--user", "tm1", "thresholds", "--level-3-working-days", "12"]) == 2
    assert "may not" in capsys.readouterr().err
    assert main([*base, "--user", "tm1", "thresholds"]) == 0
    assert "level 3 working days: 10" in capsys.readouterr().out
