"""Which reports a user may see, and who works the body's opinion office."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.core import plain
from lvzhi.core.access import actor_for, bodies_with, get_by_key
from lvzhi.core.access import office_bodies as core_office_bodies
from lvzhi.opinions.models import OpinionRules, Report


def rules_for(body_id: int) -> OpinionRules:
    return plain.get_or_create(OpinionRules, body_id=body_id)


def reports_for(user: Any) -> QuerySet[Report]:
    """Own and co-reported reports; the body's submitted reports for its staff and leaders
    (and, read-only, for city oversight of the districts)."""
    if not user.is_authenticated:
        return Report.objects.none()
    readable = Q(body_id__in=bodies_with(user, "opinions.read_all")) & ~Q(
        state=Report.State.DRAFT)
    # Co-reporters read a report once it is submitted, never the reporter's draft. Their
    # reports as a list of ids read first: an OR of literal lists is served by an index on
    # both databases, where PostgreSQL scanned every report for an OR with a subquery.
    seats = actor_for(user).seat_ids
    co_reported = list(Report.co_reporters.through.objects.filter(
        member_id__in=seats).values_list("report_id", flat=True)) if seats else []
    own = Q(reporter=user) | (Q(pk__in=co_reported) & ~Q(state=Report.State.DRAFT))
    return Report.objects.filter(readable | own)


def body_reports_for(user: Any) -> QuerySet[Report]:
    """The office's view: submitted reports of the bodies the user reads. The same rows as
    reports_for() within those bodies, without its OR, so the indexes can serve it."""
    return Report.objects.filter(body_id__in=bodies_with(user, "opinions.read_all"))\
        .exclude(state=Report.State.DRAFT)


def get_report_for(user: Any, pk: int) -> Report:
    """The report, if `user` may see it (404 otherwise). Read by its key first: the
    reporter's and the office's common cases are decided without reports_for()'s ORs."""
    rows = Report.objects.select_related("body", "reporter", "member__sector", "issue")
    return get_by_key(user, rows, pk, plainly=_plainly_visible, visible=reports_for)


def _plainly_visible(user: Any, report: Report) -> bool:
    if not user.is_authenticated:
        return False
    return report.reporter_id == user.pk or (
        report.state != Report.State.DRAFT
        and report.body_id in bodies_with(user, "opinions.read_all"))


def office_bodies(user: Any) -> set[int]:
    """Bodies whose opinion office this user works in."""
    return core_office_bodies(user, "opinions.process", OpinionRules)
