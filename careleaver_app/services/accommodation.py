"""Accommodation moves, ends and corrections: each checked against the whole history."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import AccommodationEpisode, YoungPerson
from careleaver_app.domain.accommodation import (
    Episode,
    episode_flags,
    opens_escalation,
    validate_history,
)
from careleaver_app.domain.codes import AccommodationType, Suitability, SuitabilityFactor
from careleaver_app.domain.errors import ConflictError, FieldProblem, ValidationError
from careleaver_app.domain.people import normalise_postcode
from careleaver_app.services import audit
from careleaver_app.services.access import episode_for, person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.dto import Changes, MoveInput
from careleaver_app.services.escalations import open_escalation
from careleaver_app.services.permissions import Action

ESCALATION_NOTICE = "Flag raised: this placement must be reviewed by a team manager"


def as_episode(row: AccommodationEpisode) -> Episode:
    return Episode(
        type=AccommodationType(row.type_code),
        start=row.start_date,
        end=row.end_date,
        suitability=Suitability(row.suitability),
        concerns=frozenset(SuitabilityFactor(c) for c in row.concerns or ()),
        id=row.id,
    )


def move_values(move: MoveInput) -> dict[str, object]:
    """Column values for an episode; raises ValidationError for a bad postcode."""
    postcode = ""
    if move.postcode.strip():
        try:
            postcode = normalise_postcode(move.postcode)
        except ValueError as exc:
            raise ValidationError(FieldProblem("postcode", str(exc))) from exc
    return {
        "type_code": move.type.value,
        "suitability": move.suitability.value,
        "start_date": move.start_date,
        "end_date": move.end_date,
        "address": move.address.strip(),
        "postcode": postcode,
        "provider": move.provider.strip(),
        "placed_by": move.placed_by.strip(),
        "concerns": sorted(c.value for c in move.concerns),
        "suitability_notes": move.suitability_notes.strip(),
    }


def check_history(session: Session, person: YoungPerson) -> None:
    """Raise ValidationError if the person's episodes (as flushed) break any rule."""
    session.flush()
    problems = validate_history(
        [as_episode(r) for r in repo.live_episodes(session, person.id)], person.date_of_birth
    )
    if problems:
        raise ValidationError(problems)


def _changes(row: AccommodationEpisode, escalation_opened: bool = False) -> Changes:
    episode = as_episode(row)
    flags = list(episode_flags(episode))
    if escalation_opened:
        flags.insert(0, ESCALATION_NOTICE)
    return Changes(row.id, row.version, tuple(flags), opens_escalation(episode))


class Accommodation:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    def record_move(self, actor: Actor, person_id: int, move: MoveInput) -> Changes:
        """Open a new episode; the open one ends on the move date (the day they left)."""
        values = move_values(move)
        _check_not_future(move, self.today())
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_ACCOMMODATION)
            episodes = repo.live_episodes(session, person.id)
            # A past episode (one with an end date) slots into the history; only a move to where
            # the young person lives now closes the open episode.
            open_rows = [e for e in episodes if e.end_date is None] if move.end_date is None else []
            for row in open_rows:
                if row.start_date > move.start_date:
                    raise ValidationError(
                        FieldProblem(
                            "start_date",
                            f"is before the current episode started ({row.start_date.isoformat()})",
                        )
                    )
                row.end_date = move.start_date
                audit.record(
                    session,
                    actor,
                    "update",
                    "accommodation_episode",
                    row.id,
                    {"end_date": (None, move.start_date)},
                    detail="closed by a move",
                )
            row = AccommodationEpisode(
                person_id=person.id, created_by_id=actor.id, created_at=audit.now(), **values
            )
            session.add(row)
            check_history(session, person)
            repo.refresh_summaries(session, [person.id])
            audit.record(
                session,
                actor,
                "create",
                "accommodation_episode",
                row.id,
                {k: (None, v) for k, v in values.items() if v not in ("", None, [])},
            )
            return _changes(row, open_escalation(session, actor, row))

    def end_episode(
        self, actor: Actor, episode_id: int, end_date: date, expected_version: int
    ) -> Changes:
        with self.db.transaction() as session:
            row, person = episode_for(session, actor, episode_id, Action.RECORD_ACCOMMODATION)
            _check_version(row, expected_version)
            if end_date > self.today():
                raise ValidationError(FieldProblem("end_date", "is in the future"))
            changes = audit.apply_changes(row, {"end_date": end_date})
            check_history(session, person)
            repo.refresh_summaries(session, [person.id])
            audit.record(session, actor, "update", "accommodation_episode", row.id, changes)
            return _changes(row)

    def correct_episode(
        self, actor: Actor, episode_id: int, move: MoveInput, expected_version: int
    ) -> Changes:
        """Fix a recorded episode in place; every changed field is in the audit trail."""
        values = move_values(move)
        _check_not_future(move, self.today())
        with self.db.transaction() as session:
            row, person = episode_for(session, actor, episode_id, Action.RECORD_ACCOMMODATION)
            _check_version(row, expected_version)
            changes = audit.apply_changes(row, values)
            check_history(session, person)
            repo.refresh_summaries(session, [person.id])
            audit.record(session, actor, "update", "accommodation_episode", row.id, changes)
            # Re-judged unsuitable (or retyped to B&B, emergency, no fixed abode): escalate.
            return _changes(row, open_escalation(session, actor, row))

    def void_episode(
        self, actor: Actor, episode_id: int, reason: str, expected_version: int
    ) -> Changes:
        """Mark an episode entered in error. It stays in the database and the audit trail.

        Voiding the current episode reopens the one its move closed, so the young person is
        not left with no accommodation because of a mistaken move.
        """
        if not reason.strip():
            raise ValidationError(FieldProblem("reason", "is required"))
        with self.db.transaction() as session:
            row, person = episode_for(session, actor, episode_id, Action.RECORD_ACCOMMODATION)
            _check_version(row, expected_version)
            changes = audit.apply_changes(row, {"voided_reason": reason.strip()})
            if row.end_date is None:
                closed_by_move = [
                    e
                    for e in repo.live_episodes(session, person.id)
                    if e.id != row.id and e.end_date == row.start_date
                ]
                for previous in closed_by_move[-1:]:
                    previous.end_date = None
                    audit.record(
                        session,
                        actor,
                        "update",
                        "accommodation_episode",
                        previous.id,
                        {"end_date": (row.start_date, None)},
                        detail="reopened: the move that closed it was voided",
                    )
            session.flush()
            check_history(session, person)
            repo.refresh_summaries(session, [person.id])
            audit.record(session, actor, "void", "accommodation_episode", row.id, changes)
            return Changes(row.id, row.version)


def _check_not_future(move: MoveInput, today: date) -> None:
    """Moves and corrections record what happened: no start or end after today."""
    problems = [
        FieldProblem(field, "is in the future")
        for field, day in (("start_date", move.start_date), ("end_date", move.end_date))
        if day is not None and day > today
    ]
    if problems:
        raise ValidationError(problems)


def _check_version(row: AccommodationEpisode, expected: int) -> None:
    if row.version != expected:
        raise ConflictError(
            "Someone else changed this episode after you opened it; nothing was saved."
        )
