"""Record retention (domain.retention, DESIGN 3.6): kept to the 75th birthday, then purgeable."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.dates import age_on
from careleaver_app.domain.retention import RETENTION_AGE, may_purge, retention_date

DAY = timedelta(days=1)


def test_records_are_kept_to_the_75th_birthday() -> None:
    assert RETENTION_AGE == 75
    assert retention_date(date(2008, 6, 15)) == date(2083, 6, 15)


def test_a_29_february_birth_is_retained_until_1_march_of_the_75th_year() -> None:
    """A leap year plus 75 is always a common year, so the 75th birthday is 1 March."""
    assert retention_date(date(2008, 2, 29)) == date(2083, 3, 1)
    assert not may_purge(date(2008, 2, 29), date(2083, 2, 28))
    assert may_purge(date(2008, 2, 29), date(2083, 3, 1))


def test_a_record_may_not_be_purged_the_day_before_the_75th_birthday() -> None:
    assert not may_purge(date(2008, 6, 15), date(2083, 6, 14))


def test_a_record_may_be_purged_from_the_75th_birthday() -> None:
    assert may_purge(date(2008, 6, 15), date(2083, 6, 15))
    assert may_purge(date(2008, 6, 15), date(2090, 1, 1))


def test_a_young_care_leavers_record_may_not_be_purged_today() -> None:
    assert not may_purge(date(2008, 6, 15), date(2026, 11, 26))


@given(dob=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_the_retention_date_is_the_first_day_aged_75(dob: date) -> None:
    keep_until = retention_date(dob)
    assert age_on(dob, keep_until) == 75
    assert age_on(dob, keep_until - DAY) == 74
    assert may_purge(dob, keep_until)
    assert not may_purge(dob, keep_until - DAY)
