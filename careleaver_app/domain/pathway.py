"""Pathway planning rules (DESIGN 3.4): when the next review is due and why, when planning must
start, when the next contact is due, and the milestone birthdays.

A change of circumstances counts until a review is held after it: a trigger dated the same day
as a review is taken as considered at that review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from careleaver_app.domain.codes import AccommodationType, Activity
from careleaver_app.domain.dates import add_months, birthday

REVIEW_MONTHS = 6
TRIGGER_DAYS = 28  # default: a change of circumstances prompts a review within 28 days
DUE_SOON_DAYS = 28
ASSESSMENT_MONTHS = 3
PLAN_BEFORE_18_MONTHS = 3
VISIT_AFTER_MOVE_DAYS = 7
CONTACT_MONTHS = 2


class TriggerKind(StrEnum):
    MOVE = "move"
    CUSTODY = "custody"
    NEET = "neet"
    PARENT = "parent"

    @property
    def label(self) -> str:
        return {
            "move": "moved",
            "custody": "entered custody",
            "neet": "became NEET",
            "parent": "became a parent",
        }[self.value]


@dataclass(frozen=True)
class Trigger:
    on: date
    kind: TriggerKind


class ReviewStatus(StrEnum):
    IN_DATE = "in_date"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"in_date": "In date", "due_soon": "Due within 28 days", "overdue": "Overdue"}[
            self.value
        ]


@dataclass(frozen=True)
class ReviewDue:
    due: date
    trigger: Trigger | None  # None: the six-monthly review

    @property
    def reason(self) -> str:
        if self.trigger is None:
            return f"six-monthly review: due by {self.due.isoformat()}"
        return (
            f"{self.trigger.kind.label} on {self.trigger.on.isoformat()}: "
            f"review due by {self.due.isoformat()}"
        )


def next_review_due(
    last_review: date, triggers: Iterable[Trigger], trigger_days: int = TRIGGER_DAYS
) -> ReviewDue:
    """The earlier of `last_review` (or the plan's start) + 6 months and, for each change of
    circumstances after it, its date + `trigger_days`. Ties go to the six-monthly review."""
    best = ReviewDue(add_months(last_review, REVIEW_MONTHS), None)
    for trigger in sorted(triggers, key=lambda t: t.on):
        if trigger.on <= last_review:
            continue
        due = trigger.on + timedelta(days=trigger_days)
        if due < best.due:
            best = ReviewDue(due, trigger)
    return best


def review_status(due: date, today: date, soon_days: int = DUE_SOON_DAYS) -> ReviewStatus:
    """Overdue once the due date has passed; due soon within `soon_days` of it (the day itself
    included); otherwise in date."""
    if today > due:
        return ReviewStatus.OVERDUE
    if (due - today).days <= soon_days:
        return ReviewStatus.DUE_SOON
    return ReviewStatus.IN_DATE


def triggers_from(
    episodes: Sequence[tuple[date, AccommodationType]],
    activities: Sequence[tuple[date, Activity]],
    became_parent_on: date | None = None,
) -> list[Trigger]:
    """Changes of circumstances found in the records, never from anyone's memory.

    Every accommodation episode after the first is a move (into custody it is 'entered
    custody'); an activity that is NEET when the one before was not is 'became NEET'.
    """
    out: list[Trigger] = []
    for start, kind in sorted(episodes)[1:]:
        out.append(
            Trigger(
                start,
                TriggerKind.CUSTODY if kind is AccommodationType.CUSTODY else TriggerKind.MOVE,
            )
        )
    previous_neet = False
    for start, activity in sorted(activities):
        if activity.is_neet and not previous_neet:
            out.append(Trigger(start, TriggerKind.NEET))
        previous_neet = activity.is_neet
    if became_parent_on is not None:
        out.append(Trigger(became_parent_on, TriggerKind.PARENT))
    return sorted(out, key=lambda t: t.on)


def assessment_due(date_of_birth: date, became_eligible_on: date | None = None) -> date:
    """Needs assessment due within 3 months of the 16th birthday, or of becoming eligible."""
    start = birthday(date_of_birth, 16)
    if became_eligible_on is not None and became_eligible_on > start:
        start = became_eligible_on
    return add_months(start, ASSESSMENT_MONTHS)


def assessment_overdue(
    date_of_birth: date,
    eligible: bool,
    has_assessment: bool,
    today: date,
    became_eligible_on: date | None = None,
) -> bool:
    """The planning-start flag: eligible, past 16 years 3 months (or 3 months after becoming
    eligible) and no needs assessment."""
    return (
        eligible
        and not has_assessment
        and today > assessment_due(date_of_birth, became_eligible_on)
    )


def plan_sign_off_missing(date_of_birth: date, signed_off: bool, today: date) -> bool:
    """Within 3 months of the 18th birthday (up to the day before it) with no signed-off plan."""
    at_18 = birthday(date_of_birth, 18)
    return not signed_off and add_months(at_18, -PLAN_BEFORE_18_MONTHS) <= today < at_18


@dataclass(frozen=True)
class ContactDue:
    due: date
    reason: str


def next_contact_due(
    last_contact: date | None,
    last_move: date | None,
    visited_since_move: bool,
    *,
    visit_days: int = VISIT_AFTER_MOVE_DAYS,
    contact_months: int = CONTACT_MONTHS,
) -> ContactDue | None:
    """The earlier of: a visit within `visit_days` of the latest move (until one is made) and
    contact every `contact_months` after the last one. None when nothing is on record yet."""
    options: list[ContactDue] = []
    if last_contact is not None:
        options.append(ContactDue(add_months(last_contact, contact_months), "regular contact"))
    if last_move is not None and not visited_since_move:
        options.append(ContactDue(last_move + timedelta(days=visit_days), "visit after the move"))
    return min(options, key=lambda c: c.due) if options else None


@dataclass(frozen=True)
class Milestone:
    on: date
    age: int
    what: str


MILESTONES = {
    17: "First SSDA903 care-leaver data point",
    18: "Hand-over from social worker to personal adviser",
    21: "Offer to continue personal adviser support to 25",
    25: "Case closes",
}


def milestones(date_of_birth: date) -> list[Milestone]:
    return [Milestone(birthday(date_of_birth, age), age, what) for age, what in MILESTONES.items()]
