"""Working days skip weekends and the bank holidays of the partnership's nation, in every rule."""

from __future__ import annotations

import pytest

from reporting.flags.dates import add_working_days, bank_holiday_nation, is_working_day, working_days_between
from tests.flags.builders import SCHOOL, CaseBuilder, D


def test_easter_is_not_working_days_in_england_and_wales():
    # Thursday 2 April 2026 + 1 working day: Good Friday and Easter Monday are bank holidays.
    assert add_working_days(D(2026, 4, 2), 1, "england_and_wales") == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 2), 1, "scotland") == D(2026, 4, 6)


@pytest.mark.parametrize(
    ("nation", "day"),
    [("scotland", D(2026, 11, 30)), ("northern_ireland", D(2026, 3, 17)), ("northern_ireland", D(2026, 7, 13))],
)
def test_each_nation_has_its_own_bank_holidays(nation, day):
    assert not is_working_day(day, nation)
    assert is_working_day(day, "england_and_wales")


def test_working_days_between_counts_the_days_after_the_first_up_to_the_last():
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 9), "england_and_wales") == 5
    assert working_days_between(D(2026, 3, 9), D(2026, 3, 9), "england_and_wales") == 0


def test_substitute_days_are_bank_holidays():
    # Boxing Day 2026 is a Saturday: Monday 28 December is the substitute day.
    assert add_working_days(D(2026, 12, 24), 1, "england_and_wales") == D(2026, 12, 29)


def test_the_nation_is_a_setting(settings):
    settings.BANK_HOLIDAYS_NATION = "northern_ireland"
    assert bank_holiday_nation() == "northern_ireland"
    assert add_working_days(D(2026, 3, 16), 1) == D(2026, 3, 18)


def test_referral_no_outcome_counts_working_days_without_bank_holidays():
    case = CaseBuilder()
    case.entry("referral_made", D(2026, 3, 30), agency=SCHOOL)
    # 10 working days after Monday 30 March skip Good Friday and Easter Monday: 15 April.
    assert case.flags("referral_no_outcome", D(2026, 4, 15)) == []
    [flag] = case.flags("referral_no_outcome", D(2026, 4, 16))
    assert "by 15 April 2026" in flag.explanation
