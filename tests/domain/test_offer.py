"""The local offer (domain.offer, DESIGN 3.5): entitlement periods, balances, eligibility,
checking a ledger entry against the allowance, item validation, "not taken up" and take-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.codes import LeaverCategory
from careleaver_app.domain.dates import birthday
from careleaver_app.domain.errors import FieldProblem
from careleaver_app.domain.offer import (
    CARE_LEAVER_CATEGORIES,
    SUPPORTED,
    Condition,
    EntitlementKind,
    EntryStatus,
    LedgerEntry,
    OfferCategory,
    OfferItem,
    Period,
    Recipient,
    balance,
    check_entry,
    ineligibility,
    not_taken_up,
    period_for,
    take_up,
    validate_item,
)

DAY = timedelta(days=1)
K = EntitlementKind
S = EntryStatus
C = LeaverCategory

# 16 on 15/06/2022, 25 on 15/06/2031: eligible for the default 16-to-25 items in all the years used.
DOB = date(2006, 6, 15)
PERSON = Recipient(DOB, C.FORMER_RELEVANT)
LEAP_DOB = date(2008, 2, 29)

LIFETIME = OfferItem(
    "Setting-up-home allowance", OfferCategory.HOUSING, K.LIFETIME, amount_pence=300_000, id=1
)
PER_YEAR = OfferItem(
    "16-19 bursary", OfferCategory.EDUCATION_AND_WORK, K.PER_YEAR, amount_pence=120_000, id=2
)
SEPTEMBER_YEAR = replace(PER_YEAR, year_starts_month=9)
CALENDAR_YEAR = replace(PER_YEAR, year_starts_month=1)
DECEMBER_YEAR = replace(PER_YEAR, year_starts_month=12)
PER_MONTH = OfferItem(
    "Leisure funding", OfferCategory.LEISURE, K.PER_MONTH, amount_pence=2_000, id=3
)
HOURS = OfferItem(
    "Driving lessons", OfferCategory.OTHER, K.QUANTITY, quantity=Decimal(10), unit="hours", id=4
)
NON_FINANCIAL = OfferItem("Council tax exemption", OfferCategory.MONEY, K.NON_FINANCIAL, id=5)
SECOND_HOME = OfferItem(
    "Second setting-up-home bursary",
    OfferCategory.HOUSING,
    K.LIFETIME,
    amount_pence=50_000,
    condition=Condition.AFTER_TENANCY_ENDS,
    id=6,
)


def e(
    item: OfferItem,
    on: date,
    pence: int | None = None,
    status: EntryStatus = S.PAID,
    *,
    quantity: Decimal | str | None = None,
    exception: bool = False,
    id: int | None = None,
) -> LedgerEntry:
    """A ledger entry for `item`; quantity may be given as text ('1.5')."""
    return LedgerEntry(
        item_id=item.id or 0,
        on=on,
        status=status,
        amount_pence=pence,
        quantity=Decimal(quantity) if isinstance(quantity, str) else quantity,
        exception=exception,
        id=id,
    )


def check(
    item: OfferItem,
    entry: LedgerEntry,
    others: Sequence[LedgerEntry] = (),
    recipient: Recipient = PERSON,
    *,
    is_new: bool = True,
) -> list[FieldProblem]:
    return check_entry(item, entry, others, recipient, is_new=is_new)


def fields(problems: Sequence[FieldProblem]) -> list[str]:
    return [p.field for p in problems]


# --- LIFETIME ----------------------------------------------------------------------------------


def test_lifetime_item_has_no_period() -> None:
    assert period_for(LIFETIME, date(2026, 5, 1)) is None


def test_lifetime_balance_counts_entries_from_every_earlier_year() -> None:
    entries = [e(LIFETIME, date(2023, 1, 10), 100_000), e(LIFETIME, date(2029, 12, 1), 50_000)]
    b = balance(LIFETIME, entries, date(2030, 6, 1), PERSON)
    assert (b.period, b.used, b.remaining) == (None, 150_000, 150_000)


def test_lifetime_allowance_used_years_ago_still_blocks_a_new_claim() -> None:
    spent = [e(LIFETIME, date(2023, 1, 10), 300_000, id=1)]
    assert fields(check(LIFETIME, e(LIFETIME, date(2030, 1, 10), 1), spent)) == ["amount"]


# --- PER_YEAR ----------------------------------------------------------------------------------


def test_per_year_with_april_start_31_march_belongs_to_the_year_before() -> None:
    assert period_for(PER_YEAR, date(2026, 3, 31)) == Period(date(2025, 4, 1), date(2026, 4, 1))


def test_per_year_with_april_start_1_april_starts_a_new_year() -> None:
    assert period_for(PER_YEAR, date(2026, 4, 1)) == Period(date(2026, 4, 1), date(2027, 4, 1))


def test_per_year_with_april_start_december_and_january_share_a_year() -> None:
    assert period_for(PER_YEAR, date(2025, 12, 31)) == period_for(PER_YEAR, date(2026, 1, 1))


def test_per_year_allowance_used_on_31_march_does_not_block_1_april() -> None:
    spent = [e(PER_YEAR, date(2026, 3, 31), 120_000, id=1)]
    assert fields(check(PER_YEAR, e(PER_YEAR, date(2026, 3, 31), 1), spent)) == ["amount"]
    assert check(PER_YEAR, e(PER_YEAR, date(2026, 4, 1), 120_000), spent) == []


def test_per_year_allowance_used_on_1_april_blocks_the_following_31_march() -> None:
    spent = [e(PER_YEAR, date(2025, 4, 1), 120_000, id=1)]
    assert fields(check(PER_YEAR, e(PER_YEAR, date(2026, 3, 31), 1), spent)) == ["amount"]


def test_per_year_with_september_start_31_august_and_1_september_are_different_years() -> None:
    assert period_for(SEPTEMBER_YEAR, date(2026, 8, 31)) == Period(
        date(2025, 9, 1), date(2026, 9, 1)
    )
    assert period_for(SEPTEMBER_YEAR, date(2026, 9, 1)) == Period(
        date(2026, 9, 1), date(2027, 9, 1)
    )


def test_per_year_with_september_start_allowance_renews_on_1_september() -> None:
    spent = [e(SEPTEMBER_YEAR, date(2026, 8, 31), 120_000, id=1)]
    assert fields(check(SEPTEMBER_YEAR, e(SEPTEMBER_YEAR, date(2025, 9, 1), 1), spent)) == [
        "amount"
    ]
    assert check(SEPTEMBER_YEAR, e(SEPTEMBER_YEAR, date(2026, 9, 1), 120_000), spent) == []


def test_per_year_with_september_start_keeps_april_in_the_academic_year() -> None:
    """A September year is not split at April: 31 March and 1 April are the same year."""
    assert period_for(SEPTEMBER_YEAR, date(2026, 3, 31)) == period_for(
        SEPTEMBER_YEAR, date(2026, 4, 1)
    )


def test_per_year_starting_in_month_1_is_the_calendar_year() -> None:
    assert period_for(CALENDAR_YEAR, date(2026, 1, 1)) == Period(date(2026, 1, 1), date(2027, 1, 1))
    assert period_for(CALENDAR_YEAR, date(2026, 12, 31)) == Period(
        date(2026, 1, 1), date(2027, 1, 1)
    )


def test_per_year_calendar_year_renews_from_31_december_to_1_january() -> None:
    spent = [e(CALENDAR_YEAR, date(2025, 12, 31), 120_000, id=1)]
    assert fields(check(CALENDAR_YEAR, e(CALENDAR_YEAR, date(2025, 1, 1), 1), spent)) == ["amount"]
    assert check(CALENDAR_YEAR, e(CALENDAR_YEAR, date(2026, 1, 1), 120_000), spent) == []


def test_per_year_starting_in_december_runs_into_the_next_calendar_year() -> None:
    assert period_for(DECEMBER_YEAR, date(2026, 1, 15)) == Period(
        date(2025, 12, 1), date(2026, 12, 1)
    )
    assert period_for(DECEMBER_YEAR, date(2026, 11, 30)) == Period(
        date(2025, 12, 1), date(2026, 12, 1)
    )
    assert period_for(DECEMBER_YEAR, date(2026, 12, 1)) == Period(
        date(2026, 12, 1), date(2027, 12, 1)
    )


def test_per_year_balance_excludes_entries_of_the_previous_year() -> None:
    entries = [e(PER_YEAR, date(2026, 3, 31), 100_000), e(PER_YEAR, date(2026, 4, 1), 20_000)]
    b = balance(PER_YEAR, entries, date(2026, 6, 1), PERSON)
    assert (b.used, b.remaining) == (20_000, 100_000)
    assert b.period == Period(date(2026, 4, 1), date(2027, 4, 1))


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(min_value=1, max_value=12),
)
def test_per_year_period_is_the_year_from_the_1st_of_the_start_month_containing_the_day(
    day: date, month: int
) -> None:
    period = period_for(replace(PER_YEAR, year_starts_month=month), day)
    assert period is not None
    assert period.contains(day)
    assert (period.start.month, period.start.day) == (month, 1)
    assert period.end == period.start.replace(year=period.start.year + 1)


# --- PER_MONTH ---------------------------------------------------------------------------------


def test_per_month_31_january_and_1_february_are_different_months() -> None:
    assert period_for(PER_MONTH, date(2026, 1, 31)) == Period(date(2026, 1, 1), date(2026, 2, 1))
    assert period_for(PER_MONTH, date(2026, 2, 1)) == Period(date(2026, 2, 1), date(2026, 3, 1))


def test_per_month_29_february_in_a_leap_year_belongs_to_february() -> None:
    period = period_for(PER_MONTH, date(2024, 2, 29))
    assert period == Period(date(2024, 2, 1), date(2024, 3, 1))
    assert not period.contains(date(2024, 3, 1))


def test_per_month_31_december_and_1_january_are_different_months_and_years() -> None:
    assert period_for(PER_MONTH, date(2025, 12, 31)) == Period(date(2025, 12, 1), date(2026, 1, 1))
    assert period_for(PER_MONTH, date(2026, 1, 1)) == Period(date(2026, 1, 1), date(2026, 2, 1))


def test_per_month_allowance_used_up_in_january_does_not_block_february() -> None:
    january = [e(PER_MONTH, date(2026, 1, 31), 2_000, id=1)]
    assert fields(check(PER_MONTH, e(PER_MONTH, date(2026, 1, 1), 1), january)) == ["amount"]
    assert check(PER_MONTH, e(PER_MONTH, date(2026, 2, 1), 2_000), january) == []


def test_per_month_allowance_used_up_in_december_does_not_block_january() -> None:
    december = [e(PER_MONTH, date(2025, 12, 31), 2_000, id=1)]
    assert check(PER_MONTH, e(PER_MONTH, date(2026, 1, 1), 2_000), december) == []


def test_per_month_29_february_counts_against_february_not_march() -> None:
    leap = [e(PER_MONTH, date(2024, 2, 29), 2_000, id=1)]
    assert fields(check(PER_MONTH, e(PER_MONTH, date(2024, 2, 1), 1), leap)) == ["amount"]
    assert check(PER_MONTH, e(PER_MONTH, date(2024, 3, 1), 2_000), leap) == []


def test_per_month_balance_shows_only_the_current_month() -> None:
    entries = [e(PER_MONTH, date(2026, 1, 31), 1_500), e(PER_MONTH, date(2026, 2, 1), 500)]
    b = balance(PER_MONTH, entries, date(2026, 2, 28), PERSON)
    assert (b.used, b.remaining) == (500, 1_500)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
def test_per_month_period_runs_from_the_1st_to_the_1st_of_the_next_month(day: date) -> None:
    period = period_for(PER_MONTH, day)
    assert period is not None
    assert period.contains(day)
    assert period.start == day.replace(day=1)
    assert period.end.day == 1
    assert (period.end - DAY).month == day.month
    assert not period.contains(period.end)
    assert not period.contains(period.start - DAY)


# --- QUANTITY ----------------------------------------------------------------------------------


def test_quantity_item_has_no_period() -> None:
    assert period_for(HOURS, date(2026, 5, 1)) is None


def test_quantity_1_5_plus_8_5_reaches_10_hours_exactly_and_is_allowed() -> None:
    first = [e(HOURS, date(2025, 5, 1), quantity="1.5", id=1)]
    assert check(HOURS, e(HOURS, date(2026, 5, 1), quantity="8.5"), first) == []


def test_quantity_a_hundredth_over_the_allowance_is_refused_on_quantity() -> None:
    used = [
        e(HOURS, date(2025, 5, 1), quantity="1.5", id=1),
        e(HOURS, date(2026, 5, 1), quantity="8.5", id=2),
    ]
    problems = check(HOURS, e(HOURS, date(2026, 6, 1), quantity="0.01"), used)
    assert fields(problems) == ["quantity"]
    assert "0.01 hours is more than the 0 hours left of Driving lessons" in problems[0].message
    assert "10 hours already used or requested" in problems[0].message


def test_quantity_over_spend_message_states_the_hours_left() -> None:
    used = [e(HOURS, date(2025, 5, 1), quantity="7.5", id=1)]
    problems = check(HOURS, e(HOURS, date(2026, 6, 1), quantity="3"), used)
    assert fields(problems) == ["quantity"]
    assert "2.5 hours left" in problems[0].message


def test_quantity_balance_is_decimal_and_exact() -> None:
    entries = [
        e(HOURS, date(2025, 5, 1), quantity="1.5"),
        e(HOURS, date(2025, 6, 1), quantity="8.5"),
    ]
    b = balance(HOURS, entries, date(2026, 1, 1), PERSON)
    assert b.used == Decimal(10)
    assert b.remaining == Decimal(0)
    assert isinstance(b.remaining, Decimal)
    assert b.describe(b.used) == "10 hours"


def test_quantity_is_measured_in_hours_not_in_the_pence_recorded_beside_it() -> None:
    """A quantity entry may carry its cost in pence; only the hours count against the allowance."""
    entries = [e(HOURS, date(2025, 5, 1), 45_000, quantity="2")]
    b = balance(HOURS, entries, date(2026, 1, 1), PERSON)
    assert (b.used, b.remaining) == (Decimal(2), Decimal(8))
    assert check(HOURS, e(HOURS, date(2026, 1, 1), 99_999, quantity="8"), entries) == []


# --- NON_FINANCIAL -----------------------------------------------------------------------------


def test_non_financial_item_has_no_allowance_and_no_remaining() -> None:
    b = balance(NON_FINANCIAL, [e(NON_FINANCIAL, date(2026, 1, 1))], date(2026, 2, 1), PERSON)
    assert (b.allowance, b.remaining, b.over_by, b.times_used) == (None, None, 0, 1)
    assert NON_FINANCIAL.describe_allowance() == "Non-financial"


def test_non_financial_item_can_be_recorded_any_number_of_times() -> None:
    others = [e(NON_FINANCIAL, date(2026, 1, d), id=d) for d in range(1, 20)]
    assert check(NON_FINANCIAL, e(NON_FINANCIAL, date(2026, 1, 25)), others) == []


def test_describe_allowance_of_each_money_kind_names_its_period() -> None:
    assert LIFETIME.describe_allowance() == "£3,000.00 for life"
    assert PER_YEAR.describe_allowance() == "£1,200.00 a year"
    assert PER_MONTH.describe_allowance() == "£20.00 a month"
    assert HOURS.describe_allowance() == "10 hours"


# --- balance() ---------------------------------------------------------------------------------

ON = date(2026, 5, 20)


def test_balance_used_is_approved_plus_paid_and_pending_is_requested() -> None:
    entries = [
        e(LIFETIME, date(2026, 1, 1), 10_000, S.APPROVED),
        e(LIFETIME, date(2026, 2, 1), 20_000, S.PAID),
        e(LIFETIME, date(2026, 3, 1), 40_000, S.REQUESTED),
    ]
    b = balance(LIFETIME, entries, ON, PERSON)
    assert (b.used, b.pending, b.remaining) == (30_000, 40_000, 230_000)


def test_balance_ignores_declined_entries_entirely() -> None:
    entries = [e(LIFETIME, date(2026, 1, 1), 300_000, S.DECLINED)]
    b = balance(LIFETIME, entries, ON, PERSON)
    assert (b.used, b.pending, b.remaining, b.times_used) == (0, 0, 300_000, 0)


def test_balance_remaining_is_allowance_less_used_less_pending() -> None:
    entries = [
        e(PER_MONTH, date(2026, 5, 1), 500, S.PAID),
        e(PER_MONTH, date(2026, 5, 2), 700, S.REQUESTED),
    ]
    b = balance(PER_MONTH, entries, ON, PERSON)
    assert b.allowance == 2_000
    assert b.remaining == 2_000 - 500 - 700
    assert b.over_by == 0


def test_balance_remaining_never_goes_below_zero_and_over_by_shows_the_excess() -> None:
    """An exception took the month past its allowance: nothing remains and over_by says by how
    much."""
    entries = [
        e(PER_MONTH, date(2026, 5, 1), 2_000),
        e(PER_MONTH, date(2026, 5, 2), 1_500, S.APPROVED, exception=True),
    ]
    b = balance(PER_MONTH, entries, ON, PERSON)
    assert (b.used, b.remaining, b.over_by) == (3_500, 0, 1_500)
    assert b.describe(b.over_by) == "£15.00"


def test_balance_over_by_counts_pending_requests_too() -> None:
    entries = [
        e(PER_MONTH, date(2026, 5, 1), 2_000),
        e(PER_MONTH, date(2026, 5, 2), 300, S.REQUESTED, exception=True),
    ]
    b = balance(PER_MONTH, entries, ON, PERSON)
    assert (b.remaining, b.over_by) == (0, 300)


def test_balance_as_of_a_date_excludes_entries_dated_after_it() -> None:
    entries = [
        e(PER_MONTH, date(2026, 5, 20), 500),
        e(PER_MONTH, date(2026, 5, 21), 700),
        e(PER_MONTH, date(2026, 5, 22), 100, S.REQUESTED),
    ]
    b = balance(PER_MONTH, entries, date(2026, 5, 20), PERSON)
    assert (b.used, b.pending, b.remaining, b.times_used) == (500, 0, 1_500, 1)


def test_balance_ignores_entries_of_other_items() -> None:
    entries = [e(PER_YEAR, date(2026, 5, 1), 100_000), e(PER_MONTH, date(2026, 5, 1), 500)]
    b = balance(PER_MONTH, entries, ON, PERSON)
    assert (b.used, b.times_used) == (500, 1)


def test_balance_times_used_counts_non_declined_entries_in_every_period_up_to_the_date() -> None:
    entries = [
        e(PER_MONTH, date(2025, 1, 5), 500),
        e(PER_MONTH, date(2026, 4, 5), 500, S.APPROVED),
        e(PER_MONTH, date(2026, 5, 5), 500, S.REQUESTED),
        e(PER_MONTH, date(2026, 5, 6), 500, S.DECLINED),
        e(PER_MONTH, date(2026, 6, 5), 500),
    ]
    assert balance(PER_MONTH, entries, ON, PERSON).times_used == 3


def test_balance_not_taken_up_when_eligible_and_never_used() -> None:
    assert balance(LIFETIME, [], ON, PERSON).not_taken_up


def test_balance_not_taken_up_is_false_once_anything_is_requested() -> None:
    b = balance(LIFETIME, [e(LIFETIME, date(2026, 1, 1), 100, S.REQUESTED)], ON, PERSON)
    assert not b.not_taken_up


def test_balance_not_taken_up_is_still_true_after_only_a_declined_request() -> None:
    b = balance(LIFETIME, [e(LIFETIME, date(2026, 1, 1), 100, S.DECLINED)], ON, PERSON)
    assert b.not_taken_up


def test_balance_not_taken_up_is_false_when_not_eligible() -> None:
    b = balance(LIFETIME, [], birthday(DOB, 25), PERSON)
    assert not b.eligible
    assert b.ineligible_reason == "this item ends at the 25th birthday"
    assert not b.not_taken_up


def test_balance_without_a_recipient_is_not_eligible_and_has_no_reason() -> None:
    b = balance(LIFETIME, [], ON)
    assert (b.eligible, b.ineligible_reason, b.not_taken_up) == (False, "", False)


def test_balance_of_a_money_item_is_in_whole_pence() -> None:
    b = balance(LIFETIME, [e(LIFETIME, date(2026, 1, 1), 120_050)], ON, PERSON)
    assert isinstance(b.used, int)
    assert b.describe(b.used) == "£1,200.50"
    assert b.describe(None) == ""


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2026, 4, 1), max_value=date(2026, 6, 30)),
            st.integers(min_value=1, max_value=1_500),
            st.sampled_from(list(EntryStatus)),
        ),
        max_size=12,
    ),
    st.dates(min_value=date(2026, 4, 1), max_value=date(2026, 6, 30)),
)
def test_balance_remaining_less_over_by_is_allowance_less_used_less_pending(
    raw: list[tuple[date, int, EntryStatus]], on: date
) -> None:
    b = balance(PER_MONTH, [e(PER_MONTH, d, p, s) for d, p, s in raw], on, PERSON)
    assert b.remaining is not None
    assert b.remaining >= 0
    assert b.over_by >= 0
    assert min(b.remaining, b.over_by) == 0
    assert b.remaining - b.over_by == 2_000 - b.used - b.pending


# --- eligibility -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "eligible"),
    [
        (birthday(DOB, 16) - DAY, False),
        (birthday(DOB, 16), True),
        (birthday(DOB, 16) + DAY, True),
        (birthday(DOB, 25) - DAY, True),
        (birthday(DOB, 25), False),
        (birthday(DOB, 25) + DAY, False),
    ],
    ids=["day before 16", "16th birthday", "day after 16", "day before 25", "25th", "after 25"],
)
def test_age_range_is_half_open_from_min_age_birthday_to_the_day_before_max_age(
    on: date, eligible: bool
) -> None:
    assert (ineligibility(LIFETIME, PERSON, on) == "") is eligible


def test_too_young_says_when_the_item_starts() -> None:
    assert ineligibility(LIFETIME, PERSON, birthday(DOB, 16) - DAY) == "this item starts at age 16"


@pytest.mark.parametrize(
    ("max_age", "words"),
    [(21, "21st"), (22, "22nd"), (23, "23rd"), (25, "25th"), (11, "11th"), (12, "12th")],
)
def test_too_old_names_the_birthday_with_the_right_ordinal(max_age: int, words: str) -> None:
    item = replace(LIFETIME, min_age=0, max_age=max_age)
    assert ineligibility(item, PERSON, birthday(DOB, max_age)) == (
        f"this item ends at the {words} birthday"
    )


LEAP_PERSON = Recipient(LEAP_DOB, C.FORMER_RELEVANT)


def test_29_february_birth_reaches_min_age_on_1_march_in_a_common_year() -> None:
    item = replace(LIFETIME, min_age=17)  # 17th birthday falls in 2025, a common year
    assert birthday(LEAP_DOB, 17) == date(2025, 3, 1)
    assert ineligibility(item, LEAP_PERSON, date(2025, 2, 28)) == "this item starts at age 17"
    assert ineligibility(item, LEAP_PERSON, date(2025, 3, 1)) == ""


def test_29_february_birth_reaches_min_age_on_29_february_in_a_leap_year() -> None:
    assert birthday(LEAP_DOB, 16) == date(2024, 2, 29)
    assert ineligibility(LIFETIME, LEAP_PERSON, date(2024, 2, 28)) != ""
    assert ineligibility(LIFETIME, LEAP_PERSON, date(2024, 2, 29)) == ""


def test_29_february_birth_stays_eligible_on_28_february_before_a_common_year_max_age() -> None:
    assert birthday(LEAP_DOB, 25) == date(2033, 3, 1)
    assert ineligibility(LIFETIME, LEAP_PERSON, date(2033, 2, 28)) == ""
    assert ineligibility(LIFETIME, LEAP_PERSON, date(2033, 3, 1)) == (
        "this item ends at the 25th birthday"
    )


@given(
    st.dates(min_value=date(1995, 1, 1), max_value=date(2015, 12, 31)),
    st.dates(min_value=date(2005, 1, 1), max_value=date(2045, 12, 31)),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=1, max_value=31),
)
def test_eligible_exactly_from_min_age_birthday_until_before_max_age_birthday(
    dob: date, on: date, min_age: int, max_age: int
) -> None:
    item = replace(LIFETIME, min_age=min_age, max_age=max_age)
    eligible = ineligibility(item, Recipient(dob, C.RELEVANT), on) == ""
    assert eligible is (birthday(dob, min_age) <= on < birthday(dob, max_age))


@pytest.mark.parametrize("category", [C.QUALIFYING, C.NOT_A_CARE_LEAVER])
def test_category_not_in_the_items_categories_is_refused(category: LeaverCategory) -> None:
    reason = ineligibility(LIFETIME, Recipient(DOB, category), ON)
    assert reason == f"this item is not offered to the category '{category.label}'"


@pytest.mark.parametrize("category", sorted(SUPPORTED))
def test_each_category_in_the_items_categories_is_eligible(category: LeaverCategory) -> None:
    assert ineligibility(LIFETIME, Recipient(DOB, category), ON) == ""


def test_an_item_can_be_offered_to_qualifying_care_leavers_only() -> None:
    item = replace(LIFETIME, categories=frozenset({C.QUALIFYING}))
    assert ineligibility(item, Recipient(DOB, C.QUALIFYING), ON) == ""
    assert ineligibility(item, Recipient(DOB, C.RELEVANT), ON) != ""


def test_a_retired_item_is_refused_even_to_an_otherwise_eligible_person() -> None:
    item = replace(LIFETIME, active=False)
    assert ineligibility(item, PERSON, ON) == "this item has been retired from the local offer"


@pytest.mark.parametrize(
    ("ended", "eligible"),
    [(None, False), (ON + DAY, False), (ON, True), (ON - DAY, True)],
    ids=["no tenancy ended", "ends tomorrow", "ended today", "ended yesterday"],
)
def test_after_tenancy_ends_needs_a_first_tenancy_ended_on_or_before_the_date(
    ended: date | None, eligible: bool
) -> None:
    reason = ineligibility(SECOND_HOME, Recipient(DOB, C.FORMER_RELEVANT, ended), ON)
    assert (reason == "") is eligible
    if not eligible:
        assert reason == "this item is offered only after a first tenancy has ended"


def test_an_item_without_a_condition_ignores_tenancy() -> None:
    assert ineligibility(LIFETIME, Recipient(DOB, C.FORMER_RELEVANT, None), ON) == ""


# --- check_entry(): over-spend -----------------------------------------------------------------


def test_over_spend_is_refused_on_amount_and_says_what_is_left() -> None:
    others = [e(LIFETIME, date(2025, 1, 1), 299_500, id=1)]
    problems = check(LIFETIME, e(LIFETIME, ON, 1_000), others)
    assert fields(problems) == ["amount"]
    message = problems[0].message
    assert "£10.00 is more than the £5.00 left of Setting-up-home allowance" in message
    assert "allowance £3,000.00 for life" in message
    assert "£2,995.00 already used or requested" in message
    assert "team manager can authorise an exception" in message


def test_per_month_over_spend_message_names_the_month() -> None:
    others = [e(PER_MONTH, date(2026, 5, 1), 1_500, id=1)]
    problems = check(PER_MONTH, e(PER_MONTH, ON, 600), others)
    assert "£5.00 left of Leisure funding for May 2026" in problems[0].message


def test_per_year_over_spend_message_names_the_years_start() -> None:
    others = [e(PER_YEAR, date(2026, 4, 1), 120_000, id=1)]
    problems = check(PER_YEAR, e(PER_YEAR, ON, 1), others)
    assert "£0.00 left of 16-19 bursary for the year from 01/04/2026" in problems[0].message


def test_reaching_the_allowance_exactly_is_allowed() -> None:
    others = [e(LIFETIME, date(2025, 1, 1), 200_000, id=1)]
    assert check(LIFETIME, e(LIFETIME, ON, 100_000), others) == []


def test_one_penny_over_the_allowance_is_refused() -> None:
    others = [e(LIFETIME, date(2025, 1, 1), 200_000, id=1)]
    assert fields(check(LIFETIME, e(LIFETIME, ON, 100_001), others)) == ["amount"]


def test_a_single_entry_larger_than_the_allowance_is_refused() -> None:
    assert fields(check(PER_MONTH, e(PER_MONTH, ON, 2_001))) == ["amount"]
    assert check(PER_MONTH, e(PER_MONTH, ON, 2_000)) == []


@pytest.mark.parametrize("status", [S.REQUESTED, S.APPROVED, S.PAID])
def test_every_non_declined_status_is_checked_against_the_allowance(status: EntryStatus) -> None:
    others = [e(PER_MONTH, date(2026, 5, 1), 2_000, id=1)]
    assert fields(check(PER_MONTH, e(PER_MONTH, ON, 1, status), others)) == ["amount"]


def test_two_requests_cannot_together_exceed_the_allowance() -> None:
    first = [e(PER_MONTH, date(2026, 5, 1), 1_500, S.REQUESTED, id=1)]
    assert fields(check(PER_MONTH, e(PER_MONTH, ON, 1_000, S.REQUESTED), first)) == ["amount"]
    assert check(PER_MONTH, e(PER_MONTH, ON, 500, S.REQUESTED), first) == []


def test_declined_entries_of_others_do_not_use_the_allowance() -> None:
    others = [e(PER_MONTH, date(2026, 5, 1), 2_000, S.DECLINED, id=1)]
    assert check(PER_MONTH, e(PER_MONTH, ON, 2_000), others) == []


def test_entries_of_other_items_do_not_use_the_allowance() -> None:
    others = [e(LIFETIME, date(2026, 5, 1), 300_000, id=1)]
    assert check(PER_MONTH, e(PER_MONTH, ON, 2_000), others) == []


def test_an_exception_in_others_still_uses_the_allowance() -> None:
    others = [e(PER_MONTH, date(2026, 5, 1), 2_500, exception=True, id=1)]
    problems = check(PER_MONTH, e(PER_MONTH, ON, 1), others)
    assert fields(problems) == ["amount"]
    assert "£0.00 left" in problems[0].message


def test_a_later_entry_in_the_same_period_counts_against_an_earlier_one() -> None:
    """The whole period counts, not just entries dated up to the new one."""
    others = [e(PER_MONTH, date(2026, 5, 31), 2_000, id=1)]
    assert fields(check(PER_MONTH, e(PER_MONTH, date(2026, 5, 1), 1), others)) == ["amount"]


# --- check_entry(): exceptions, declined entries and edits -------------------------------------


def test_an_exception_may_go_over_the_allowance() -> None:
    others = [e(PER_MONTH, date(2026, 5, 1), 2_000, id=1)]
    assert check(PER_MONTH, e(PER_MONTH, ON, 5_000, exception=True), others) == []


def test_an_exception_skips_eligibility() -> None:
    too_old = birthday(DOB, 25) + DAY
    assert check(LIFETIME, e(LIFETIME, too_old, 1_000), []) != []
    assert check(LIFETIME, e(LIFETIME, too_old, 1_000, exception=True), []) == []
    outsider = Recipient(DOB, C.NOT_A_CARE_LEAVER)
    assert check(LIFETIME, e(LIFETIME, ON, 1_000, exception=True), [], outsider) == []


def test_an_exception_still_needs_valid_values() -> None:
    assert fields(check(LIFETIME, e(LIFETIME, ON, 0, exception=True))) == ["amount"]


def test_a_declined_entry_is_never_checked_against_the_allowance() -> None:
    others = [e(PER_MONTH, date(2026, 5, 1), 2_000, id=1)]
    assert check(PER_MONTH, e(PER_MONTH, ON, 50_000, S.DECLINED), others) == []


def test_a_declined_entry_is_not_checked_for_eligibility() -> None:
    too_young = birthday(DOB, 16) - DAY
    assert check(LIFETIME, e(LIFETIME, too_young, 1_000, S.DECLINED)) == []


def test_a_declined_entry_still_needs_valid_values() -> None:
    assert fields(check(LIFETIME, e(LIFETIME, ON, None, S.DECLINED))) == ["amount"]


def test_the_entry_being_edited_is_not_counted_twice() -> None:
    """Approving a request for the whole allowance: the stored request (same id) is not an
    'other'."""
    stored = e(PER_MONTH, date(2026, 5, 1), 2_000, S.REQUESTED, id=7)
    approved = replace(stored, status=S.APPROVED)
    assert check(PER_MONTH, approved, [stored], is_new=False) == []


def test_an_edit_is_still_checked_against_the_other_entries() -> None:
    stored = e(PER_MONTH, date(2026, 5, 1), 1_000, S.REQUESTED, id=7)
    other = e(PER_MONTH, date(2026, 5, 2), 1_000, id=8)
    assert check(PER_MONTH, replace(stored, status=S.APPROVED), [stored, other], is_new=False) == []
    raised = replace(stored, amount_pence=1_001)
    assert fields(check(PER_MONTH, raised, [stored, other], is_new=False)) == ["amount"]


def test_an_edit_that_moves_an_entry_to_another_month_leaves_the_old_month() -> None:
    stored = e(PER_MONTH, date(2026, 4, 30), 2_000, id=7)
    moved = replace(stored, on=date(2026, 5, 1))
    may = e(PER_MONTH, date(2026, 5, 2), 1, id=8)
    assert check(PER_MONTH, replace(moved, amount_pence=1_999), [stored, may], is_new=False) == []
    assert fields(check(PER_MONTH, moved, [stored, may], is_new=False)) == ["amount"]


def test_an_unsaved_entry_is_never_taken_for_the_entry_being_edited() -> None:
    """Entries with no id yet (id None) are all distinct: an unsaved one still counts."""
    unsaved = e(PER_MONTH, date(2026, 5, 1), 2_000, id=None)
    assert fields(check(PER_MONTH, e(PER_MONTH, ON, 1, id=None), [unsaved])) == ["amount"]


def test_a_retired_item_refuses_a_new_entry() -> None:
    retired = replace(LIFETIME, active=False)
    problems = check(retired, e(retired, ON, 1_000), is_new=True)
    assert fields(problems) == ["item"]
    assert "retired" in problems[0].message


def test_a_retired_item_still_lets_an_existing_entry_move_on() -> None:
    retired = replace(LIFETIME, active=False)
    stored = e(retired, date(2026, 1, 1), 100_000, S.REQUESTED, id=3)
    paid = replace(stored, status=S.PAID)
    assert check(retired, paid, [stored], is_new=False) == []


def test_a_retired_item_still_checks_an_existing_entry_against_the_allowance() -> None:
    retired = replace(LIFETIME, active=False)
    stored = e(retired, date(2026, 1, 1), 100_000, S.REQUESTED, id=3)
    other = e(retired, date(2025, 1, 1), 250_000, id=4)
    problems = check(retired, replace(stored, status=S.PAID), [stored, other], is_new=False)
    assert fields(problems) == ["amount"]


def test_an_ineligible_entry_is_refused_on_item_with_the_reason_and_date() -> None:
    too_young = date(2022, 6, 14)
    problems = check(LIFETIME, e(LIFETIME, too_young, 1_000))
    assert problems == [
        FieldProblem("item", "Setting-up-home allowance: this item starts at age 16 (14/06/2022)")
    ]


def test_eligibility_is_judged_on_the_entrys_date() -> None:
    assert check(LIFETIME, e(LIFETIME, birthday(DOB, 25) - DAY, 1_000)) == []
    assert fields(check(LIFETIME, e(LIFETIME, birthday(DOB, 25), 1_000))) == ["item"]


def test_a_conditional_item_is_refused_before_the_first_tenancy_ends() -> None:
    housed = Recipient(DOB, C.FORMER_RELEVANT, date(2026, 3, 1))
    assert fields(check(SECOND_HOME, e(SECOND_HOME, date(2026, 2, 28), 100), [], housed)) == [
        "item"
    ]
    assert check(SECOND_HOME, e(SECOND_HOME, date(2026, 3, 1), 100), [], housed) == []


def test_non_financial_item_is_checked_for_eligibility_only() -> None:
    too_old = birthday(DOB, 25)
    assert fields(check(NON_FINANCIAL, e(NON_FINANCIAL, too_old))) == ["item"]


# --- check_entry(): values ---------------------------------------------------------------------


@pytest.mark.parametrize("item", [LIFETIME, PER_YEAR, PER_MONTH], ids=lambda i: i.kind.value)
@pytest.mark.parametrize("pence", [None, 0, -1])
def test_money_entries_need_an_amount_more_than_zero(item: OfferItem, pence: int | None) -> None:
    problems = check(item, e(item, ON, pence))
    assert problems == [FieldProblem("amount", "is required and must be more than zero")]


def test_a_quantity_on_a_money_item_is_refused() -> None:
    problems = check(PER_MONTH, e(PER_MONTH, ON, 500, quantity="1"))
    assert problems == [FieldProblem("quantity", "does not apply to Leisure funding")]


@pytest.mark.parametrize("quantity", [None, "0", "-1"])
def test_quantity_entries_need_a_quantity_more_than_zero(quantity: str | None) -> None:
    problems = check(HOURS, e(HOURS, ON, quantity=quantity))
    assert problems == [FieldProblem("quantity", "is required (hours) and must be more than zero")]


def test_quantity_entry_may_record_a_cost_but_not_a_negative_one() -> None:
    assert check(HOURS, e(HOURS, ON, 3_500, quantity="1")) == []
    assert fields(check(HOURS, e(HOURS, ON, -1, quantity="1"))) == ["amount"]


def test_non_financial_entry_refuses_a_quantity_and_a_negative_amount() -> None:
    assert check(NON_FINANCIAL, e(NON_FINANCIAL, ON)) == []
    assert check(NON_FINANCIAL, e(NON_FINANCIAL, ON, 1_000)) == []
    assert fields(check(NON_FINANCIAL, e(NON_FINANCIAL, ON, quantity="1"))) == ["quantity"]
    assert fields(check(NON_FINANCIAL, e(NON_FINANCIAL, ON, -1))) == ["amount"]


def test_value_problems_are_reported_before_eligibility_and_allowance() -> None:
    too_young = birthday(DOB, 16) - DAY
    assert fields(check(LIFETIME, e(LIFETIME, too_young, 0))) == ["amount"]


# --- validate_item() ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [LIFETIME, PER_YEAR, SEPTEMBER_YEAR, PER_MONTH, HOURS, NON_FINANCIAL, SECOND_HOME],
    ids=lambda i: i.name,
)
def test_a_well_formed_item_of_each_kind_has_no_problems(item: OfferItem) -> None:
    assert validate_item(item) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"amount_pence": None}, "amount"),
        ({"amount_pence": 0}, "amount"),
        ({"amount_pence": -100}, "amount"),
        ({"quantity": Decimal(1)}, "quantity"),
        ({"min_age": -1}, "min_age"),
        ({"max_age": 0, "min_age": 0}, "max_age"),
        ({"max_age": 32}, "max_age"),
        ({"max_age": 16}, "max_age"),
        ({"max_age": 15}, "max_age"),
        ({"categories": frozenset()}, "categories"),
        ({"categories": frozenset({C.NOT_A_CARE_LEAVER})}, "categories"),
        ({"categories": frozenset({C.RELEVANT, C.NOT_A_CARE_LEAVER})}, "categories"),
        ({"year_starts_month": 0}, "year_starts_month"),
        ({"year_starts_month": 13}, "year_starts_month"),
    ],
)
def test_each_problem_with_a_money_item_names_its_field(changes: dict, field: str) -> None:
    assert fields(validate_item(replace(PER_YEAR, **changes))) == [field]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": None}, "quantity"),
        ({"quantity": Decimal(0)}, "quantity"),
        ({"unit": ""}, "unit"),
        ({"unit": "  "}, "unit"),
        ({"amount_pence": 1_000}, "amount"),
    ],
)
def test_each_problem_with_a_quantity_item_names_its_field(changes: dict, field: str) -> None:
    assert fields(validate_item(replace(HOURS, **changes))) == [field]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"amount_pence": 1_000}, "amount"), ({"quantity": Decimal(1)}, "quantity")],
)
def test_each_problem_with_a_non_financial_item_names_its_field(changes: dict, field: str) -> None:
    assert fields(validate_item(replace(NON_FINANCIAL, **changes))) == [field]


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "x" * 200},
        {"min_age": 0, "max_age": 1},
        {"min_age": 30, "max_age": 31},
        {"year_starts_month": 1},
        {"year_starts_month": 12},
        {"categories": CARE_LEAVER_CATEGORIES},
        {"categories": frozenset({C.QUALIFYING})},
    ],
)
def test_values_at_the_edges_of_what_is_allowed_are_accepted(changes: dict) -> None:
    assert validate_item(replace(PER_YEAR, **changes)) == []


def test_a_lowest_age_above_30_is_refused_on_min_age() -> None:
    """No highest age can then be above it, so max_age is reported as well."""
    assert fields(validate_item(replace(PER_YEAR, min_age=31, max_age=31))) == [
        "min_age",
        "max_age",
    ]


def test_several_problems_are_all_reported() -> None:
    bad = replace(
        LIFETIME, name="", amount_pence=None, min_age=20, max_age=18, categories=frozenset()
    )
    assert fields(validate_item(bad)) == ["name", "amount", "max_age", "categories"]


def test_describe_ages_shows_the_last_whole_year_of_eligibility() -> None:
    assert LIFETIME.describe_ages() == "16 to 24"


# --- not_taken_up() ----------------------------------------------------------------------------

CATALOGUE = [LIFETIME, PER_YEAR, PER_MONTH, HOURS, NON_FINANCIAL, SECOND_HOME]


def test_not_taken_up_lists_eligible_items_never_asked_for() -> None:
    entries = [e(LIFETIME, date(2025, 1, 1), 1_000), e(HOURS, date(2025, 1, 1), quantity="1")]
    assert not_taken_up(CATALOGUE, entries, PERSON, ON) == [PER_YEAR, PER_MONTH, NON_FINANCIAL]


def test_not_taken_up_treats_a_request_as_taken_up_but_not_a_declined_one() -> None:
    entries = [
        e(PER_YEAR, date(2026, 1, 1), 1_000, S.REQUESTED),
        e(PER_MONTH, date(2026, 1, 1), 1_000, S.DECLINED),
    ]
    assert PER_YEAR not in not_taken_up(CATALOGUE, entries, PERSON, ON)
    assert PER_MONTH in not_taken_up(CATALOGUE, entries, PERSON, ON)


def test_not_taken_up_ignores_entries_dated_after_the_date() -> None:
    entries = [e(PER_YEAR, ON + DAY, 1_000)]
    assert PER_YEAR in not_taken_up(CATALOGUE, entries, PERSON, ON)


def test_not_taken_up_leaves_out_items_the_person_cannot_have() -> None:
    retired = replace(PER_MONTH, active=False)
    assert not_taken_up([retired, SECOND_HOME], [], PERSON, ON) == []
    assert not_taken_up(CATALOGUE, [], PERSON, birthday(DOB, 25)) == []


def test_not_taken_up_agrees_with_the_balance_flag() -> None:
    entries = [
        e(LIFETIME, date(2025, 1, 1), 1_000, S.REQUESTED),
        e(PER_MONTH, date(2026, 1, 1), 1_000, S.DECLINED),
    ]
    flagged = [i for i in CATALOGUE if balance(i, entries, ON, PERSON).not_taken_up]
    assert flagged == not_taken_up(CATALOGUE, entries, PERSON, ON)


# --- take_up() ---------------------------------------------------------------------------------

START, END = date(2026, 3, 1), date(2026, 3, 31)


def one(item: OfferItem, people: list[tuple[int, Recipient, list[LedgerEntry]]]):
    """The take-up row for `item` over [START, END]."""
    (row,) = take_up([item], people, START, END)
    return row


def born_turning(age: int, on: date) -> Recipient:
    """A former relevant care leaver whose `age`th birthday is `on`."""
    return Recipient(on.replace(year=on.year - age), C.FORMER_RELEVANT)


@pytest.mark.parametrize(
    ("recipient", "eligible"),
    [
        (born_turning(16, END), 1),
        (born_turning(16, END + DAY), 0),
        (born_turning(16, START), 1),
        (born_turning(25, END), 0),
        (born_turning(25, END + DAY), 1),
        (born_turning(25, START), 0),
    ],
    ids=[
        "16 on last day",
        "16 day after",
        "16 on first day",
        "25 on last day",
        "25 after",
        "25 on first day",
    ],
)
def test_take_up_judges_eligibility_on_the_periods_last_day(
    recipient: Recipient, eligible: int
) -> None:
    assert one(LIFETIME, [(1, recipient, [])]).eligible == eligible


def test_take_up_used_ever_counts_eligible_people_with_approved_or_paid_use_at_any_time() -> None:
    people = [
        (1, PERSON, [e(LIFETIME, date(2023, 1, 1), 1_000, S.APPROVED)]),
        (2, PERSON, [e(LIFETIME, START, 1_000, S.PAID)]),
        (3, PERSON, []),
        (4, PERSON, [e(LIFETIME, END + DAY, 1_000)]),
    ]
    row = one(LIFETIME, people)
    assert (row.eligible, row.used_ever, row.used_in_period) == (4, 2, 1)
    assert row.take_up_percent == 50.0


def test_take_up_used_ever_leaves_out_people_no_longer_eligible() -> None:
    aged_out = born_turning(25, END)
    row = one(LIFETIME, [(1, aged_out, [e(LIFETIME, START, 1_000)])])
    assert (row.eligible, row.used_ever, row.used_in_period) == (0, 0, 1)
    assert row.committed_pence == 1_000
    assert row.take_up_percent is None


def test_take_up_requested_and_declined_entries_are_not_use() -> None:
    people = [
        (1, PERSON, [e(LIFETIME, START, 1_000, S.REQUESTED)]),
        (2, PERSON, [e(LIFETIME, START, 1_000, S.DECLINED)]),
    ]
    row = one(LIFETIME, people)
    assert (row.eligible, row.used_ever, row.used_in_period) == (2, 0, 0)
    assert (row.committed_pence, row.paid_pence) == (0, 0)


def test_take_up_committed_is_approved_plus_paid_and_paid_is_paid_only() -> None:
    entries = [
        e(PER_MONTH, date(2026, 3, 2), 1_000, S.APPROVED),
        e(PER_MONTH, date(2026, 3, 3), 700, S.PAID),
        e(PER_MONTH, date(2026, 3, 4), 300, S.REQUESTED),
        e(PER_MONTH, date(2026, 3, 5), 900, S.DECLINED),
    ]
    row = one(PER_MONTH, [(1, PERSON, entries)])
    assert (row.committed_pence, row.paid_pence) == (1_700, 700)


def test_take_up_spend_counts_entries_from_start_to_end_inclusive() -> None:
    entries = [
        e(PER_MONTH, START - DAY, 1),
        e(PER_MONTH, START, 10),
        e(PER_MONTH, END, 100),
        e(PER_MONTH, END + DAY, 1_000),
    ]
    row = one(PER_MONTH, [(1, PERSON, entries)])
    assert (row.committed_pence, row.paid_pence) == (110, 110)


def test_take_up_used_in_period_counts_each_person_once() -> None:
    entries = [e(PER_MONTH, date(2026, 3, d), 100) for d in (2, 9, 16)]
    row = one(PER_MONTH, [(1, PERSON, entries), (2, PERSON, entries[:1])])
    assert row.used_in_period == 2
    assert row.committed_pence == 400


def test_take_up_of_a_quantity_item_adds_up_hours_in_the_period() -> None:
    entries = [
        e(HOURS, START, 4_000, quantity="1.5"),
        e(HOURS, END, quantity="2", status=S.APPROVED),
        e(HOURS, END, quantity="5", status=S.REQUESTED),
        e(HOURS, START - DAY, quantity="3"),
    ]
    row = one(HOURS, [(1, PERSON, entries)])
    assert row.quantity == Decimal("3.5")
    assert row.committed_pence == 4_000


def test_take_up_ignores_entries_for_items_not_in_the_report() -> None:
    entries = [e(PER_MONTH, START, 100), e(LIFETIME, START, 5_000)]
    rows = take_up([LIFETIME], [(1, PERSON, entries)], START, END)
    assert [(r.item, r.committed_pence) for r in rows] == [(LIFETIME, 5_000)]


def test_take_up_gives_one_row_per_item_in_catalogue_order() -> None:
    rows = take_up(CATALOGUE, [], START, END)
    assert [r.item for r in rows] == CATALOGUE
    assert all(r.eligible == 0 and r.take_up_percent is None for r in rows)


# --- properties: the allowance is never exceeded without an exception -------------------------


def accept(item: OfferItem, proposals: Sequence[LedgerEntry]) -> list[LedgerEntry]:
    """Check each proposal against those already accepted and keep those with no problems, as the
    service does before saving."""
    accepted: list[LedgerEntry] = []
    for entry in proposals:
        if not check_entry(item, entry, accepted, PERSON, is_new=True):
            accepted.append(entry)
    return accepted


def proposals(item: OfferItem, first: date, last: date, most: int) -> st.SearchStrategy:
    return st.lists(
        st.builds(
            LedgerEntry,
            item_id=st.just(item.id),
            on=st.dates(min_value=first, max_value=last),
            status=st.sampled_from(list(EntryStatus)),
            amount_pence=st.integers(min_value=1, max_value=most),
            exception=st.booleans(),
        ),
        max_size=25,
    ).map(lambda entries: [replace(x, id=n) for n, x in enumerate(entries, start=1)])


def normal_total_by_period(item: OfferItem, accepted: Sequence[LedgerEntry]) -> dict:
    totals: dict[Period | None, int] = defaultdict(int)
    for x in accepted:
        if x.status.counts and not x.exception:
            totals[period_for(item, x.on)] += x.amount_pence or 0
    return totals


@given(proposals(PER_MONTH, date(2026, 1, 1), date(2026, 4, 30), 1_200), st.data())
def test_no_month_ever_exceeds_its_allowance_whatever_the_order_of_entries(
    entries: list[LedgerEntry], data: st.DataObject
) -> None:
    for order in (entries, data.draw(st.permutations(entries))):
        totals = normal_total_by_period(PER_MONTH, accept(PER_MONTH, order))
        assert all(total <= 2_000 for total in totals.values())


@given(proposals(LIFETIME, date(2022, 6, 15), date(2031, 6, 14), 120_000), st.data())
def test_a_lifetime_allowance_is_never_exceeded_whatever_the_order_of_entries(
    entries: list[LedgerEntry], data: st.DataObject
) -> None:
    for order in (entries, data.draw(st.permutations(entries))):
        totals = normal_total_by_period(LIFETIME, accept(LIFETIME, order))
        assert set(totals) <= {None}
        assert totals[None] <= 300_000


@given(proposals(PER_MONTH, date(2026, 1, 1), date(2026, 3, 31), 1_200))
def test_check_entry_refuses_a_counting_entry_only_when_it_would_overspend(
    entries: list[LedgerEntry],
) -> None:
    """Every refusal is justified: the month's counted total plus the new amount is too much."""
    accepted: list[LedgerEntry] = []
    for entry in entries:
        problems = check_entry(PER_MONTH, entry, accepted, PERSON, is_new=True)
        month = period_for(PER_MONTH, entry.on)
        taken = sum(
            x.amount_pence or 0
            for x in accepted
            if x.status.counts and month is not None and month.contains(x.on)
        )
        overspends = taken + (entry.amount_pence or 0) > 2_000
        expect_refusal = entry.status.counts and not entry.exception and overspends
        assert bool(problems) is expect_refusal
        if problems:
            assert fields(problems) == ["amount"]
        else:
            accepted.append(entry)


@given(
    st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(6), places=2, allow_nan=False),
        max_size=15,
    )
)
def test_quantity_accepted_entries_never_exceed_the_hours_allowance(hours: list[Decimal]) -> None:
    accepted: list[LedgerEntry] = []
    for n, q in enumerate(hours, start=1):
        entry = e(HOURS, ON, quantity=q, id=n)
        if not check_entry(HOURS, entry, accepted, PERSON, is_new=True):
            accepted.append(entry)
    assert sum((x.quantity or Decimal(0) for x in accepted), Decimal(0)) <= Decimal(10)
    assert balance(HOURS, accepted, ON, PERSON).over_by == 0
