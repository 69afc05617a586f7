"""Working days by the Chinese official calendar, and years without a schedule."""

import datetime

import pytest

from lvzhi.core.models import CalendarDay
from lvzhi.core.workdays import WorkCalendar, add_calendar_months, add_months, add_workdays

pytestmark = pytest.mark.django_db
D = datetime.date


def test_spring_festival_2023_holiday_is_skipped():
    # 2023-01-21..27 were the Spring Festival holiday; 01-28 and 01-29 (Sat, Sun) were
    # make-up workdays. Five working days after Friday 01-20: 28, 29, 30, 31, 02-01.
    assert add_workdays(D(2023, 1, 20), 5) == D(2023, 2, 1)


def test_make_up_saturday_counts_and_national_day_does_not():
    cal = WorkCalendar()
    assert cal.is_workday(D(2022, 10, 8))  # Saturday, make-up workday
    assert not cal.is_workday(D(2022, 10, 3))  # National Day holiday (Monday)
    # Friday 2022-09-30 + 1 working day skips the whole holiday to Saturday 10-08.
    assert add_workdays(D(2022, 9, 30), 1) == D(2022, 10, 8)


def test_workdays_between_counts_the_holiday_out():
    assert WorkCalendar().workdays_between(D(2022, 9, 30), D(2022, 10, 9)) == 2  # 8th, 9th


def test_month_deadline_lands_on_holiday_and_moves_to_next_workday():
    # 2022-07-01 + 3 months = 2022-10-01, inside the National Day holiday -> 10-08.
    assert add_months(D(2022, 7, 1), 3) == D(2022, 10, 8)
    assert add_calendar_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_calendar_months(D(2023, 11, 30), 3) == D(2024, 2, 29)


def test_year_without_schedule_counts_monday_to_friday_and_says_so():
    cal = WorkCalendar()
    assert not cal.schedule_known(2027)
    # Friday 2027-01-01 is New Year's Day in reality, but nobody entered 2027 yet.
    assert cal.is_workday(D(2027, 1, 1))
    assert add_workdays(D(2026, 12, 31), 2) == D(2027, 1, 4)
    assert "2027 年的节假日安排尚未录入" in cal.unknown_years_note(D(2027, 3, 1))
    assert cal.unknown_years_note(D(2022, 3, 1)) == ""


def test_admin_entered_schedule_overrides_for_a_new_year():
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=D(2027, 1, 9), is_workday=True, name="调休上班")
    cal = WorkCalendar()
    assert cal.schedule_known(2027)
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2027, 1, 9))  # a Saturday
    assert cal.unknown_years_note(D(2027, 1, 1)) == ""
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
