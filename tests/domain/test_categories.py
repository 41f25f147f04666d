"""Care leaver category on a date (domain.categories, DESIGN 3.1): each category and boundary.

Conventions pinned here (see the module docstring): a care period is half-open, its end date is
the day care ended; time looked after is counted in nights since the 14th birthday, and 13 weeks
is 91 nights.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from careleaver_app.domain.categories import CareHistory, CarePeriod, category_on
from careleaver_app.domain.codes import CareKind, LeaverCategory
from careleaver_app.domain.dates import birthday

ELIGIBLE = LeaverCategory.ELIGIBLE
RELEVANT = LeaverCategory.RELEVANT
FORMER = LeaverCategory.FORMER_RELEVANT
QUALIFYING = LeaverCategory.QUALIFYING
NONE = LeaverCategory.NOT_A_CARE_LEAVER

DOB = date(2008, 6, 15)
DAY = timedelta(days=1)


def bd(age: int, plus_days: int = 0) -> date:
    """The `age`th birthday of DOB, moved by `plus_days`."""
    return birthday(DOB, age) + timedelta(days=plus_days)


def history(*periods: CarePeriod, detained: bool = False, dob: date = DOB) -> CareHistory:
    return CareHistory(dob, periods, detained_or_in_hospital_on_16th_birthday=detained)


# Looked after from the 15th birthday and never left: eligible from 16, former relevant from 18.
LONG_TERM = history(CarePeriod(bd(15)))
# Looked after from 15 and left care six months after the 16th birthday: relevant until 18.
LEFT_AT_16_AND_A_HALF = history(CarePeriod(bd(15), bd(16, 183)))


# --- boundaries of age -----------------------------------------------------------------------


def test_a_looked_after_child_is_not_a_care_leaver_the_day_before_the_16th_birthday() -> None:
    assert category_on(LONG_TERM, bd(16, -1)) is NONE


def test_a_long_term_looked_after_child_becomes_eligible_on_the_16th_birthday() -> None:
    assert category_on(LONG_TERM, bd(16)) is ELIGIBLE


def test_eligible_lasts_until_the_day_before_the_18th_birthday() -> None:
    assert category_on(LONG_TERM, bd(18, -1)) is ELIGIBLE


def test_eligible_becomes_former_relevant_on_the_18th_birthday() -> None:
    assert category_on(LONG_TERM, bd(18)) is FORMER


def test_relevant_lasts_until_the_day_before_the_18th_birthday() -> None:
    assert category_on(LEFT_AT_16_AND_A_HALF, bd(18, -1)) is RELEVANT


def test_relevant_becomes_former_relevant_on_the_18th_birthday() -> None:
    assert category_on(LEFT_AT_16_AND_A_HALF, bd(18)) is FORMER


@pytest.mark.parametrize("care", [LONG_TERM, LEFT_AT_16_AND_A_HALF], ids=["eligible", "relevant"])
def test_former_relevant_is_unconditional_through_age_21(care: CareHistory) -> None:
    """Until the 22nd birthday no education, training or request for support is needed."""
    assert category_on(care, bd(21)) is FORMER
    assert category_on(care, bd(22, -1)) is FORMER


def test_former_relevant_ends_on_the_22nd_birthday_without_education_or_a_request() -> None:
    assert category_on(LONG_TERM, bd(22)) is NONE
    assert category_on(LONG_TERM, bd(24)) is NONE


def test_former_relevant_continues_at_22_to_24_while_in_education_or_training() -> None:
    assert category_on(LONG_TERM, bd(22), in_education_or_training=True) is FORMER
    assert category_on(LONG_TERM, bd(25, -1), in_education_or_training=True) is FORMER


def test_former_relevant_continues_at_22_to_24_when_pa_support_was_requested() -> None:
    assert category_on(LONG_TERM, bd(22), requested_pa_support=True) is FORMER
    assert category_on(LONG_TERM, bd(25, -1), requested_pa_support=True) is FORMER


def test_nobody_is_a_care_leaver_from_the_25th_birthday() -> None:
    on = bd(25)
    assert category_on(LONG_TERM, on, in_education_or_training=True) is NONE
    assert category_on(LONG_TERM, on, requested_pa_support=True) is NONE


def test_a_date_before_birth_is_not_a_care_leaver_rather_than_an_error() -> None:
    assert category_on(LONG_TERM, DOB - DAY) is NONE


def test_someone_never_in_care_is_never_a_care_leaver() -> None:
    never = history()
    for age in (0, 15, 16, 17, 18, 21, 24):
        assert category_on(never, bd(age)) is NONE


# --- 13 weeks since the 14th birthday --------------------------------------------------------


def test_looked_after_for_90_nights_since_the_16th_birthday_is_not_yet_eligible() -> None:
    """Still looked after but under 13 weeks: a looked-after child, not a care leaver."""
    care = history(CarePeriod(bd(16)))
    assert category_on(care, bd(16, 90)) is NONE


def test_looked_after_for_91_nights_is_eligible() -> None:
    care = history(CarePeriod(bd(16)))
    assert category_on(care, bd(16, 91)) is ELIGIBLE


def test_newly_looked_after_at_17_stays_not_a_care_leaver_for_13_weeks() -> None:
    care = history(CarePeriod(bd(17)))
    assert category_on(care, bd(17)) is NONE
    assert category_on(care, bd(17, 90)) is NONE
    assert category_on(care, bd(17, 91)) is ELIGIBLE


def test_nights_counted_from_the_14th_birthday_make_a_16_year_old_eligible_at_once() -> None:
    """Looked after from 91 nights before the 16th birthday: eligible on the birthday."""
    care = history(CarePeriod(bd(16, -91)))
    assert category_on(care, bd(16)) is ELIGIBLE


def test_time_before_the_14th_birthday_is_not_counted() -> None:
    """Four years in care from age 10 count only the 89 nights after 14: 89 + 1 = 90 nights."""
    care = history(CarePeriod(bd(10), bd(14, 89)), CarePeriod(bd(16), bd(16, 1)))
    assert category_on(care, bd(16, 10)) is QUALIFYING


def test_91_nights_since_14_summed_across_periods_make_the_leaver_relevant() -> None:
    """60 nights from the 14th birthday (care began at 13) plus 31 nights after 16 = 91."""
    care = history(CarePeriod(bd(13), bd(14, 60)), CarePeriod(bd(16), bd(16, 31)))
    assert category_on(care, bd(16, 31)) is RELEVANT
    assert category_on(care, bd(18)) is FORMER


def test_90_nights_since_14_summed_across_periods_leave_the_leaver_qualifying() -> None:
    """59 nights from the 14th birthday plus 31 after 16 = 90: one night short of 13 weeks."""
    care = history(CarePeriod(bd(13), bd(14, 59)), CarePeriod(bd(16), bd(16, 31)))
    assert category_on(care, bd(16, 31)) is QUALIFYING
    assert category_on(care, bd(18)) is QUALIFYING


def test_three_short_periods_after_14_add_up_to_13_weeks() -> None:
    care = history(
        CarePeriod(bd(14, 100), bd(14, 130)),  # 30 nights
        CarePeriod(bd(15, 10), bd(15, 40)),  # 30 nights
        CarePeriod(bd(16, 5), bd(16, 36)),  # 31 nights
    )
    assert category_on(care, bd(16, 36)) is RELEVANT


def test_a_period_of_exactly_13_weeks_ending_after_16_counts_in_full() -> None:
    """On the last day looked after it is 90 nights; once care ends the full 91 count."""
    care = history(CarePeriod(bd(16), bd(16, 91)))
    assert category_on(care, bd(16, 90)) is NONE
    assert category_on(care, bd(16, 91)) is RELEVANT


def test_a_period_of_90_nights_after_16_gives_only_qualifying() -> None:
    care = history(CarePeriod(bd(16), bd(16, 90)))
    assert category_on(care, bd(16, 90)) is QUALIFYING


# --- care ending on or after the 16th birthday ----------------------------------------------


def test_care_ending_on_the_16th_birthday_makes_no_care_leaver() -> None:
    """The end date is the day care ended, so on the 16th birthday they were not looked after."""
    care = history(CarePeriod(bd(14), bd(16)))
    assert category_on(care, bd(16)) is NONE
    assert category_on(care, bd(17)) is NONE
    assert category_on(care, bd(18)) is NONE


def test_care_ending_the_day_after_the_16th_birthday_makes_the_leaver_relevant() -> None:
    care = history(CarePeriod(bd(14), bd(16, 1)))
    assert category_on(care, bd(16)) is ELIGIBLE
    assert category_on(care, bd(16, 1)) is RELEVANT
    assert category_on(care, bd(18)) is FORMER


def test_a_return_to_care_after_being_relevant_makes_the_young_person_eligible_again() -> None:
    care = history(CarePeriod(bd(15), bd(16, 100)), CarePeriod(bd(17)))
    assert category_on(care, bd(16, 200)) is RELEVANT
    assert category_on(care, bd(17)) is ELIGIBLE


def test_care_ending_on_the_day_asked_about_already_counts_as_ended() -> None:
    care = history(CarePeriod(bd(15), bd(17)))
    assert category_on(care, bd(17, -1)) is ELIGIBLE
    assert category_on(care, bd(17)) is RELEVANT


# --- detained or in hospital on the 16th birthday -------------------------------------------


DETENTION_CARE = CarePeriod(bd(14, 10), bd(16, -5))  # well over 13 weeks, ended before 16


def test_detained_on_the_16th_birthday_after_13_weeks_is_relevant() -> None:
    care = history(DETENTION_CARE, detained=True)
    assert category_on(care, bd(16)) is RELEVANT
    assert category_on(care, bd(18, -1)) is RELEVANT


def test_detained_on_the_16th_birthday_becomes_former_relevant_at_18() -> None:
    care = history(DETENTION_CARE, detained=True)
    assert category_on(care, bd(18)) is FORMER
    assert category_on(care, bd(22, -1)) is FORMER


def test_detention_route_does_not_apply_before_the_16th_birthday() -> None:
    care = history(DETENTION_CARE, detained=True)
    assert category_on(care, bd(16, -1)) is NONE


def test_same_care_without_detention_on_the_16th_birthday_makes_no_care_leaver() -> None:
    care = history(DETENTION_CARE)
    assert category_on(care, bd(16, 10)) is NONE
    assert category_on(care, bd(18)) is NONE


def test_detention_route_needs_13_weeks_looked_after_since_14() -> None:
    care = history(CarePeriod(bd(16, -91), bd(16, -1)), detained=True)  # 90 nights
    assert category_on(care, bd(16, 10)) is NONE


def test_detention_route_counts_91_nights_since_14() -> None:
    care = history(CarePeriod(bd(16, -92), bd(16, -1)), detained=True)  # 91 nights
    assert category_on(care, bd(16, 10)) is RELEVANT


# --- qualifying ------------------------------------------------------------------------------


def test_special_guardianship_after_16_gives_qualifying_not_eligible() -> None:
    care = history(CarePeriod(bd(12), kind=CareKind.SPECIAL_GUARDIANSHIP))
    assert category_on(care, bd(16, -1)) is NONE
    assert category_on(care, bd(16)) is QUALIFYING
    assert category_on(care, bd(19)) is QUALIFYING


def test_accommodated_after_16_gives_qualifying() -> None:
    care = history(CarePeriod(bd(16, 30), bd(17), kind=CareKind.ACCOMMODATED))
    assert category_on(care, bd(16, 29)) is NONE
    assert category_on(care, bd(16, 30)) is QUALIFYING
    assert category_on(care, bd(18)) is QUALIFYING


def test_accommodation_ending_before_16_gives_nothing() -> None:
    care = history(CarePeriod(bd(14), bd(16), kind=CareKind.ACCOMMODATED))
    assert category_on(care, bd(16)) is NONE


def test_accommodated_time_does_not_count_towards_13_weeks() -> None:
    care = history(
        CarePeriod(bd(14), bd(16), kind=CareKind.ACCOMMODATED),
        CarePeriod(bd(16), bd(16, 30)),
    )
    assert category_on(care, bd(16, 30)) is QUALIFYING


def test_qualifying_lasts_until_the_day_before_the_21st_birthday() -> None:
    care = history(CarePeriod(bd(16), bd(16, 30)))
    assert category_on(care, bd(21, -1)) is QUALIFYING
    assert category_on(care, bd(21)) is NONE


def test_qualifying_is_not_extended_by_education_or_a_request_for_support() -> None:
    care = history(CarePeriod(bd(16), bd(16, 30)))
    on = bd(22)
    assert category_on(care, on, in_education_or_training=True, requested_pa_support=True) is NONE


def test_care_that_only_starts_after_the_18th_birthday_does_not_qualify() -> None:
    care = history(CarePeriod(bd(18), bd(19), kind=CareKind.ACCOMMODATED))
    assert category_on(care, bd(18, 10)) is NONE


def test_a_future_period_does_not_qualify_before_it_starts() -> None:
    care = history(CarePeriod(bd(17), bd(17, 30), kind=CareKind.ACCOMMODATED))
    assert category_on(care, bd(17, -1)) is NONE
    assert category_on(care, bd(17)) is QUALIFYING


# --- 29 February births -----------------------------------------------------------------------


LEAP_DOB = date(2008, 2, 29)


def test_29_february_birth_is_eligible_from_29_february_in_a_leap_16th_year() -> None:
    care = history(CarePeriod(date(2023, 1, 1)), dob=LEAP_DOB)
    assert category_on(care, date(2024, 2, 28)) is NONE
    assert category_on(care, date(2024, 2, 29)) is ELIGIBLE


def test_29_february_birth_turns_18_on_1_march_in_a_common_year() -> None:
    care = history(CarePeriod(date(2023, 1, 1)), dob=LEAP_DOB)
    assert category_on(care, date(2026, 2, 28)) is ELIGIBLE
    assert category_on(care, date(2026, 3, 1)) is FORMER


def test_29_february_birth_counts_nights_from_1_march_of_the_14th_year() -> None:
    """14th birthday 1 March 2022: the night of 28 February is not counted, so 89 + 1 = 90."""
    care = history(
        CarePeriod(date(2022, 2, 28), date(2022, 3, 1) + timedelta(days=89)),
        CarePeriod(date(2024, 3, 1), date(2024, 3, 2)),
        dob=LEAP_DOB,
    )
    assert category_on(care, date(2024, 3, 10)) is QUALIFYING
