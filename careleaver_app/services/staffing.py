"""Teams and staff members, their passwords and sign-in; who the acting user is.

Passwords are hashed with Argon2id (argon2-cffi). Failed sign-ins are audited and kept per
account for the lock-out rule in domain.auth; nothing here logs a password or personal data.
"""

from __future__ import annotations

import getpass
import json
import threading
from collections.abc import Callable
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import Setting, StaffMember, Team
from careleaver_app.domain.auth import (
    DEFAULT_IDLE_MINUTES,
    idle_minutes_problems,
    locked_until,
    password_problems,
    recent_failures,
)
from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import (
    ConflictError,
    DomainError,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Database
from careleaver_app.services.dto import StaffDTO, TeamDTO
from careleaver_app.services.permissions import Action, require


def _actor(row: StaffMember) -> Actor:
    return Actor(row.id, row.username, row.display_name, Role(row.role), row.team_id)


IDLE_LOCK_KEY = "idle_lock_minutes"
WRONG_PASSWORD = "The username or password is not right."
_HASHER = PasswordHasher()  # Argon2id with argon2-cffi's current recommended parameters


class SignInRefused(DomainError):
    """Wrong username or password, a locked or a deactivated account. The message says which
    only where that tells an attacker nothing they could not learn by trying."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _password_matches(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to verify against when the username is unknown, so that the time taken does not tell
# whether an account exists. Made on first use, not at import: hashing costs 0.3-0.5 s, which
# every start-up paid before its window could show (the app warms it while the sign-in dialog
# waits for a password, see `warm_dummy_hash`).
_dummy_hash: str | None = None
_dummy_lock = threading.Lock()


def dummy_hash() -> str:
    global _dummy_hash
    with _dummy_lock:
        if _dummy_hash is None:
            _dummy_hash = _HASHER.hash("not a password anyone has")
        return _dummy_hash


def warm_dummy_hash() -> threading.Thread:
    """Make the dummy hash in the background (Argon2 releases the GIL while it hashes)."""
    thread = threading.Thread(target=dummy_hash, name="careleaver-dummy-hash", daemon=True)
    thread.start()
    return thread


class Staffing:
    def __init__(self, db: Database, now: Callable[[], datetime] = audit.now) -> None:
        self.db = db
        self.now = now

    def ensure_first_administrator(
        self, username: str | None = None, password: str | None = None
    ) -> Actor:
        """A new database gets its first administrator; later calls return an existing one."""
        if password is not None:
            problems = password_problems(password, username or "admin")
            if problems:
                raise ValidationError(problems)
        with self.db.transaction() as session:
            existing = session.scalar(
                select(StaffMember)
                .where(StaffMember.role == Role.ADMINISTRATOR.value, StaffMember.active)
                .order_by(StaffMember.id)
            )
            if existing is not None:
                return _actor(existing)
            name = username or getpass.getuser() or "admin"
            row = StaffMember(
                username=name,
                display_name=name,
                role=Role.ADMINISTRATOR.value,
                created_at=audit.now(),
                failed_sign_ins=[],
            )
            if password is not None:
                row.password_hash = hash_password(password)
                row.password_set_at = self.now()
            session.add(row)
            session.flush()
            audit.record(
                session,
                None,
                "create",
                "staff",
                row.id,
                {"username": (None, name)},
                detail="first administrator of a new database",
            )
            return _actor(row)

    def actor(self, username: str) -> Actor:
        with self.db.transaction(write=False) as session:
            row = repo.staff_by_username(session, username)
            if row is None:
                raise NotFound(f"There is no staff member with username '{username}'")
            if not row.active:
                raise PermissionDenied(f"The account '{username}' is deactivated")
            return _actor(row)

    def create_team(self, actor: Actor, name: str) -> TeamDTO:
        require(actor, Action.MANAGE_STAFF)
        name = name.strip()
        if not name:
            raise ValidationError(FieldProblem("name", "is required"))
        with self.db.transaction() as session:
            if repo.team_by_name(session, name) is not None:
                raise ValidationError(FieldProblem("name", "is already used by another team"))
            team = Team(name=name)
            session.add(team)
            session.flush()
            audit.record(session, actor, "create", "team", team.id, {"name": (None, name)})
            return TeamDTO(team.id, team.name, team.active)

    def create_staff(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: Role,
        team_id: int | None,
        password: str | None = None,
        email: str = "",
    ) -> StaffDTO:
        require(actor, Action.MANAGE_STAFF)
        problems = []
        if password is not None:
            problems.extend(password_problems(password, username))
        if not username.strip():
            problems.append(FieldProblem("username", "is required"))
        if not display_name.strip():
            problems.append(FieldProblem("display_name", "is required"))
        if role is not Role.ADMINISTRATOR and team_id is None:
            problems.append(FieldProblem("team", "is required for this role"))
        with self.db.transaction() as session:
            if repo.staff_by_username(session, username.strip()) is not None:
                problems.append(FieldProblem("username", "is already taken"))
            if team_id is not None and session.get(Team, team_id) is None:
                problems.append(FieldProblem("team", "does not exist"))
            if problems:
                raise ValidationError(problems)
            row = StaffMember(
                username=username.strip(),
                display_name=display_name.strip(),
                role=role.value,
                team_id=team_id,
                email=email.strip(),
                created_at=audit.now(),
                failed_sign_ins=[],
            )
            if password is not None:
                row.password_hash = hash_password(password)
                row.password_set_at = self.now()
            audit.record_created(
                session, actor, "staff", row, ("username", "display_name", "role", "team_id")
            )
            return self._dto(row, session.get(Team, team_id) if team_id else None)

    # -- sign-in ----------------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Actor:
        """The actor for a correct username and password; SignInRefused otherwise (audited).

        A refusal is raised after the transaction commits, so the failure and its audit event
        are kept.
        """
        now = self.now()
        refusal: SignInRefused | None = None
        # Made before the branch, so that even the first sign-in of a process (which may have to
        # make it) takes as long for an unknown username as for a known one.
        dummy = dummy_hash()
        with self.db.transaction() as session:
            row = repo.staff_by_username(session, username.strip())
            if row is None:
                _password_matches(dummy, password)
                audit.record(
                    session, None, "sign_in_failed", "staff", None, detail="unknown username"
                )
                refusal = SignInRefused(WRONG_PASSWORD)
            else:
                refusal = self._check_password(session, row, password, now, "sign_in")
                if refusal is None and not row.active:
                    audit.record(
                        session, None, "sign_in_refused", "staff", row.id, detail="deactivated"
                    )
                    refusal = SignInRefused(
                        "This account has been deactivated. Ask an administrator if you need it."
                    )
                if refusal is None:
                    actor = _actor(row)
                    audit.record(session, actor, "sign_in", "staff", row.id)
        if refusal is not None:
            raise refusal
        return actor

    def unlock(self, actor: Actor, password: str) -> None:
        """The password again after an idle lock; the same lock-out rule applies."""
        refusal: SignInRefused | None = None
        with self.db.transaction() as session:
            row = session.get(StaffMember, actor.id)
            if row is None or not row.active:
                refusal = SignInRefused("This account is no longer active.")
            else:
                refusal = self._check_password(session, row, password, self.now(), "unlock")
                if refusal is None:
                    audit.record(session, actor, "unlock", "staff", row.id)
        if refusal is not None:
            raise refusal

    def _check_password(
        self, session: Session, row: StaffMember, password: str, now: datetime, what: str
    ) -> SignInRefused | None:
        failures = [datetime.fromisoformat(f) for f in row.failed_sign_ins or []]
        until = locked_until(failures)
        if until is not None and now < until:
            audit.record(session, None, f"{what}_refused", "staff", row.id, detail="locked")
            return SignInRefused(
                "This account is locked after too many failed attempts. "
                f"Try again after {until.astimezone():%H:%M}."
            )
        if row.password_hash is None:
            audit.record(session, None, f"{what}_failed", "staff", row.id, detail="no password")
            return SignInRefused(
                "This account has no password yet. Ask an administrator to set one."
            )
        if not _password_matches(row.password_hash, password):
            kept = recent_failures([*failures, now], now)
            row.failed_sign_ins = [f.isoformat() for f in kept]
            audit.record(session, None, f"{what}_failed", "staff", row.id)
            until = locked_until(kept)
            if until is not None and now < until:
                audit.record(session, None, "account_locked", "staff", row.id)
                return SignInRefused(
                    "Too many failed attempts: this account is locked until "
                    f"{until.astimezone():%H:%M}."
                )
            return SignInRefused(WRONG_PASSWORD)
        if row.failed_sign_ins:
            row.failed_sign_ins = []
        if _HASHER.check_needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        return None

    def record_lock(self, actor: Actor, reason: str) -> None:
        with self.db.transaction() as session:
            audit.record(session, actor, "lock", "staff", actor.id, detail=reason)

    def sign_out(self, actor: Actor) -> None:
        with self.db.transaction() as session:
            audit.record(session, actor, "sign_out", "staff", actor.id)

    def has_password(self, username: str) -> bool:
        with self.db.transaction(write=False) as session:
            row = repo.staff_by_username(session, username)
            return row is not None and row.password_hash is not None

    # -- passwords and accounts ---------------------------------------------------------------

    def change_own_password(self, actor: Actor, current: str, new: str) -> None:
        problems = password_problems(new, actor.username, "new_password")
        if problems:
            raise ValidationError(problems)
        with self.db.transaction() as session:
            row = session.get(StaffMember, actor.id)
            if row is None:
                raise NotFound("Your account no longer exists")
            if not _password_matches(row.password_hash, current):
                raise ValidationError(FieldProblem("current_password", "is not right"))
            row.password_hash = hash_password(new)
            row.password_set_at = self.now()
            audit.record(session, actor, "password_changed", "staff", row.id)

    def set_password(self, actor: Actor, staff_id: int, password: str) -> None:
        """An administrator sets or resets someone's password; it also clears a lock-out."""
        require(actor, Action.MANAGE_STAFF)
        with self.db.transaction() as session:
            row = self._staff(session, staff_id)
            problems = password_problems(password, row.username)
            if problems:
                raise ValidationError(problems)
            row.password_hash = hash_password(password)
            row.password_set_at = self.now()
            row.failed_sign_ins = []
            audit.record(session, actor, "password_reset", "staff", row.id)

    def set_missing_passwords(self, actor: Actor, password: str) -> int:
        """Give every account without a password this one (the synthetic demo database only:
        the app calls it for the demo, never for a real database). Returns how many."""
        require(actor, Action.MANAGE_STAFF)
        hashed = hash_password(password)
        with self.db.transaction() as session:
            rows = list(
                session.scalars(select(StaffMember).where(StaffMember.password_hash.is_(None)))
            )
            for row in rows:
                row.password_hash = hashed
                row.password_set_at = self.now()
            if rows:
                audit.record(
                    session,
                    actor,
                    "password_reset",
                    "staff",
                    None,
                    detail=f"{len(rows)} demo accounts",
                )
            return len(rows)

    def update_staff(
        self,
        actor: Actor,
        staff_id: int,
        *,
        display_name: str,
        role: Role,
        team_id: int | None,
        email: str,
        expected_version: int,
    ) -> StaffDTO:
        require(actor, Action.MANAGE_STAFF)
        problems = []
        if not display_name.strip():
            problems.append(FieldProblem("display_name", "is required"))
        if role is not Role.ADMINISTRATOR and team_id is None:
            problems.append(FieldProblem("team", "is required for this role"))
        with self.db.transaction() as session:
            row = self._staff(session, staff_id)
            if row.version != expected_version:
                raise ConflictError(
                    f"'{row.username}' was changed by someone else; reopen it to see the change"
                )
            if team_id is not None and session.get(Team, team_id) is None:
                problems.append(FieldProblem("team", "does not exist"))
            if (
                row.role == Role.ADMINISTRATOR.value
                and role is not Role.ADMINISTRATOR
                and self._other_active_admins(session, row.id) == 0
            ):
                problems.append(FieldProblem("role", "the last active administrator must stay one"))
            if problems:
                raise ValidationError(problems)
            changes = audit.apply_changes(
                row,
                {
                    "display_name": display_name.strip(),
                    "role": role.value,
                    "team_id": team_id,
                    "email": email.strip(),
                },
            )
            if changes:
                session.flush()
                audit.record(session, actor, "update", "staff", row.id, changes)
            return self._dto(row, session.get(Team, row.team_id) if row.team_id else None)

    def set_active(self, actor: Actor, staff_id: int, active: bool, reason: str = "") -> None:
        """Deactivate (never delete) or reactivate an account."""
        require(actor, Action.MANAGE_STAFF)
        if not active and not reason.strip():
            raise ValidationError(FieldProblem("reason", "is required to deactivate an account"))
        with self.db.transaction() as session:
            row = self._staff(session, staff_id)
            if not active and row.id == actor.id:
                raise ValidationError(
                    FieldProblem("account", "you cannot deactivate your own account")
                )
            if (
                not active
                and row.role == Role.ADMINISTRATOR.value
                and self._other_active_admins(session, row.id) == 0
            ):
                raise ValidationError(
                    FieldProblem("account", "the last active administrator cannot be deactivated")
                )
            if row.active == active:
                return
            row.active = active
            row.deactivated_at = None if active else self.now()
            audit.record(
                session,
                actor,
                "update",
                "staff",
                row.id,
                {"active": (not active, active)},
                detail=reason.strip(),
            )

    @staticmethod
    def _staff(session: Session, staff_id: int) -> StaffMember:
        row = session.get(StaffMember, staff_id)
        if row is None:
            raise NotFound(f"There is no staff member with id {staff_id}")
        return row

    @staticmethod
    def _other_active_admins(session: Session, staff_id: int) -> int:
        return (
            session.scalar(
                select(func.count())
                .select_from(StaffMember)
                .where(
                    StaffMember.role == Role.ADMINISTRATOR.value,
                    StaffMember.active,
                    StaffMember.id != staff_id,
                )
            )
            or 0
        )

    # -- the idle lock ------------------------------------------------------------------------

    def idle_lock_minutes(self) -> int:
        with self.db.transaction(write=False) as session:
            row = session.get(Setting, IDLE_LOCK_KEY)
            return int(json.loads(row.value)) if row is not None else DEFAULT_IDLE_MINUTES

    def set_idle_lock_minutes(self, actor: Actor, minutes: int) -> int:
        require(actor, Action.MANAGE_SETTINGS)
        problems = idle_minutes_problems(minutes)
        if problems:
            raise ValidationError(problems)
        with self.db.transaction() as session:
            row = session.get(Setting, IDLE_LOCK_KEY)
            before = int(json.loads(row.value)) if row is not None else DEFAULT_IDLE_MINUTES
            if row is None:
                session.add(Setting(key=IDLE_LOCK_KEY, value=json.dumps(minutes)))
            else:
                row.value = json.dumps(minutes)
            session.flush()
            if before != minutes:
                audit.record(
                    session,
                    actor,
                    "update",
                    "setting",
                    None,
                    {IDLE_LOCK_KEY: (before, minutes)},
                    detail=IDLE_LOCK_KEY,
                )
            return minutes

    def list_staff(self, actor: Actor) -> list[StaffDTO]:
        require(actor, Action.LIST_PEOPLE, team_id=actor.team_id, pa_id=actor.id)
        with self.db.transaction(write=False) as session:
            rows = session.execute(
                select(StaffMember, Team).outerjoin(Team).order_by(StaffMember.display_name)
            )
            return [self._dto(s, t) for s, t in rows]

    def list_teams(self) -> list[TeamDTO]:
        with self.db.transaction(write=False) as session:
            return [
                TeamDTO(t.id, t.name, t.active)
                for t in session.scalars(select(Team).order_by(Team.name))
            ]

    def count(self) -> int:
        with self.db.transaction(write=False) as session:
            return session.scalar(select(func.count()).select_from(StaffMember)) or 0

    @staticmethod
    def _dto(row: StaffMember, team: Team | None) -> StaffDTO:
        return StaffDTO(
            row.id,
            row.username,
            row.display_name,
            Role(row.role),
            row.team_id,
            team.name if team else "",
            row.active,
            row.version,
            row.email,
        )


def set_up_new_database(
    staffing: Staffing,
    display_name: str,
    username: str,
    team: str,
    role: Role,
    password: str | None = None,
    admin_password: str | None = None,
) -> Actor:
    """First run of a new database: an administrator, the user's team, and the user.

    The passwords are checked before anything is written, so a weak one leaves no half-made
    accounts behind.
    """
    problems = []
    if password is not None:
        problems += password_problems(password, username)
    if admin_password is not None:
        problems += password_problems(admin_password, "admin", "admin_password")
    if problems:
        raise ValidationError(problems)
    admin = staffing.ensure_first_administrator("admin", admin_password)
    team_dto = staffing.create_team(admin, team)
    staff = staffing.create_staff(admin, username, display_name, role, team_dto.id, password)
    return staffing.actor(staff.username)
