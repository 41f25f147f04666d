"""Writing a checked plan: bulk inserts in row order, and an audit event for each record."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    Contact,
    NeedsAssessment,
    OfferLedgerRow,
    PaAllocation,
    PathwayPlan,
    PathwayReview,
    YoungPerson,
)
from careleaver_app.domain.accommodation import Episode, opens_escalation
from careleaver_app.domain.money import quantity_to_hundredths
from careleaver_app.services import audit
from careleaver_app.services.accommodation import move_values
from careleaver_app.services.actors import Actor
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.escalations import open_escalations_for
from careleaver_app.services.importer.checking import Plan
from careleaver_app.services.importer.columns import (
    ACCOMMODATION,
    ACTIVITY,
    ASSESSMENTS,
    CONTACTS,
    OFFER_LEDGER,
    PEOPLE,
    PLANS,
    REVIEWS,
)
from careleaver_app.services.importer.results import ImportSummary
from careleaver_app.services.people import search_text


def write_plan(
    session: Session, actor: Actor, plan: Plan, today: date, directory: Path
) -> ImportSummary:
    now = audit.now()
    people = [
        (
            f"{PEOPLE} row {p.row}",
            {
                **{f.name: getattr(p.details, f.name) for f in dataclasses.fields(p.details)},
                "search_text": search_text(
                    p.details.first_name,
                    p.details.last_name,
                    p.details.preferred_name,
                    p.details.reference,
                ),
                "team_id": p.team_id,
                "pa_id": p.pa_id,
                "created_at": now,
                "updated_at": now,
            },
        )
        for p in plan.people
    ]
    created = _create(session, YoungPerson, "young_person", people)
    ids = plan.existing_ids | {
        p.details.reference: pid for p, (_, pid, _) in zip(plan.people, created, strict=True)
    }
    periods = [
        (
            f"{PEOPLE} row {p.row}",
            {
                "person_id": ids[p.details.reference],
                "kind": p.care.kind.value,
                "start_date": p.care.start,
                "end_date": p.care.end,
            },
        )
        for p in plan.people
        if p.care is not None
    ]
    created += _create(session, CarePeriodRow, "care_period", periods)
    # The real allocation date is not in the files: the allocation history starts today.
    allocations = [
        (
            f"{PEOPLE} row {p.row}",
            {
                "person_id": ids[p.details.reference],
                "staff_id": p.pa_id,
                "start_date": today,
                "allocated_by_id": actor.id,
            },
        )
        for p in plan.people
        if p.pa_id is not None
    ]
    created += _create(session, PaAllocation, "pa_allocation", allocations)
    episodes = write_episodes(session, actor, plan.episodes, ids)
    created += [
        ("accommodation_episode", eid, f"{ACCOMMODATION} row {n}") for n, eid, _ in episodes
    ]
    contacts = [
        (
            f"{CONTACTS} row {n}",
            {
                "person_id": ids[ref],
                "contact_date": c.contact_date,
                "kind": c.kind.value,
                "in_touch": c.in_touch.value,
                "seen_at_home": c.seen_at_home,
                "note": c.note,
                "recorded_by_id": actor.id,
                "created_at": now,
            },
        )
        for n, ref, c in plan.contacts
    ]
    created += _create(session, Contact, "contact", contacts)
    activities = [
        (
            f"{ACTIVITY} row {n}",
            {
                "person_id": ids[ref],
                "activity": activity.value,
                "start_date": start,
                "note": note,
                "recorded_by_id": actor.id,
                "created_at": now,
            },
        )
        for n, ref, activity, start, note in plan.activities
    ]
    created += _create(session, ActivityRow, "activity", activities)
    created += write_pathway(session, actor, plan, ids)
    created += write_ledger(session, actor, plan, ids)
    touched = {ids[ref] for _, ref, *_ in plan.episodes} | {
        ids[ref] for _, ref, *_ in plan.contacts
    }
    repo.refresh_summaries(session, touched)
    repo.update_statistics(session)
    # One 'import' event per record created, naming the file and row it came from.
    audit.record_many(
        session,
        actor,
        "import",
        ((entity, entity_id, f"from {where}") for entity, entity_id, where in created),
    )
    summary = ImportSummary(
        people=len(people),
        care_periods=len(periods),
        allocations=len(allocations),
        episodes=len(episodes),
        episodes_to_review=sum(opens_escalation(e) for _, _, e in episodes),
        contacts=len(contacts),
        activities=len(activities),
        assessments=len(plan.assessments),
        plans=len(plan.plans),
        reviews=len(plan.reviews),
        offer_entries=len(plan.offer_entries),
        ignored_columns=plan.ignored_columns,
    )
    audit.record(
        session, actor, "import", "import", None, detail=f"{directory}: {summary.describe()}"
    )
    return summary


def _create(
    session: Session, model: Any, entity: str, rows: Sequence[tuple[str, dict[str, Any]]]
) -> list[tuple[str, int, str]]:
    """Insert rows in bulk (a few statements, not one per row); (entity, id, source) each."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    # render_nulls keeps every row's parameters alike (None as NULL, not left out), so the rows
    # go in a few multi-row statements instead of one statement each.
    ids = session.scalars(
        stmt, [values for _, values in rows], execution_options={"render_nulls": True}
    ).all()
    return [(entity, new_id, where) for (where, _), new_id in zip(rows, ids, strict=True)]


def write_episodes(
    session: Session,
    actor: Actor,
    planned: Sequence[tuple[int, str, MoveInput, Episode]],
    person_ids: dict[str, int],
) -> list[tuple[int, int, Episode]]:
    """Insert the episodes; (row in the file, new id, episode) for each.

    Every episode for which `opens_escalation(episode)` holds (W, V, S or unsuitable) gets its
    escalation in the same transaction: open while current, recorded as resolved if it had ended.
    """
    now = audit.now()
    rows = [
        (
            f"{ACCOMMODATION} row {n}",
            {
                "person_id": person_ids[ref],
                "created_by_id": actor.id,
                "created_at": now,
                **move_values(move),
            },
        )
        for n, ref, move, _ in planned
    ]
    created = _create(session, AccommodationEpisode, "accommodation_episode", rows)
    written = [
        (n, new_id, episode)
        for (n, _, _, episode), (_, new_id, _) in zip(planned, created, strict=True)
    ]
    open_escalations_for(
        session,
        actor,
        [
            (new_id, person_ids[ref], episode.end is None)
            for (_, ref, _, episode), (_, new_id, _) in zip(planned, written, strict=True)
            if opens_escalation(episode)
        ],
    )
    return written


def write_pathway(
    session: Session, actor: Actor, plan: Plan, person_ids: dict[str, int]
) -> list[tuple[str, int, str]]:
    """Insert the needs assessments, pathway plans and reviews; (entity, id, source) each.

    An imported sign-off keeps its date but no signer (signed_off_by_id stays empty): the
    spreadsheet says when the plan was signed off, not which manager in the app did it.
    """
    now = audit.now()
    recorded = {"recorded_by_id": actor.id, "created_at": now}
    assessments = [
        (
            f"{ASSESSMENTS} row {a.row}",
            {
                "person_id": person_ids[a.reference],
                "completed_on": a.completed_on,
                "completed_by": a.completed_by,
                **recorded,
            },
        )
        for a in plan.assessments
    ]
    plans = [
        (
            f"{PLANS} row {p.row}",
            {
                "person_id": person_ids[p.reference],
                "started_on": p.started_on,
                "author": p.author,
                "signed_off_on": p.signed_off_on,
                "signed_off_by_id": None,
                **recorded,
            },
        )
        for p in plan.plans
    ]
    reviews = [
        (
            f"{REVIEWS} row {r.row}",
            {
                "person_id": person_ids[r.reference],
                "held_on": r.held_on,
                "kind": r.kind.value,
                "outcome": r.outcome,
                "attendees": r.attendees,
                **recorded,
            },
        )
        for r in plan.reviews
    ]
    return (
        _create(session, NeedsAssessment, "needs_assessment", assessments)
        + _create(session, PathwayPlan, "pathway_plan", plans)
        + _create(session, PathwayReview, "pathway_review", reviews)
    )


def write_ledger(
    session: Session, actor: Actor, plan: Plan, person_ids: dict[str, int]
) -> list[tuple[str, int, str]]:
    """Insert the local-offer entries; (entity, id, source) each.

    Like an imported sign-off, an imported approval names no approver: the spreadsheet says
    the entry was approved or paid, not which manager in the app approved it.
    """
    now = audit.now()
    entries = [
        (
            f"{OFFER_LEDGER} row {e.row}",
            {
                "person_id": person_ids[e.reference],
                "item_id": e.item_id,
                "entry_on": e.on,
                "status": e.status.value,
                "amount_pence": e.amount_pence,
                "quantity_hundredths": (
                    quantity_to_hundredths(e.quantity) if e.quantity is not None else None
                ),
                "declined_reason": e.declined_reason,
                "exception_reason": e.exception_reason,
                "approved_by_id": None,
                "note": e.note,
                "recorded_by_id": actor.id,
                "created_at": now,
            },
        )
        for e in plan.offer_entries
    ]
    return _create(session, OfferLedgerRow, "offer_entry", entries)
