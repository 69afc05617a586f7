"""Recording duty facts."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from lvzhi.core.models import Member
from lvzhi.duties.models import DutyFact


def record_fact(member: Member, kind: str, source: Model, occurred_on: datetime.date,
                data: dict | None = None) -> DutyFact:
    """Record that `member` did `kind` through `source`; idempotent per (member, kind, source)."""
    fact, _ = DutyFact.objects.get_or_create(
        member=member,
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        defaults={"body_id": member.body_id, "occurred_on": occurred_on, "data": data or {}},
    )
    return fact


def withdraw_facts(sources: list[Model]) -> int:
    """Take back the facts recorded through `sources` (an attendance reopened by staff)."""
    if not sources:
        return 0
    kind = ContentType.objects.get_for_model(sources[0])
    deleted, _ = DutyFact.objects.filter(
        source_type=kind, source_id__in=[s.pk for s in sources]).delete()
    return deleted
