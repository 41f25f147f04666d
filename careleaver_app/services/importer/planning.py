"""Checking assessments.csv, plans.csv and reviews.csv: pathway planning records.

The rules are those of services.pathway (dates not in the future nor before the date of birth;
a sign-off not before the plan started; a review only once there is a plan), applied row by row
so that every problem is named. Used by checking.Checker, whose state these functions share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from careleaver_app.db.models import PathwayPlan
from careleaver_app.services.importer.columns import ASSESSMENTS, PLANS, REVIEWS
from careleaver_app.services.importer.reading import Row
from careleaver_app.services.pathway import ReviewKind

if TYPE_CHECKING:
    from careleaver_app.services.importer.checking import Checker


@dataclass(frozen=True, slots=True)
class NewAssessment:
    row: int
    reference: str
    completed_on: date
    completed_by: str


@dataclass(frozen=True, slots=True)
class NewPlan:
    row: int
    reference: str
    started_on: date
    signed_off_on: date | None
    author: str


@dataclass(frozen=True, slots=True)
class NewReview:
    row: int
    reference: str
    held_on: date
    kind: ReviewKind
    outcome: str
    attendees: str


def assessments(checker: Checker, rows: list[Row]) -> list[NewAssessment]:
    planned = []
    for r in rows:
        ref = checker.person_of(ASSESSMENTS, r)
        checker.check_date(ASSESSMENTS, r, "completed_on", checker.dob.get(ref) if ref else None)
        v = r.values
        if ref and "completed_on" in v:
            planned.append(NewAssessment(r.row, ref, v["completed_on"], v.get("completed_by", "")))
    return planned


def plans(checker: Checker, rows: list[Row]) -> list[NewPlan]:
    planned = []
    for r in rows:
        ref = checker.person_of(PLANS, r)
        dob = checker.dob.get(ref) if ref else None
        for column in ("started_on", "signed_off_on"):
            checker.check_date(PLANS, r, column, dob)
        v = r.values
        start, signed = v.get("started_on"), v.get("signed_off_on")
        if start is not None and signed is not None and signed < start:
            checker.add(PLANS, r.row, "signed_off_on", "is before started_on")
        if ref and start is not None and "signed_off_on" in v:
            planned.append(NewPlan(r.row, ref, start, signed, v.get("author", "")))
    return planned


def reviews(
    checker: Checker, rows: list[Row], new_plans: list[NewPlan], plans_unreadable: bool
) -> list[NewReview]:
    """Each review needs a plan of that young person, in plans.csv or the database, started
    on or before the review (unless plans.csv could not be read: its problem is reported)."""
    first_plan: dict[str, date] = {}
    for plan in new_plans:
        first_plan[plan.reference] = min(plan.started_on, first_plan.get(plan.reference, date.max))
    refs = {checker.existing[ref][0]: ref for ref in checker.existing}
    for pid, earliest in checker.in_chunks(
        lambda chunk: (
            select(PathwayPlan.person_id, func.min(PathwayPlan.started_on))
            .where(PathwayPlan.person_id.in_(chunk))
            .group_by(PathwayPlan.person_id)
        ),
        list(refs),
    ):
        first_plan[refs[pid]] = min(earliest, first_plan.get(refs[pid], date.max))
    planned = []
    for r in rows:
        ref = checker.person_of(REVIEWS, r)
        checker.check_date(REVIEWS, r, "held_on", checker.dob.get(ref) if ref else None)
        v = r.values
        held = v.get("held_on")
        if ref and held is not None and not plans_unreadable:
            if ref not in first_plan:
                reason = "there is no pathway plan to review (in plans.csv or the database)"
                checker.add(REVIEWS, r.row, "held_on", reason)
            elif held < first_plan[ref]:
                first = first_plan[ref].isoformat()
                reason = f"is before the young person's first pathway plan (started {first})"
                checker.add(REVIEWS, r.row, "held_on", reason)
        if ref and held is not None and "kind" in v:
            planned.append(
                NewReview(r.row, ref, held, v["kind"], v.get("outcome", ""), v.get("attendees", ""))
            )
    return planned
