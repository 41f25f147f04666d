"""Pathway planning: needs assessments, plans and their sign-off, reviews, and what falls due.

The due dates come from domain.pathway, fed with triggers read from the records (moves, custody,
NEET activity, parenthood), never from anyone remembering to add them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import (
    ColumnElement,
    select,
)
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    NeedsAssessment,
    PathwayPlan,
    PathwayReview,
    YoungPerson,
)
from careleaver_app.domain.codes import (
    Role,
)
from careleaver_app.domain.errors import (
    ConflictError,
    FieldProblem,
    PermissionDenied,
    ValidationError,
)
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.dto import Changes
from careleaver_app.services.pathway_reads import (  # re-exported: the reads' DTO and helpers
    PathwaySummary,
    review_dates,
    summaries,
)
from careleaver_app.services.permissions import Action, Scope, require


class ReviewKind(StrEnum):
    SCHEDULED = "scheduled"
    CHANGE = "change"
    REQUESTED = "requested"

    @property
    def label(self) -> str:
        return {
            "scheduled": "Scheduled",
            "change": "Change of circumstances",
            "requested": "Requested by the young person",
        }[self.value]


class Pathway:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    # -- writes ---------------------------------------------------------------------------

    def record_assessment(
        self, actor: Actor, person_id: int, completed_on: date, completed_by: str = ""
    ) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_PATHWAY)
            self._check_date("completed_on", completed_on, person)
            row = NeedsAssessment(
                person_id=person.id,
                completed_on=completed_on,
                completed_by=completed_by.strip(),
                recorded_by_id=actor.id,
                created_at=audit.now(),
            )
            audit.record_created(
                session,
                actor,
                "needs_assessment",
                row,
                ("person_id", "completed_on", "completed_by"),
            )
            return Changes(row.id, row.version)

    def start_plan(
        self, actor: Actor, person_id: int, started_on: date, author: str = ""
    ) -> Changes:
        """A new plan supersedes the current one."""
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_PATHWAY)
            self._check_date("started_on", started_on, person)
            current = _plans(session, person.id)
            if current and started_on < current[-1].started_on:
                raise ValidationError(
                    FieldProblem("started_on", "is before the current plan started")
                )
            row = PathwayPlan(
                person_id=person.id,
                started_on=started_on,
                author=author.strip(),
                recorded_by_id=actor.id,
                created_at=audit.now(),
            )
            audit.record_created(
                session, actor, "pathway_plan", row, ("person_id", "started_on", "author")
            )
            return Changes(row.id, row.version)

    def sign_off_plan(
        self, actor: Actor, plan_id: int, signed_off_on: date, expected_version: int
    ) -> Changes:
        with self.db.transaction() as session:
            plan = session.get(PathwayPlan, plan_id)
            if plan is None:
                raise ValidationError(FieldProblem("plan", "does not exist"))
            person = person_for(session, actor, plan.person_id, Action.SIGN_OFF_PLAN)
            if actor.role is not Role.TEAM_MANAGER:
                raise PermissionDenied("Only a team manager signs off a pathway plan")
            if plan.version != expected_version:
                raise ConflictError("Someone else changed this plan; nothing was saved.")
            self._check_date("signed_off_on", signed_off_on, person)
            if signed_off_on < plan.started_on:
                raise ValidationError(FieldProblem("signed_off_on", "is before the plan started"))
            changes = audit.apply_changes(
                plan, {"signed_off_on": signed_off_on, "signed_off_by_id": actor.id}
            )
            session.flush()
            audit.record(session, actor, "update", "pathway_plan", plan.id, changes)
            return Changes(plan.id, plan.version)

    def record_review(
        self,
        actor: Actor,
        person_id: int,
        held_on: date,
        kind: ReviewKind,
        outcome: str = "",
        attendees: str = "",
    ) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_PATHWAY)
            self._check_date("held_on", held_on, person)
            if not _plans(session, person.id):
                raise ValidationError(
                    FieldProblem("held_on", "there is no pathway plan to review yet")
                )
            row = PathwayReview(
                person_id=person.id,
                held_on=held_on,
                kind=kind.value,
                outcome=outcome.strip(),
                attendees=attendees.strip(),
                recorded_by_id=actor.id,
                created_at=audit.now(),
            )
            audit.record_created(
                session,
                actor,
                "pathway_review",
                row,
                ("person_id", "held_on", "kind", "outcome", "attendees"),
            )
            return Changes(row.id, row.version)

    def _check_date(self, field: str, day: date, person: YoungPerson) -> None:
        if day > self.today():
            raise ValidationError(FieldProblem(field, "is in the future"))
        if day < person.date_of_birth:
            raise ValidationError(FieldProblem(field, "is before the date of birth"))

    # -- reads ----------------------------------------------------------------------------

    def summary(self, actor: Actor, person_id: int, as_of: date | None = None) -> PathwaySummary:
        on = as_of or self.today()
        with self.db.transaction(write=False) as session:
            person = person_for(session, actor, person_id, Action.VIEW_PERSON)
            return summaries(session, on, YoungPerson.id == person.id)[0]

    def due_list(
        self, actor: Actor, *, as_of: date | None = None, team_id: int | None = None
    ) -> list[PathwaySummary]:
        """Everyone the actor may list who has a plan or a planning flag, soonest due first."""
        scope = require(actor, Action.LIST_PEOPLE, team_id=actor.team_id, pa_id=actor.id)
        on = as_of or self.today()
        where: list[ColumnElement[bool]] = [YoungPerson.closed_on.is_(None)]
        if scope is not Scope.ALL:
            where.append(YoungPerson.team_id == actor.team_id)
        if team_id is not None:
            where.append(YoungPerson.team_id == team_id)
        with self.db.transaction(write=False) as session:
            rows = summaries(session, on, *where)
        rows = [r for r in rows if r.due is not None or r.flags]
        return sorted(rows, key=lambda r: (r.due.due if r.due else date.max, r.name))


def _plans(session: Session, person_id: int) -> list[PathwayPlan]:
    return list(
        session.scalars(
            select(PathwayPlan)
            .where(PathwayPlan.person_id == person_id)
            .order_by(PathwayPlan.started_on, PathwayPlan.id)
        )
    )


__all__ = ["Pathway", "PathwaySummary", "ReviewKind", "review_dates"]
