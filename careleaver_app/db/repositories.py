"""Queries over the models. Repositories read and add; they never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, column, delete, func, select, table, text, update
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    Contact,
    Escalation,
    EscalationDecision,
    NeedsAssessment,
    OfferLedgerRow,
    PaAllocation,
    PathwayPlan,
    PathwayReview,
    StaffMember,
    Team,
    YoungPerson,
)

E = AccommodationEpisode


def live_episodes(session: Session, person_id: int) -> list[AccommodationEpisode]:
    """A young person's episodes in date order, leaving out those voided as entered in error."""
    return list(
        session.scalars(
            select(E)
            .where(E.person_id == person_id, E.voided_reason.is_(None))
            .order_by(E.start_date, E.id)
        )
    )


def care_periods(session: Session, person_ids: Iterable[int]) -> dict[int, list[CarePeriodRow]]:
    out: dict[int, list[CarePeriodRow]] = {}
    ids = list(person_ids)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        for row in session.scalars(
            select(CarePeriodRow)
            .where(CarePeriodRow.person_id.in_(chunk))
            .order_by(CarePeriodRow.start_date)
        ):
            out.setdefault(row.person_id, []).append(row)
    return out


def activities(session: Session, person_id: int) -> list[ActivityRow]:
    return list(
        session.scalars(
            select(ActivityRow)
            .where(ActivityRow.person_id == person_id)
            .order_by(ActivityRow.start_date, ActivityRow.id)
        )
    )


def current_activities(session: Session, person_ids: Iterable[int], today: date) -> dict[int, str]:
    """Each young person's activity code in force on `today` (the latest started by then)."""
    out: dict[int, tuple[date, int, str]] = {}
    ids = list(person_ids)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        for pid, start, row_id, code in session.execute(
            select(
                ActivityRow.person_id, ActivityRow.start_date, ActivityRow.id, ActivityRow.activity
            ).where(ActivityRow.person_id.in_(chunk), ActivityRow.start_date <= today)
        ):
            if pid not in out or (start, row_id) > out[pid][:2]:
                out[pid] = (start, row_id, code)
    return {pid: code for pid, (_, _, code) in out.items()}


def with_open_escalations(session: Session, person_ids: Iterable[int]) -> set[int]:
    """Which of these young people have an open escalation."""
    from careleaver_app.db.models import Escalation

    ids = list(person_ids)
    found: set[int] = set()
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        found.update(
            session.scalars(
                select(Escalation.person_id).where(
                    Escalation.person_id.in_(chunk), Escalation.status == "open"
                )
            )
        )
    return found


def contacts(session: Session, person_id: int) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.person_id == person_id)
            .order_by(Contact.contact_date, Contact.id)
        )
    )


def allocations(session: Session, person_id: int) -> Sequence[tuple[PaAllocation, str]]:
    return [
        (a, name)
        for a, name in session.execute(
            select(PaAllocation, StaffMember.display_name)
            .join(StaffMember, StaffMember.id == PaAllocation.staff_id)
            .where(PaAllocation.person_id == person_id)
            .order_by(PaAllocation.start_date, PaAllocation.id)
        )
    ]


def person_by_reference(session: Session, reference: str) -> YoungPerson | None:
    return session.scalar(select(YoungPerson).where(YoungPerson.reference == reference))


def staff_by_username(session: Session, username: str) -> StaffMember | None:
    return session.scalar(select(StaffMember).where(StaffMember.username == username))


def team_by_name(session: Session, name: str) -> Team | None:
    return session.scalar(select(Team).where(Team.name == name))


SEARCH_TABLE = "people_search"  # SQLite FTS5 trigram index over young_people.search_text
TRIGRAM = 3  # the shortest token the trigram index can answer


def _open_episode(column):  # type: ignore[no-untyped-def]
    return (
        select(column)
        .where(E.person_id == YoungPerson.id, E.voided_reason.is_(None), E.end_date.is_(None))
        .order_by(E.start_date.desc(), E.id.desc())
        .limit(1)
        .correlate(YoungPerson)
        .scalar_subquery()
    )


def _latest_contact(column):  # type: ignore[no-untyped-def]
    return (
        select(column)
        .where(Contact.person_id == YoungPerson.id)
        .order_by(Contact.contact_date.desc(), Contact.id.desc())
        .limit(1)
        .correlate(YoungPerson)
        .scalar_subquery()
    )


def attention_rank(code: Any, in_touch: Any) -> Any:
    """How worrying a young person's situation is, most worrying 0; mirrors domain.flags."""
    return case(
        (func.substr(code, 1, 1).in_(["W", "V", "S", "X"]), 0),
        (func.substr(code, 2, 1) == "2", 1),
        (and_(in_touch.is_not(None), in_touch != "YES"), 2),
        else_=3,
    )


def update_statistics(session: Session) -> None:
    """Refresh the query planner's statistics after a bulk load, so lists keep their indexes."""
    session.execute(text("ANALYZE"))


def refresh_summaries(session: Session, person_ids: Iterable[int] | None = None) -> None:
    """Recompute the caseload columns (current accommodation, in touch) from the history.

    Every write to episodes or contacts calls this in its own transaction. Episodes and contacts
    are never dated in the future, so the open episode is the current one.
    """
    code = func.coalesce(_open_episode(E.type_code + E.suitability), "")
    in_touch = _latest_contact(Contact.in_touch)
    values = {
        YoungPerson.accommodation_code: code,
        YoungPerson.attention: attention_rank(code, in_touch),
        YoungPerson.accommodation_since: _open_episode(E.start_date),
        YoungPerson.in_touch: in_touch,
        YoungPerson.last_contact_on: _latest_contact(Contact.contact_date),
    }
    if person_ids is None:
        session.execute(update(YoungPerson).values(values))
        return
    ids = sorted(set(person_ids))
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        session.execute(update(YoungPerson).where(YoungPerson.id.in_(chunk)).values(values))


def _like(token: str) -> str:
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(tokens: Sequence[str], use_index: bool):  # type: ignore[no-untyped-def]
    """Every folded token must appear in the folded names or reference.

    On SQLite, tokens of three letters or more are answered by the trigram index, so a search
    stays fast at 100,000 young people; shorter tokens (the first keystrokes) scan the column.
    """
    conditions = [YoungPerson.search_text.like(_like(t), escape="\\") for t in tokens]
    # FTS5 answers LIKE from the trigram index only without an ESCAPE clause, so tokens that
    # hold a wildcard character are left to the exact check above.
    indexable = [t for t in tokens if len(t) >= TRIGRAM and not set(t) & set("%_\\")]
    if use_index and indexable:
        index = table(SEARCH_TABLE, column("rowid"), column("search_text"))
        matches = select(index.c.rowid).where(
            *(index.c.search_text.like(f"%{t}%") for t in indexable)
        )
        conditions.insert(0, YoungPerson.id.in_(matches))
    return and_(*conditions)


def delete_person(session: Session, person_id: int) -> None:
    """Remove a young person and every row that belongs to them, children first (a purge)."""
    escalations = select(Escalation.id).where(Escalation.person_id == person_id)
    session.execute(
        delete(EscalationDecision).where(EscalationDecision.escalation_id.in_(escalations))
    )
    for model in (
        Escalation,
        OfferLedgerRow,
        PathwayReview,
        PathwayPlan,
        NeedsAssessment,
        Contact,
        ActivityRow,
        AccommodationEpisode,
        CarePeriodRow,
        PaAllocation,
    ):
        session.execute(delete(model).where(model.person_id == person_id))
    session.execute(delete(YoungPerson).where(YoungPerson.id == person_id))
