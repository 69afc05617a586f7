"""Background work: a body's results recomputed after its facts change, and the daily
at-risk pass (warnings start on the rule set's date without any fact changing)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from lvzhi.core.models import Body, Member
from lvzhi.duties import services


def open_years(body_id: int, among: set[int] | None = None) -> list[int]:
    """This evaluation year, and last year's while it is still open (its correction window
    may change it); only those `among` when given."""
    year = services.year_of(body_id, timezone.localdate())
    return [y for y in (year - 1, year) if (among is None or y in among)
            and not services.year_state(body_id, y).frozen]


def _years(body_id: int, days: list[str] | None) -> list[int]:
    """The open years `days` fall in (every open year without days)."""
    return open_years(body_id, None if days is None else {
        services.year_of(body_id, datetime.date.fromisoformat(day)) for day in days})


@task()
def recompute_members(member_ids: list[int], days: list[str] | None = None) -> int:
    """After facts changed: each member's open years recomputed — only those `days`
    (ISO dates) fall in, when given — then their bodies' ranks (a few milliseconds a
    member, where a whole body takes a second or more). The facts are read first; the
    results are written in one transaction, one turn at the lock."""
    years: dict[int, list] = {}  # body id -> its open years and their rules, read once
    fresh = []
    with services.rules_read_once():
        for member in Member.objects.filter(pk__in=member_ids).order_by():
            if member.body_id not in years:
                years[member.body_id] = [(y, services.year_rules(member.body_id, y))
                                         for y in _years(member.body_id, days)]
            fresh += [found for year, known in years[member.body_id] if isinstance(
                found := services.fresh_result(member, year, known=known), services.Fresh)]
    touched = sorted({(f.member.body_id, f.year) for f in fresh})
    with transaction.atomic():
        for found in fresh:
            services.write(found)
        for body_id, year in touched:
            services.figures_changed(body_id, year)
            services.rerank_soon(body_id, year)
    return len(member_ids)


@task()
def recompute_body(body_id: int, warn: bool = False) -> int:
    return sum(services.recompute(body_id, year, warn=warn) for year in open_years(body_id))


@task()
def daily_evaluation() -> int:
    """Every body's open years, telling members newly at risk (once per reason)."""
    return sum(recompute_body.call(body_id, warn=True) for body_id in
               Body.objects.values_list("pk", flat=True))
