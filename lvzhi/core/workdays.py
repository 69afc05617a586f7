"""Working-day arithmetic by the Chinese official calendar.

Sources, in order: days an admin entered (CalendarDay, for years the package does not yet
know, or to correct it), then the `chinese-calendar` package, then plain Monday–Friday for a
year nobody has published a schedule for. That last case never raises: callers show
`unknown_years_note` wherever such a deadline is displayed.
"""

from __future__ import annotations

import calendar
import datetime

import chinese_calendar
from django.utils.translation import gettext as _

from lvzhi.core.models import CalendarDay

_PACKAGE_YEARS = {day.year for day in chinese_calendar.holidays} | {
    day.year for day in chinese_calendar.workdays
}


class WorkCalendar:
    """Answers for one computation; reads each year's admin entries once."""

    def __init__(self) -> None:
        self._entered: dict[int, dict[datetime.date, bool]] = {}

    def _entries(self, year: int) -> dict[datetime.date, bool]:
        if year not in self._entered:
            self._entered[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            )
        return self._entered[year]

    def schedule_known(self, year: int) -> bool:
        return year in _PACKAGE_YEARS or bool(self._entries(year))

    def is_workday(self, day: datetime.date) -> bool:
        entered = self._entries(day.year)
        if day in entered:
            return entered[day]
        if day.year in _PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def add_workdays(self, start: datetime.date, count: int) -> datetime.date:
        """The `count`-th working day after `start` (start itself is not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        days = (end - start).days
        return sum(1 for i in range(1, days + 1)
                   if self.is_workday(start + datetime.timedelta(days=i)))

    def add_months(self, start: datetime.date, months: int) -> datetime.date:
        """Calendar months from `start`, moved on to the next working day if needed."""
        return self.next_workday(add_calendar_months(start, months))

    def unknown_years_note(self, *days: datetime.date) -> str:
        """A note for staff when a date falls in a year without an official schedule."""
        missing = sorted({d.year for d in days if not self.schedule_known(d.year)})
        if not missing:
            return ""
        years = "、".join(str(year) for year in missing)
        return _("%(years)s 年的节假日安排尚未录入，期限暂按周一至周五计算。") % {"years": years}


def add_calendar_months(start: datetime.date, months: int) -> datetime.date:
    """Same day `months` later; the month's last day when it is shorter (1-31 + 1 = 2-28)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    return WorkCalendar().add_workdays(start, count)


def add_months(start: datetime.date, months: int) -> datetime.date:
    return WorkCalendar().add_months(start, months)


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)
