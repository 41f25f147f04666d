"""The baselines of the queue and the due list: one raw DB-API query each (sqlite3 or psycopg,
no SQLAlchemy, no ORM objects, no DTOs) returning the same rows, with the nights, levels and due
dates worked out by the same domain functions the services call. What is left between a
baseline and its service is the service's own overhead: sessions, ORM loading, several round
trips, DTOs."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace
from typing import Any

from benchmarks.common import RawDb, as_date, as_datetime
from careleaver_app.domain.accommodation import Episode, opens_escalation
from careleaver_app.domain.codes import AccommodationType, Activity, LeaverCategory, Suitability
from careleaver_app.domain.dates import age_on
from careleaver_app.domain.escalation import Thresholds, level_on, may_resolve, nights
from careleaver_app.domain.pathway import (
    assessment_overdue,
    next_contact_due,
    next_review_due,
    plan_sign_off_missing,
    review_status,
    triggers_from,
)

QUEUE_SQL = """
SELECT e.id, e.status, ep.type_code, ep.suitability, ep.start_date, ep.end_date, ep.voided_reason,
       p.id, p.reference, p.first_name, p.last_name, p.date_of_birth, p.pregnant_or_parenting,
       s.display_name, t.name, d.kind, d.decided_at, d.next_check_on
FROM escalations e
JOIN accommodation_episodes ep ON ep.id = e.episode_id
JOIN young_people p ON p.id = e.person_id
LEFT JOIN staff s ON s.id = p.pa_id
LEFT JOIN teams t ON t.id = p.team_id
LEFT JOIN escalation_decisions d ON d.id = (
    SELECT d2.id FROM escalation_decisions d2 WHERE d2.escalation_id = e.id
    ORDER BY d2.decided_at DESC, d2.id DESC LIMIT 1)
WHERE e.status = 'open'
"""


def thresholds(db: RawDb) -> Thresholds:
    value = db.value("SELECT value FROM settings WHERE key = 'escalation_thresholds'")
    return Thresholds(**json.loads(value)) if value else Thresholds()


def queue(db: RawDb, on: date, team_id: int | None) -> list[tuple[Any, ...]]:
    """What the queue shows of each open escalation, most urgent first as Escalations.queue
    orders them: (id, level, nights, age, ready to resolve, last decision's date, next check).
    """
    from careleaver_app.services.escalations import holidays_between

    limits = thresholds(db)
    sql, params = QUEUE_SQL, ()
    if team_id is not None:
        sql, params = sql + " AND p.team_id = ?", (team_id,)
    out = []
    for row in db.rows(sql, params):
        esc_id, status, code, suitability, start, end, voided, _, _, first, last = row[:11]
        dob, pregnant, _pa, _team, _kind, decided_at, next_check = row[11:]
        start, end, dob = as_date(start), as_date(end), as_date(dob)
        if start > on:
            continue
        check = as_date(next_check)
        decided = as_datetime(decided_at)
        level = level_on(
            start,
            end,
            on,
            date_of_birth=dob,
            pregnant_or_parenting=bool(pregnant),
            holidays=holidays_between(start, max(on, start)),
            thresholds=limits,
        )
        episode = Episode(
            type=AccommodationType(code), start=start, end=end, suitability=Suitability(suitability)
        )
        ended = (end is not None and end <= on) or voided is not None
        overdue = check is not None and check < on and status == "open"
        stay = nights(start, end, on)
        key = (not overdue, -int(level), -stay, f"{first} {last}")
        shown = (
            esc_id,
            int(level),
            stay,
            age_on(dob, max(on, dob)),
            may_resolve(ended, opens_escalation(episode)),
            decided.date() if decided else None,
            check,
        )
        out.append((key, shown))
    out.sort(key=lambda pair: pair[0])
    return [shown for _, shown in out]


def _agg(dialect: str, *columns: str) -> str:
    if dialect == "postgresql":
        return f"json_agg(json_build_array({', '.join(columns)}))"
    return f"json_group_array(json_array({', '.join(columns)}))"


def due_sql(dialect: str) -> str:
    a = _agg
    return f"""
SELECT p.id, p.first_name, p.last_name, p.date_of_birth, p.became_parent_on,
       p.detained_or_in_hospital_on_16th_birthday, p.requested_pa_support, p.category_override,
       s.display_name, t.name,
       (SELECT {a(dialect, "x.completed_on")} FROM needs_assessments x WHERE x.person_id = p.id),
       (SELECT {a(dialect, "x.started_on", "x.signed_off_on", "x.id")}
          FROM pathway_plans x WHERE x.person_id = p.id),
       (SELECT {a(dialect, "x.held_on")} FROM pathway_reviews x WHERE x.person_id = p.id),
       (SELECT {a(dialect, "x.start_date", "x.type_code", "x.voided_reason", "x.id")}
          FROM accommodation_episodes x WHERE x.person_id = p.id),
       (SELECT {a(dialect, "x.start_date", "x.activity", "x.id")}
          FROM activities x WHERE x.person_id = p.id),
       (SELECT {a(dialect, "x.contact_date", "x.kind", "x.in_touch", "x.id")}
          FROM contacts x WHERE x.person_id = p.id),
       (SELECT {a(dialect, "x.start_date", "x.end_date", "x.kind")}
          FROM care_periods x WHERE x.person_id = p.id)
FROM young_people p
LEFT JOIN staff s ON s.id = p.pa_id
LEFT JOIN teams t ON t.id = p.team_id
WHERE p.closed_on IS NULL AND p.team_id = ?
"""


def _list(value: Any) -> list[list[Any]]:
    if value is None:
        return []
    found = json.loads(value) if isinstance(value, str) else value
    return [row for row in found if row and row[0] is not None]


def due_list(db: RawDb, on: date, team_id: int) -> list[tuple[int, date | None, tuple[str, ...]]]:
    """(person id, review due, planning flags), soonest due first, as Pathway.due_list gives."""
    from careleaver_app.services.people import effective_category

    out = []
    for (
        pid,
        first,
        last,
        dob,
        parent,
        detained,
        requested,
        override,
        _pa,
        _team,
        assessments,
        plans,
        reviews,
        episodes,
        activities,
        contacts,
        periods,
    ) in db.rows(due_sql(db.dialect), (team_id,)):
        dob, parent = as_date(dob), as_date(parent)
        plan_rows = sorted((as_date(s), i, as_date(o)) for s, o, i in _list(plans))
        plan = plan_rows[-1] if plan_rows else None
        starts = [s for s, _, _ in plan_rows if s <= on]
        held = [d for d in (as_date(r[0]) for r in _list(reviews)) if d <= on]
        eps = sorted((as_date(s), i, code, void) for s, code, void, i in _list(episodes))
        acts = sorted((as_date(s), i, code) for s, code, i in _list(activities))
        due = None
        if starts:
            last_review = max(max(starts), max(held, default=max(starts)))
            triggers = triggers_from(
                [(s, AccommodationType(c)) for s, _, c, v in eps if v is None and s <= on],
                [(s, Activity(c)) for s, _, c in acts if s <= on],
                parent if parent and parent <= on else None,
            )
            due = next_review_due(last_review, triggers)
        current = [c for s, _, c in acts if s <= on]
        person = SimpleNamespace(
            date_of_birth=dob,
            detained_or_in_hospital_on_16th_birthday=bool(detained),
            requested_pa_support=bool(requested),
            category_override=override,
        )
        cares = [
            SimpleNamespace(start_date=as_date(s), end_date=as_date(e), kind=k)
            for s, e, k in sorted(_list(periods), key=lambda r: r[0])
        ]
        category = effective_category(person, cares, current[-1] if current else None, on)  # type: ignore[arg-type]
        eligible = category is LeaverCategory.ELIGIBLE
        flags = []
        if assessment_overdue(dob, eligible, bool(_list(assessments)), on):
            flags.append("Needs assessment overdue")
        if plan_sign_off_missing(dob, bool(plan and plan[2]), on):
            flags.append("No signed-off plan before 18")
        _contact_due(eps, _list(contacts), on)
        if due is not None:
            review_status(due.due, on)
        if due is not None or flags:
            out.append((due.due if due else date.max, f"{first} {last}", pid, tuple(flags)))
    out.sort(key=lambda r: (r[0], r[1]))
    return [(pid, None if d == date.max else d, flags) for d, _, pid, flags in out]


def _contact_due(episodes: list[Any], contacts: list[list[Any]], on: date) -> Any:
    """The same rule Pathway feeds: a visit within 7 days of the latest move, contact every 2
    months."""
    moves = [s for s, _, _, void in episodes[1:] if void is None and s <= on]
    done = sorted((as_date(d), i, kind) for d, kind, touch, i in contacts if touch == "YES")
    done = [c for c in done if c[0] <= on]
    last_move = max(moves) if moves else None
    visited = last_move is not None and any(k == "visit" and d >= last_move for d, _, k in done)
    return next_contact_due(done[-1][0] if done else None, last_move, visited)
