"""The official holiday schedule entered by admins for years the calendar package lacks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day the State Council's schedule makes a holiday or a make-up workday (调休上班).

    National, not per body: every body follows the same schedule. Rows here override the
    `chinese-calendar` package, so a correction never waits for a package release.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), help_text=_("勾选表示调休上班，不勾选表示放假"))
    name = models.CharField(_("说明"), max_length=40, blank=True,
                            help_text=_("例如：春节、国庆节调休"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}"
