"""Activities in the search box, with their outcomes (协商意见, 调研报告 …)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.activities.access import activities_for
from lvzhi.activities.models import Activity, Outcome
from lvzhi.core.paths import object_url
from lvzhi.search import index


def register() -> None:
    index.register(index.Kind(
        "activity", _("活动"), Activity, _document, activities_for,
        lambda pk, title: object_url("activities:detail", pk),
        rows=lambda: Activity.objects.prefetch_related("outcomes"), time="starts_at",
        related={Outcome: lambda outcome: outcome.activity},
        reads_all="activities.read_all", light=index.state_column))


def _document(a: Activity) -> index.Document:
    outcomes = [f"{o.title} {o.text}" for o in a.outcomes.all()]
    day = timezone.localtime(a.starts_at)
    return index.Document(
        a.body_id, a.title, [str(a.get_kind_display()), a.place, a.agenda, *outcomes],
        snippet=f"{day:%Y-%m-%d} {a.place} {a.agenda} {' '.join(outcomes)}",
        year=day.year, state=index.state_label(a), happened_at=a.starts_at)
