"""Teams and staff members; who the acting user is."""

from __future__ import annotations

import getpass

from sqlalchemy import func, select

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import StaffMember, Team
from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import FieldProblem, NotFound, PermissionDenied, ValidationError
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Database
from careleaver_app.services.dto import StaffDTO, TeamDTO
from careleaver_app.services.permissions import Action, require


def _actor(row: StaffMember) -> Actor:
    return Actor(row.id, row.username, row.display_name, Role(row.role), row.team_id)


class Staffing:
    def __init__(self, db: Database) -> None:
        self.db = db

    def ensure_first_administrator(self, username: str | None = None) -> Actor:
        """A new database gets its first administrator; later calls return an existing one."""
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
            )
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
        self, actor: Actor, username: str, display_name: str, role: Role, team_id: int | None
    ) -> StaffDTO:
        require(actor, Action.MANAGE_STAFF)
        problems = []
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
                created_at=audit.now(),
            )
            audit.record_created(session, actor, "staff", row, ("username", "role", "team_id"))
            return self._dto(row, session.get(Team, team_id) if team_id else None)

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
        )


def set_up_new_database(
    staffing: Staffing, display_name: str, username: str, team: str, role: Role
) -> Actor:
    """First run of a new database: an administrator, the user's team, and the user."""
    admin = staffing.ensure_first_administrator("admin")
    team_dto = staffing.create_team(admin, team)
    staff = staffing.create_staff(admin, username, display_name, role, team_dto.id)
    return staffing.actor(staff.username)
