"""Ledger tasks in the search box (the work plan's tasks, the city's items, rectification
items), for whoever reads them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lvzhi.core.paths import object_url
from lvzhi.ledgers.models import Task
from lvzhi.ledgers.services import tasks_for
from lvzhi.search import index


def register() -> None:
    index.register(index.Kind(
        "task", _("台账任务"), Task, _document, tasks_for,
        lambda pk, title: object_url("ledgers:task", pk),
        rows=lambda: Task.objects.select_related("ledger", "department", "unit"),
        time="created_at",
        reads_all="ledgers.read_all", light=index.state_column))


def _document(t: Task) -> index.Document:
    owner = t.unit.name if t.unit_id else (t.department.name if t.department_id else "")
    return index.Document(
        t.body_id, t.title, [owner, t.leader, t.cooperating, str(t.get_category_display())],
        snippet=" ".join(x for x in (owner, t.leader, t.cooperating) if x),
        year=t.ledger.year, state=index.state_label(t), happened_at=t.created_at)
