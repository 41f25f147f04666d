"""Pathway planning: needs assessments, plans and their sign-off, reviews, and what falls due.

The due dates come from domain.pathway, fed with triggers read from the records (moves, custody,
NEET activity, parenthood), never from anyone remembering to add them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import (
    NeedsAssessment,
    PathwayPlan,
    PathwayReview,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.codes import AccommodationType, Activity, LeaverCategory, Role
from careleaver_app.domain.errors import (
    ConflictError,
    FieldProblem,
    PermissionDenied,
    ValidationError,
)
from careleaver_app.domain.pathway import (
    ContactDue,
    Milestone,
    ReviewDue,
    ReviewStatus,
    assessment_overdue,
    milestones,
    next_contact_due,
    next_review_due,
    plan_sign_off_missing,
    review_status,
    triggers_from,
)
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.dto import Changes
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


@dataclass(frozen=True)
class PathwaySummary:
    person_id: int
    reference: str
    name: str
    pa_name: str
    team_name: str
    assessment_on: date | None
    plan_started_on: date | None
    plan_signed_off_on: date | None
    last_review_on: date | None
    due: ReviewDue | None  # None: no plan yet, so no review is due
    status: ReviewStatus | None
    flags: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    next_contact: ContactDue | None = None
    plan_id: int | None = None
    plan_version: int | None = None
    plan_author: str = ""


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
            return _summaries(session, [person], on)[0]

    def due_list(
        self, actor: Actor, *, as_of: date | None = None, team_id: int | None = None
    ) -> list[PathwaySummary]:
        """Everyone the actor may list who has a plan or a planning flag, soonest due first."""
        scope = require(actor, Action.LIST_PEOPLE, team_id=actor.team_id, pa_id=actor.id)
        on = as_of or self.today()
        stmt = select(YoungPerson).where(YoungPerson.closed_on.is_(None))
        if scope is not Scope.ALL:
            stmt = stmt.where(YoungPerson.team_id == actor.team_id)
        if team_id is not None:
            stmt = stmt.where(YoungPerson.team_id == team_id)
        with self.db.transaction(write=False) as session:
            people = list(session.scalars(stmt))
            rows = _summaries(session, people, on)
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


def _by_person(session: Session, model, ids: Sequence[int], order) -> dict[int, list]:  # type: ignore[no-untyped-def]
    out: dict[int, list] = {}  # type: ignore[type-arg]
    for i in range(0, len(ids), 500):
        for row in session.scalars(
            select(model).where(model.person_id.in_(ids[i : i + 500])).order_by(order)
        ):
            out.setdefault(row.person_id, []).append(row)
    return out


def _next_contact(episodes: list, contacts: list, on: date) -> ContactDue | None:  # type: ignore[type-arg]
    """Visit within 7 days of the latest move; contact at least every 2 months."""
    moves = [e.start_date for e in episodes[1:] if e.voided_reason is None and e.start_date <= on]
    done = [c for c in contacts if c.contact_date <= on and c.in_touch == "YES"]
    last_move = max(moves) if moves else None
    visited = last_move is not None and any(
        c.kind == "visit" and c.contact_date >= last_move for c in done
    )
    return next_contact_due(done[-1].contact_date if done else None, last_move, visited)


def _summaries(session: Session, people: list[YoungPerson], on: date) -> list[PathwaySummary]:
    from careleaver_app.db.models import AccommodationEpisode, ActivityRow, Contact
    from careleaver_app.services.people import effective_category

    ids = [p.id for p in people]
    assessments = _by_person(session, NeedsAssessment, ids, NeedsAssessment.completed_on)
    plans = _by_person(session, PathwayPlan, ids, PathwayPlan.started_on)
    reviews = _by_person(session, PathwayReview, ids, PathwayReview.held_on)
    episodes = _by_person(session, AccommodationEpisode, ids, AccommodationEpisode.start_date)
    activities = _by_person(session, ActivityRow, ids, ActivityRow.start_date)
    contacts = _by_person(session, Contact, ids, Contact.contact_date)
    periods = repo.care_periods(session, ids)
    dues = _review_dues(session, people, on)
    staff_ids = {p.pa_id for p in people if p.pa_id}
    team_ids = {p.team_id for p in people if p.team_id}
    names = dict(
        session.execute(
            select(StaffMember.id, StaffMember.display_name).where(StaffMember.id.in_(staff_ids))
        ).all()
    )
    teams = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
    out = []
    for p in people:
        plan = plans.get(p.id, [])[-1] if plans.get(p.id) else None
        held = [r.held_on for r in reviews.get(p.id, []) if r.held_on <= on]
        due = dues.get(p.id)
        current = [a for a in activities.get(p.id, []) if a.start_date <= on]
        category = effective_category(
            p, periods.get(p.id, []), current[-1].activity if current else None, on
        )
        flags = []
        if assessment_overdue(
            p.date_of_birth, category is LeaverCategory.ELIGIBLE, bool(assessments.get(p.id)), on
        ):
            flags.append("Needs assessment overdue")
        if plan_sign_off_missing(p.date_of_birth, bool(plan and plan.signed_off_on), on):
            flags.append("No signed-off plan before 18")
        out.append(
            PathwaySummary(
                person_id=p.id,
                reference=p.reference,
                name=f"{p.first_name} {p.last_name}",
                pa_name=names.get(p.pa_id, "") if p.pa_id else "",
                team_name=teams.get(p.team_id, "") if p.team_id else "",
                assessment_on=assessments[p.id][-1].completed_on if assessments.get(p.id) else None,
                plan_started_on=plan.started_on if plan else None,
                plan_signed_off_on=plan.signed_off_on if plan else None,
                last_review_on=max(held) if held else None,
                due=due,
                status=review_status(due.due, on) if due else None,
                flags=tuple(flags),
                milestones=tuple(milestones(p.date_of_birth)),
                next_contact=_next_contact(episodes.get(p.id, []), contacts.get(p.id, []), on),
                plan_id=plan.id if plan else None,
                plan_version=plan.version if plan else None,
                plan_author=plan.author if plan else "",
            )
        )
    return out


def review_dates(
    session: Session, people: list[YoungPerson], on: date
) -> dict[int, tuple[date, bool]]:
    """For the caseload list: each young person's next review date and whether it is overdue."""
    return {
        pid: (due.due, review_status(due.due, on) is ReviewStatus.OVERDUE)
        for pid, due in _review_dues(session, people, on).items()
    }


def _review_dues(session: Session, people: list[YoungPerson], on: date) -> dict[int, ReviewDue]:
    """The next review due of each young person with a plan: the one place the rule is fed.

    Reads only the columns the rule needs, not whole records (the caseload asks for a page).
    """
    from careleaver_app.db.models import AccommodationEpisode as E
    from careleaver_app.db.models import ActivityRow as A

    ids = [p.id for p in people]
    last_start: dict[int, date] = {}
    for pid, started in _pairs(
        session, PathwayPlan.person_id, PathwayPlan.started_on, ids, PathwayPlan.started_on <= on
    ):
        last_start[pid] = max(started, last_start.get(pid, started))
    last_held: dict[int, date] = {}
    for pid, held in _pairs(
        session, PathwayReview.person_id, PathwayReview.held_on, ids, PathwayReview.held_on <= on
    ):
        last_held[pid] = max(held, last_held.get(pid, held))
    with_plan = [pid for pid in ids if pid in last_start]
    moves: dict[int, list[tuple[date, AccommodationType]]] = {}
    for pid, start, code in session.execute(
        select(E.person_id, E.start_date, E.type_code).where(
            E.person_id.in_(with_plan), E.voided_reason.is_(None), E.start_date <= on
        )
    ):
        moves.setdefault(pid, []).append((start, AccommodationType(code)))
    acts: dict[int, list[tuple[date, Activity]]] = {}
    for pid, start, code in session.execute(
        select(A.person_id, A.start_date, A.activity).where(
            A.person_id.in_(with_plan), A.start_date <= on
        )
    ):
        acts.setdefault(pid, []).append((start, Activity(code)))
    parents = {p.id: p.became_parent_on for p in people}
    out = {}
    for pid in with_plan:
        last = max(last_start[pid], last_held.get(pid, last_start[pid]))
        parent = parents.get(pid)
        triggers = triggers_from(
            moves.get(pid, []), acts.get(pid, []), parent if parent and parent <= on else None
        )
        out[pid] = next_review_due(last, triggers)
    return out


def _pairs(session: Session, key, value, ids: list[int], *where):  # type: ignore[no-untyped-def]
    return session.execute(select(key, value).where(key.in_(ids), *where)).all()
