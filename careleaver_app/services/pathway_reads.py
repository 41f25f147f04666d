"""Pathway reads: each young person's planning summary and the caseload's next review dates,
read column by column for whole teams at once and fed to the rules in domain.pathway."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Row,
    Select,
    String,
    bindparam,
    case,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    Contact,
    NeedsAssessment,
    PathwayPlan,
    PathwayReview,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    ContactKind,
    InTouch,
    LeaverCategory,
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


# The reads below select only the columns the rules use, as plain tuples: a team's due list
# covers thousands of records, and loading them as ORM objects (contact notes, episode JSON and
# all) cost more than the rules themselves. Each table is read once per call, for the young
# people a query of ids finds (`person_id IN (SELECT ...)`: one statement however many).
if TYPE_CHECKING:
    _Rows = list[Row[*tuple[Any, ...]]]
    _Ids = Select[int]


def summaries(session: Session, on: date, *where: ColumnElement[bool]) -> list[PathwaySummary]:
    """The summary of each young person matching `where` (conditions on YoungPerson)."""
    from careleaver_app.services.people import effective_category

    P, A, N, C = PathwayPlan, NeedsAssessment, Contact, CarePeriodRow
    people = session.execute(
        select(
            YoungPerson.id,
            YoungPerson.reference,
            YoungPerson.first_name,
            YoungPerson.last_name,
            YoungPerson.date_of_birth,
            YoungPerson.became_parent_on,
            YoungPerson.detained_or_in_hospital_on_16th_birthday,
            YoungPerson.requested_pa_support,
            YoungPerson.category_override,
            StaffMember.display_name,
            Team.name,
        )
        .outerjoin(StaffMember, StaffMember.id == YoungPerson.pa_id)
        .outerjoin(Team, Team.id == YoungPerson.team_id)
        .where(*where)
        .order_by(YoungPerson.id)
    ).all()
    if not people:
        return []
    ids = select(YoungPerson.id).where(*where)
    assessed: dict[int, date] = dict(
        session.execute(
            select(A.person_id, func.max(A.completed_on))
            .where(A.person_id.in_(ids))
            .group_by(A.person_id)
        ).all()
    )
    # The current plan is the one started last; the id breaks a tie between two on one day.
    plans: dict[int, _Rows] = {}
    for row in session.execute(
        select(P.person_id, P.started_on, P.id, P.version, P.signed_off_on, P.author)
        .where(P.person_id.in_(ids))
        .order_by(P.started_on, P.id)
    ):
        plans.setdefault(row.person_id, []).append(row)
    held: dict[int, date] = dict(
        session.execute(
            select(PathwayReview.person_id, func.max(PathwayReview.held_on))
            .where(PathwayReview.person_id.in_(ids), PathwayReview.held_on <= on)
            .group_by(PathwayReview.person_id)
        ).all()
    )
    episodes = _episodes(session, ids)
    activities = _activities(session, ids)
    # Of the contacts in touch by then, the rule needs only the latest and the latest visit.
    contacts = {
        pid: (last, visit)
        for pid, last, visit in session.execute(
            select(
                N.person_id,
                func.max(N.contact_date),
                func.max(case((N.kind == ContactKind.VISIT.value, N.contact_date))),
            )
            .where(N.person_id.in_(ids), N.in_touch == InTouch.YES.value, N.contact_date <= on)
            .group_by(N.person_id)
        )
    }
    periods: dict[int, _Rows] = {}
    for period in session.execute(
        select(C.person_id, C.start_date, C.end_date, C.kind)
        .where(C.person_id.in_(ids))
        .order_by(C.start_date, C.id)
    ):
        periods.setdefault(period.person_id, []).append(period)
    out = []
    for p in people:
        pid, dob = p.id, p.date_of_birth
        plan = plans[pid][-1] if pid in plans else None
        starts = [row.started_on for row in plans.get(pid, ()) if row.started_on <= on]
        eps, acts = episodes.get(pid, []), activities.get(pid, [])
        due = (
            _review_due(max(starts), held.get(pid), eps, acts, p.became_parent_on, on)
            if starts
            else None
        )
        current = [code for start, _, code in acts if start <= on]
        # Column rows carry the attribute names the category rule reads from the records.
        category = effective_category(p, periods.get(pid, []), current[-1] if current else None, on)
        flags = []
        if assessment_overdue(dob, category is LeaverCategory.ELIGIBLE, pid in assessed, on):
            flags.append("Needs assessment overdue")
        if plan_sign_off_missing(dob, bool(plan and plan.signed_off_on), on):
            flags.append("No signed-off plan before 18")
        out.append(
            PathwaySummary(
                person_id=pid,
                reference=p.reference,
                name=f"{p.first_name} {p.last_name}",
                pa_name=p.display_name or "",
                team_name=p.name or "",
                assessment_on=assessed.get(pid),
                plan_started_on=plan.started_on if plan else None,
                plan_signed_off_on=plan.signed_off_on if plan else None,
                last_review_on=held.get(pid),
                due=due,
                status=review_status(due.due, on) if due else None,
                flags=tuple(flags),
                milestones=tuple(milestones(dob)),
                next_contact=_next_contact(eps, *contacts.get(pid, (None, None)), on),
                plan_id=plan.id if plan else None,
                plan_version=plan.version if plan else None,
                plan_author=plan.author if plan else "",
            )
        )
    return out


# Young people per statement: the ids are bound once in each of its four parts, well within
# SQLite's and PostgreSQL's limits on parameters even for a whole caseload report.
_BATCH = 500


class _Parent(Protocol):
    """A record, or a row of its columns: all review_dates reads of each young person."""

    @property
    def id(self) -> int: ...
    @property
    def became_parent_on(self) -> date | None: ...


def review_dates(
    session: Session, people: Sequence[_Parent], on: date
) -> dict[int, tuple[date, bool]]:
    """For the caseload list: each young person's next review date and whether it is overdue."""
    ids = [p.id for p in people]
    started: dict[int, date] = {}
    held: dict[int, date] = {}
    moves: dict[int, list[tuple[date, int, str, bool]]] = {}
    activities: dict[int, list[tuple[date, int, str]]] = {}
    for i in range(0, len(ids), _BATCH):
        rows = session.execute(_review_records(), {"ids": ids[i : i + _BATCH], "on": on})
        for table, pid, day, row_id, code in rows:
            if table == _PLAN:
                started[pid] = day
            elif table == _REVIEW:
                held[pid] = day
            elif table == _MOVE:
                moves.setdefault(pid, []).append((day, row_id, code, True))
            else:
                activities.setdefault(pid, []).append((day, row_id, code))
    out = {}
    for p in people:
        if p.id in started:
            due = _review_due(
                started[p.id],
                held.get(p.id),
                moves.get(p.id, []),
                activities.get(p.id, []),
                p.became_parent_on,
                on,
            ).due
            out[p.id] = (due, review_status(due, on) is ReviewStatus.OVERDUE)
    return out


_PLAN, _REVIEW, _MOVE, _ACTIVITY = range(4)


@cache
def _review_records() -> CompoundSelect[*tuple[Any, ...]]:
    """What the review rule reads of young people `:ids` up to `:on`, in one statement: the
    caseload asks at every keystroke, and a round trip per table (and building each statement
    again) cost more than the rows. Rows: (table, person id, date, row id, code)."""
    P, R, E, A = PathwayPlan, PathwayReview, AccommodationEpisode, ActivityRow
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    on = bindparam("on", type_=Date)
    table = [literal_column(str(k), Integer) for k in (_PLAN, _REVIEW, _MOVE, _ACTIVITY)]
    # Typed NULLs: PostgreSQL settles each column's type across the branches.
    no_id, no_code = null().cast(Integer), null().cast(String)
    return union_all(
        select(table[_PLAN], P.person_id, func.max(P.started_on), no_id, no_code)
        .where(P.person_id.in_(ids), P.started_on <= on)
        .group_by(P.person_id),
        select(table[_REVIEW], R.person_id, func.max(R.held_on), no_id, no_code)
        .where(R.person_id.in_(ids), R.held_on <= on)
        .group_by(R.person_id),
        select(table[_MOVE], E.person_id, E.start_date, E.id, E.type_code).where(
            E.person_id.in_(ids), E.voided_reason.is_(None), E.start_date <= on
        ),
        select(table[_ACTIVITY], A.person_id, A.start_date, A.id, A.activity).where(
            A.person_id.in_(ids), A.start_date <= on
        ),
    )


def _review_due(
    last_start: date,
    last_held: date | None,
    episodes: list[tuple[date, int, str, bool]],
    activities: list[tuple[date, int, str]],
    became_parent_on: date | None,
    on: date,
) -> ReviewDue:
    """The one place the review rule is fed: from the latest plan started or review held by
    `on`, with the changes of circumstances recorded by then."""
    last = max(last_start, last_held) if last_held else last_start
    triggers = triggers_from(
        [
            (start, AccommodationType(code))
            for start, _, code, live in episodes
            if live and start <= on
        ],
        [(start, Activity(code)) for start, _, code in activities if start <= on],
        became_parent_on if became_parent_on and became_parent_on <= on else None,
    )
    return next_review_due(last, triggers)


def _next_contact(
    episodes: list[tuple[date, int, str, bool]],
    last_contact: date | None,
    last_visit: date | None,
    on: date,
) -> ContactDue | None:
    """Visit within 7 days of the latest move; contact at least every 2 months. The contacts
    are the latest in touch by `on` and the latest visit among them."""
    moves = [start for start, _, _, live in episodes[1:] if live and start <= on]
    last_move = max(moves) if moves else None
    visited = last_move is not None and last_visit is not None and last_visit >= last_move
    return next_contact_due(last_contact, last_move, visited)


def _episodes(session: Session, ids: _Ids) -> dict[int, list[tuple[date, int, str, bool]]]:
    """(start, id, type code, not voided) of every episode, in order: the first is where the
    young person started, and each one after it is a move."""
    E = AccommodationEpisode
    out: dict[int, list[tuple[date, int, str, bool]]] = {}
    for pid, start, eid, code, live in session.execute(
        select(E.person_id, E.start_date, E.id, E.type_code, E.voided_reason.is_(None))
        .where(E.person_id.in_(ids))
        .order_by(E.start_date, E.id)
    ):
        out.setdefault(pid, []).append((start, eid, code, bool(live)))
    return out


def _activities(session: Session, ids: _Ids) -> dict[int, list[tuple[date, int, str]]]:
    """(start, id, activity code) of every activity, in order: the last started is current."""
    A = ActivityRow
    out: dict[int, list[tuple[date, int, str]]] = {}
    for pid, start, aid, code in session.execute(
        select(A.person_id, A.start_date, A.id, A.activity)
        .where(A.person_id.in_(ids))
        .order_by(A.start_date, A.id)
    ):
        out.setdefault(pid, []).append((start, aid, code))
    return out
