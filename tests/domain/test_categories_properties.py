"""Properties of category_on over generated care histories (DESIGN 3.1).

Looked-after periods are generated without overlaps, as the services refuse overlapping ones.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.categories import THIRTEEN_WEEKS, CareHistory, CarePeriod, category_on
from careleaver_app.domain.codes import CareKind, LeaverCategory
from careleaver_app.domain.dates import age_on, birthday

NONE = LeaverCategory.NOT_A_CARE_LEAVER


def days(n: int) -> timedelta:
    return timedelta(days=n)


@st.composite
def care_histories(draw: st.DrawFn) -> CareHistory:
    """A date of birth, 0-4 looked-after periods from age 12 on, and some other care."""
    dob = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2014, 12, 31)))
    cursor = dob + days(draw(st.integers(min_value=12 * 365, max_value=18 * 365)))
    periods: list[CarePeriod] = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        nights = draw(st.integers(min_value=1, max_value=400))
        periods.append(CarePeriod(cursor, cursor + days(nights)))
        cursor += days(nights + draw(st.integers(min_value=0, max_value=300)))
    if draw(st.booleans()):
        periods.append(CarePeriod(cursor))
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        start = dob + days(draw(st.integers(min_value=0, max_value=20 * 365)))
        nights = draw(st.none() | st.integers(min_value=1, max_value=1000))
        kind = draw(st.sampled_from([CareKind.ACCOMMODATED, CareKind.SPECIAL_GUARDIANSHIP]))
        periods.append(CarePeriod(start, None if nights is None else start + days(nights), kind))
    return CareHistory(dob, tuple(periods), draw(st.booleans()))


def date_between(data: st.DataObject, first: date, before: date) -> date:
    return data.draw(st.dates(min_value=first, max_value=before - days(1)))


@given(care=care_histories(), data=st.data())
def test_nobody_is_a_care_leaver_before_16_or_from_25(care: CareHistory, data) -> None:
    dob = care.date_of_birth
    early = date_between(data, dob - days(60), birthday(dob, 16))
    late = date_between(data, birthday(dob, 25), birthday(dob, 30))
    for on in (early, late):
        assert category_on(care, on, in_education_or_training=True) is NONE
        assert category_on(care, on, requested_pa_support=True) is NONE


@given(care=care_histories(), data=st.data())
def test_eligible_only_at_16_or_17_while_looked_after_with_13_weeks(care, data) -> None:
    dob = care.date_of_birth
    on = date_between(data, birthday(dob, 16), birthday(dob, 18))
    looked_after = care.looked_after_on(on)
    has_13_weeks = care.time_looked_after_since_14(on) >= THIRTEEN_WEEKS
    category = category_on(care, on)
    assert (category is LeaverCategory.ELIGIBLE) == (looked_after and has_13_weeks)
    if looked_after:
        assert category in (LeaverCategory.ELIGIBLE, NONE)


@given(care=care_histories(), data=st.data())
def test_relevant_only_at_16_or_17_when_not_looked_after(care, data) -> None:
    dob = care.date_of_birth
    on = date_between(data, dob, birthday(dob, 30))
    if category_on(care, on) is LeaverCategory.RELEVANT:
        assert 16 <= age_on(dob, on) <= 17
        assert not care.looked_after_on(on)


@given(care=care_histories(), data=st.data())
def test_qualifying_only_at_16_to_20(care, data) -> None:
    dob = care.date_of_birth
    on = date_between(data, dob, birthday(dob, 30))
    if category_on(care, on, in_education_or_training=True) is LeaverCategory.QUALIFYING:
        assert 16 <= age_on(dob, on) <= 20


@given(care=care_histories(), data=st.data())
def test_former_relevant_from_18_and_after_21_only_with_education_or_a_request(care, data) -> None:
    dob = care.date_of_birth
    on = date_between(data, dob, birthday(dob, 30))
    age = age_on(dob, on)
    if category_on(care, on) is LeaverCategory.FORMER_RELEVANT:
        assert 18 <= age <= 21
    if category_on(care, on, requested_pa_support=True) is LeaverCategory.FORMER_RELEVANT:
        assert 18 <= age <= 24


@given(care=care_histories(), data=st.data())
def test_education_and_requests_change_nothing_before_the_22nd_birthday(care, data) -> None:
    dob = care.date_of_birth
    on = date_between(data, dob, birthday(dob, 22))
    plain = category_on(care, on)
    assert category_on(care, on, in_education_or_training=True) is plain
    assert category_on(care, on, requested_pa_support=True) is plain


@given(care=care_histories(), data=st.data())
def test_eligible_or_relevant_at_16_or_17_means_former_relevant_through_21(care, data) -> None:
    """Anyone who was eligible or relevant on some day before 18 is former relevant at 18-21."""
    dob = care.date_of_birth
    before_18 = date_between(data, birthday(dob, 16), birthday(dob, 18))
    after_18 = date_between(data, birthday(dob, 18), birthday(dob, 22))
    if category_on(care, before_18) in (LeaverCategory.ELIGIBLE, LeaverCategory.RELEVANT):
        assert category_on(care, after_18) is LeaverCategory.FORMER_RELEVANT


@given(care=care_histories(), data=st.data())
def test_eligible_stays_eligible_while_care_continues_before_18(care, data) -> None:
    dob = care.date_of_birth
    first = date_between(data, birthday(dob, 16), birthday(dob, 18))
    later = date_between(data, first, birthday(dob, 18))
    continuous = any(p.covers(first) and p.covers(later) for p in care.looked_after_periods)
    if category_on(care, first) is LeaverCategory.ELIGIBLE and continuous:
        assert category_on(care, later) is LeaverCategory.ELIGIBLE


@given(care=care_histories(), data=st.data())
def test_relevant_stays_relevant_until_18_while_out_of_care(care, data) -> None:
    dob = care.date_of_birth
    first = date_between(data, birthday(dob, 16), birthday(dob, 18))
    later = date_between(data, first, birthday(dob, 18))
    out_throughout = not any(
        p.covers_any_day_in(first, later + days(1)) for p in care.looked_after_periods
    )
    if category_on(care, first) is LeaverCategory.RELEVANT and out_throughout:
        assert category_on(care, later) is LeaverCategory.RELEVANT
