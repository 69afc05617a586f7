"""Reports on the same matter in the office's queue (several reporters, one matter): the
candidates for a combined (综合) adoption."""

from __future__ import annotations

from typing import Any

from lvzhi.opinions.access import office_bodies
from lvzhi.opinions.models import Report
from lvzhi.search.similar import groups

QUEUE = 150  # the newest waiting reports compared with each other, per body


def queue_groups(user: Any) -> list[list[Report]]:
    found: list[list[Report]] = []
    for body_id in sorted(office_bodies(user)):
        waiting = list(Report.objects.filter(body_id=body_id, state=Report.State.SUBMITTED)
                       .order_by("-submitted_at", "-pk").values_list("pk", flat=True)[:QUEUE])
        clusters = groups("report", waiting)
        reports = Report.objects.in_bulk([pk for g in clusters for pk in g])
        found += [[reports[pk] for pk in g] for g in clusters]
    return found
