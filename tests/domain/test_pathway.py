"""Pathway planning rules (DESIGN 3.4): review due dates, triggers, planning start, contacts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.codes import AccommodationType as T
from careleaver_app.domain.codes import Activity
from careleaver_app.domain.pathway import (
    ReviewStatus,
    Trigger,
    TriggerKind,
    assessment_due,
    assessment_overdue,
    milestones,
    next_contact_due,
    next_review_due,
    plan_sign_off_missing,
    review_status,
    triggers_from,
)

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2025, 8, 31), date(2026, 2, 28)),  # 31 August + 6 months, common year
        (date(2027, 8, 31), date(2028, 2, 29)),  # ... and in a leap year
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 7, 31), date(2027, 1, 31)),  # across the year end
        (date(2027, 2, 28), date(2027, 8, 28)),
    ],
)
def test_six_months_on_same_day_clamped_to_month_end(last, due):
    result = next_review_due(last, [])
    assert result.due == due and result.trigger is None


@pytest.mark.parametrize("kind", list(TriggerKind))
def test_each_trigger_brings_the_review_to_28_days_after_it(kind):
    last = date(2026, 6, 1)  # six-monthly review due 1 December
    trigger = Trigger(date(2026, 9, 3), kind)
    result = next_review_due(last, [trigger])
    assert result.due == date(2026, 10, 1) and result.trigger == trigger
    assert kind.label in result.reason and "2026-10-01" in result.reason


def test_a_trigger_later_than_the_six_monthly_date_minus_28_days_changes_nothing():
    last = date(2026, 6, 1)
    assert next_review_due(last, [Trigger(date(2026, 11, 3), TriggerKind.MOVE)]).due == date(
        2026, 12, 1
    )
    tie = next_review_due(last, [Trigger(date(2026, 11, 3), TriggerKind.MOVE)], 28)
    assert tie.trigger is None  # 3 Nov + 28 = 1 Dec: a tie goes to the six-monthly review


def test_a_review_held_after_a_trigger_clears_it():
    move = Trigger(date(2026, 9, 3), TriggerKind.MOVE)
    assert next_review_due(date(2026, 9, 20), [move]).due == date(2027, 3, 20)
    assert next_review_due(date(2026, 9, 3), [move]).trigger is None  # same day: considered


def test_the_earliest_unreviewed_trigger_wins_and_the_window_is_a_setting():
    triggers = [
        Trigger(date(2026, 9, 10), TriggerKind.NEET),
        Trigger(date(2026, 9, 3), TriggerKind.MOVE),
    ]
    assert next_review_due(date(2026, 6, 1), triggers).trigger.kind is TriggerKind.MOVE
    assert next_review_due(date(2026, 6, 1), triggers, 14).due == date(2026, 9, 17)


@given(DAYS, st.lists(DAYS, max_size=6), st.integers(1, 60))
def test_due_date_is_never_later_than_six_months_nor_than_any_open_trigger(last, days, window):
    triggers = [Trigger(d, TriggerKind.MOVE) for d in days]
    due = next_review_due(last, triggers, window).due
    assert due <= next_review_due(last, []).due
    for d in days:
        if d > last:
            assert due <= d + timedelta(days=window)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 11, 2), ReviewStatus.IN_DATE),  # 29 days before
        (date(2026, 11, 3), ReviewStatus.DUE_SOON),  # 28 days before
        (date(2026, 12, 1), ReviewStatus.DUE_SOON),  # the due date itself
        (date(2026, 12, 2), ReviewStatus.OVERDUE),
    ],
)
def test_status_boundaries(today, status):
    assert review_status(date(2026, 12, 1), today) is status


def test_triggers_come_from_the_records():
    episodes = [
        (date(2024, 1, 1), T.SEMI_INDEPENDENT),
        (date(2026, 3, 3), T.INDEPENDENT_LIVING),
        (date(2026, 5, 5), T.CUSTODY),
    ]
    activities = [
        (date(2024, 1, 1), Activity.NEET_OTHER),  # NEET from the start: a change?
        (date(2025, 1, 1), Activity.FULL_TIME_OTHER_EDUCATION),
        (date(2026, 4, 4), Activity.NEET_OTHER),
        (date(2026, 6, 6), Activity.NEET_ILLNESS_OR_DISABILITY),
    ]  # still NEET
    found = triggers_from(episodes, activities, became_parent_on=date(2026, 7, 7))
    assert [(t.on, t.kind) for t in found] == [
        (date(2024, 1, 1), TriggerKind.NEET),
        (date(2026, 3, 3), TriggerKind.MOVE),
        (date(2026, 4, 4), TriggerKind.NEET),
        (date(2026, 5, 5), TriggerKind.CUSTODY),
        (date(2026, 7, 7), TriggerKind.PARENT),
    ]


def test_assessment_due_three_months_after_16th_birthday_or_later_eligibility():
    dob = date(2010, 8, 31)
    assert assessment_due(dob) == date(2026, 11, 30)  # 31 Aug 2026 + 3 months, clamped
    assert assessment_due(dob, became_eligible_on=date(2027, 1, 10)) == date(2027, 4, 10)
    assert not assessment_overdue(dob, True, False, date(2026, 11, 30))
    assert assessment_overdue(dob, True, False, date(2026, 12, 1))
    assert not assessment_overdue(dob, True, True, date(2026, 12, 1))
    assert not assessment_overdue(dob, False, False, date(2026, 12, 1))


def test_plan_sign_off_flag_in_the_three_months_before_18():
    dob = date(2009, 2, 28)  # 18 on 28 February 2027
    assert not plan_sign_off_missing(dob, False, date(2026, 11, 27))
    assert plan_sign_off_missing(dob, False, date(2026, 11, 28))
    assert plan_sign_off_missing(dob, False, date(2027, 2, 27))
    assert not plan_sign_off_missing(dob, False, date(2027, 2, 28))
    assert not plan_sign_off_missing(dob, True, date(2027, 1, 1))


def test_next_contact_is_the_earlier_of_visit_after_move_and_two_monthly_contact():
    assert next_contact_due(None, None, False) is None
    regular = next_contact_due(date(2026, 8, 31), None, False)
    assert (regular.due, regular.reason) == (date(2026, 10, 31), "regular contact")
    visit = next_contact_due(date(2026, 10, 1), date(2026, 11, 20), False)
    assert (visit.due, visit.reason) == (date(2026, 11, 27), "visit after the move")
    assert next_contact_due(date(2026, 11, 21), date(2026, 11, 20), True).due == date(2027, 1, 21)


def test_milestones_are_the_17th_18th_21st_and_25th_birthdays():
    found = milestones(date(2008, 2, 29))
    assert [(m.age, m.on) for m in found] == [
        (17, date(2025, 3, 1)),
        (18, date(2026, 3, 1)),
        (21, date(2029, 3, 1)),
        (25, date(2033, 3, 1)),
    ]
    assert "Case closes" in found[-1].what
