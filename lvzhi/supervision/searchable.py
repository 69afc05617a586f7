"""Supervision problems (and so their rectification items) in the search box."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.paths import object_url
from lvzhi.search import index
from lvzhi.supervision.access import problems_for
from lvzhi.supervision.models import Problem


def register() -> None:
    index.register(index.Kind(
        "problem", _("监督问题"), Problem, _document, problems_for,
        lambda pk, title: object_url("supervision:problem", pk),
        rows=lambda: Problem.objects.select_related("topic", "unit"), time="created_at",
        reads_all="supervision.read_all", light=index.state_column))


def _document(p: Problem) -> index.Document:
    topic = p.topic.title if p.topic_id else ""
    unit = p.unit.name if p.unit_id else ""
    return index.Document(
        p.body_id, p.description[:80], [p.description, p.place, topic, unit, p.party_ref],
        snippet=f"{p.description} {p.place} {unit}", year=p.created_at.year,
        state=index.state_label(p), happened_at=p.created_at)
