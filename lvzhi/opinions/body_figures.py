"""The opinion-report figures of a body's year for the city's evaluation of districts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core import figures
from lvzhi.opinions.models import Report

R = Report.State


def register() -> None:
    figures.register("reports_adopted", _("采用社情民意信息"), _("篇"), lambda b, y: Report.objects
                     .filter(body_id=b, adopted_at__year=y,
                             state__in=(R.ADOPTED, R.PUBLISHED)).count())
    # Forwarded up: copies made at a higher level from this body's reports.
    figures.register("reports_forwarded", _("向上报送社情民意信息"), _("篇"), lambda b, y: Report
                     .objects.filter(forwarded_from__body_id=b, created_at__year=y).count())
