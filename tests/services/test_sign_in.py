"""Sign-in: Argon2id hashes, lock-out after 10 failures in 5 minutes, audit, accounts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from careleaver_app.db.models import AuditEvent, StaffMember
from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import PermissionDenied, ValidationError
from careleaver_app.services.staffing import SignInRefused, Staffing

PASSWORD = "correct horse battery"
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def staffing(services, staff, clock) -> Staffing:
    s = Staffing(services.db, now=clock)
    s.set_password(staff.admin, staff.pa.id, PASSWORD)
    return s


def _events(services, action: str) -> list[AuditEvent]:
    with services.db.transaction(write=False) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_password_is_stored_as_an_argon2id_hash_never_in_clear(services, staffing, staff):
    with services.db.transaction(write=False) as session:
        row = session.get(StaffMember, staff.pa.id)
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash
    with services.db.transaction(write=False) as session:
        texts = [
            f"{e.old_value} {e.new_value} {e.detail}" for e in session.scalars(select(AuditEvent))
        ]
    assert not any(PASSWORD in t for t in texts)


def test_right_password_signs_in_and_is_audited(services, staffing, staff):
    actor = staffing.sign_in("pa1", PASSWORD)
    assert actor.id == staff.pa.id
    assert [e.actor_id for e in _events(services, "sign_in")] == [staff.pa.id]


def test_wrong_password_and_unknown_user_get_the_same_message_and_are_audited(services, staffing):
    with pytest.raises(SignInRefused) as wrong:
        staffing.sign_in("pa1", "not the password")
    with pytest.raises(SignInRefused) as unknown:
        staffing.sign_in("nobody", "not the password")
    assert str(wrong.value) == str(unknown.value)
    assert len(_events(services, "sign_in_failed")) == 2


def test_ten_failures_within_five_minutes_lock_the_account_for_fifteen(staffing, clock):
    for n in range(10):
        clock.now = START + timedelta(seconds=30 * n)  # 10th at 4m30s
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    last = clock.now
    clock.now = last + timedelta(minutes=14, seconds=59)
    with pytest.raises(SignInRefused, match="locked"):
        staffing.sign_in("pa1", PASSWORD)  # even the right password
    clock.now = last + timedelta(minutes=15)
    assert staffing.sign_in("pa1", PASSWORD).username == "pa1"


def test_the_five_minute_window_is_inclusive(staffing, clock):
    for n in range(10):
        clock.now = START + timedelta(minutes=5) * (n / 9)
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    with pytest.raises(SignInRefused, match="locked"):
        staffing.sign_in("pa1", PASSWORD)


def test_ten_failures_spread_over_more_than_five_minutes_do_not_lock(staffing, clock):
    for n in range(10):
        clock.now = START + timedelta(seconds=34 * n)  # 10th at 5m06s
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    assert staffing.sign_in("pa1", PASSWORD).username == "pa1"


def test_nine_failures_do_not_lock_and_a_success_clears_them(staffing, clock):
    for _ in range(9):
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    assert staffing.sign_in("pa1", PASSWORD).username == "pa1"
    for _ in range(9):
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    assert staffing.sign_in("pa1", PASSWORD).username == "pa1"


def test_attempts_while_locked_do_not_extend_the_lock(staffing, clock):
    for _ in range(10):
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    for minute in range(1, 15):
        clock.now = START + timedelta(minutes=minute)
        with pytest.raises(SignInRefused, match="locked"):
            staffing.sign_in("pa1", "wrong password")
    clock.now = START + timedelta(minutes=15)
    assert staffing.sign_in("pa1", PASSWORD).username == "pa1"


def test_an_administrator_reset_clears_a_lock(staffing, staff):
    for _ in range(10):
        with pytest.raises(SignInRefused):
            staffing.sign_in("pa1", "wrong password")
    staffing.set_password(staff.admin, staff.pa.id, "another long password")
    assert staffing.sign_in("pa1", "another long password").username == "pa1"


def test_unlock_after_idle_needs_the_password_and_counts_failures(services, staffing, staff):
    staffing.record_lock(staff.pa, "idle")
    with pytest.raises(SignInRefused):
        staffing.unlock(staff.pa, "wrong password")
    staffing.unlock(staff.pa, PASSWORD)
    assert len(_events(services, "unlock_failed")) == 1
    assert len(_events(services, "unlock")) == 1
    assert len(_events(services, "lock")) == 1


def test_deactivated_account_cannot_sign_in_and_is_never_deleted(services, staffing, staff):
    staffing.set_active(staff.admin, staff.pa.id, False, "left the council")
    with pytest.raises(SignInRefused, match="deactivated"):
        staffing.sign_in("pa1", PASSWORD)
    with services.db.transaction(write=False) as session:
        assert session.get(StaffMember, staff.pa.id) is not None
    staffing.set_active(staff.admin, staff.pa.id, True)
    assert staffing.sign_in("pa1", PASSWORD).username == "pa1"


def test_deactivating_needs_a_reason_and_spares_yourself_and_the_last_administrator(
    staffing, staff
):
    with pytest.raises(ValidationError, match="reason"):
        staffing.set_active(staff.admin, staff.pa.id, False, "")
    with pytest.raises(ValidationError, match="own account"):
        staffing.set_active(staff.admin, staff.admin.id, False, "tidy up")


def test_only_an_administrator_manages_accounts(staffing, staff):
    for actor in (staff.pa, staff.manager):
        with pytest.raises(PermissionDenied):
            staffing.set_password(actor, staff.pa2.id, "a long enough password")
        with pytest.raises(PermissionDenied):
            staffing.set_active(actor, staff.pa2.id, False, "reason")
        with pytest.raises(PermissionDenied):
            staffing.create_staff(actor, "x1", "X One", Role.PERSONAL_ADVISER, staff.team.id)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short", "at least 10"), ("pa1-and-more-words", "username"), (" " * 12, "spaces")],
)
def test_weak_passwords_are_refused_naming_the_field(staffing, staff, password, problem):
    with pytest.raises(ValidationError) as caught:
        staffing.set_password(staff.admin, staff.pa.id, password)
    assert caught.value.problems[0].field == "password"
    assert problem in caught.value.problems[0].message


def test_changing_your_own_password_needs_the_current_one(staffing, staff):
    actor = staffing.sign_in("pa1", PASSWORD)
    with pytest.raises(ValidationError) as caught:
        staffing.change_own_password(actor, "wrong", "a brand new password")
    assert caught.value.problems[0].field == "current_password"
    staffing.change_own_password(actor, PASSWORD, "a brand new password")
    assert staffing.sign_in("pa1", "a brand new password").id == actor.id


def test_account_without_a_password_cannot_sign_in(staffing):
    with pytest.raises(SignInRefused, match="no password"):
        staffing.sign_in("pa2", "anything at all")


def test_idle_lock_minutes_default_five_bounded_one_to_fifteen_and_audited(
    services, staffing, staff
):
    assert staffing.idle_lock_minutes() == 5
    for bad in (0, 16):
        with pytest.raises(ValidationError):
            staffing.set_idle_lock_minutes(staff.admin, bad)
    with pytest.raises(PermissionDenied):
        staffing.set_idle_lock_minutes(staff.manager, 10)
    staffing.set_idle_lock_minutes(staff.admin, 15)
    assert staffing.idle_lock_minutes() == 15
    events = [e for e in _events(services, "update") if e.entity == "setting"]
    assert [(e.old_value, e.new_value) for e in events] == [("5", "15")]


def test_create_staff_with_a_password_can_sign_in(staffing, staff):
    staffing.create_staff(
        staff.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff.team.id, PASSWORD
    )
    assert staffing.sign_in("hl1", PASSWORD).role is Role.HOUSING_LIAISON


def test_update_staff_is_audited_field_by_field_and_refuses_stale_versions(
    services, staffing, staff
):
    dto = next(s for s in staffing.list_staff(staff.admin) if s.username == "pa2")
    with services.db.transaction(write=False) as session:
        version = session.get(StaffMember, dto.id).version
    staffing.update_staff(
        staff.admin,
        dto.id,
        display_name="Sam Renamed",
        role=Role.TEAM_MANAGER,
        team_id=staff.team.id,
        email="sam@example.org",
        expected_version=version,
    )
    from careleaver_app.domain.errors import ConflictError

    with pytest.raises(ConflictError):
        staffing.update_staff(
            staff.admin,
            dto.id,
            display_name="Again",
            role=Role.TEAM_MANAGER,
            team_id=staff.team.id,
            email="",
            expected_version=version,
        )
    changed = {e.field for e in _events(services, "update") if e.entity == "staff"}
    assert {"display_name", "role", "email"} <= changed
