"""The activity figures of a body's year for the city's evaluation of districts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.activities.models import Activity, Invitation
from lvzhi.core import figures

I = Invitation.Attendance  # noqa: E741


def _held(body_id: int, year: int):
    return Activity.objects.filter(body_id=body_id, starts_at__year=year,
                                   state=Activity.State.CLOSED)


def _attendance(body_id: int, year: int) -> float:
    rows = Invitation.objects.filter(activity__in=_held(body_id, year))
    return figures.rate(rows.filter(attendance__in=(I.PRESENT, I.LATE)).count(), rows.count())


def register() -> None:
    figures.register("activities_held", _("开展协商议政活动"), _("次"),
                     lambda b, y: _held(b, y).count())
    figures.register("attendance", _("委员出勤率"), "%", _attendance)
