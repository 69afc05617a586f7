"""Opinion reports in the search box: the text as written and as the office edited it."""

from __future__ import annotations

import datetime

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lvzhi.core.paths import object_url
from lvzhi.opinions.access import reports_for
from lvzhi.opinions.models import Report
from lvzhi.search import index


def register() -> None:
    index.register(index.Kind(
        "report", _("社情民意信息"), Report, _document, reports_for,
        lambda pk, title: object_url("opinions:detail", pk),
        rows=lambda: Report.objects.select_related("member"),
        time=Coalesce("submitted_at", "created_at"),  # as _when
        reads_all="opinions.read_all", light=_light,
        light_fields=frozenset({"state", "submitted_at"})))


def _when(r: Report) -> datetime.datetime | None:
    """The time an entry is ordered by: when submitted, or else made."""
    return r.submitted_at or r.created_at


def _light(r: Report) -> dict[str, object]:
    """The entry's columns a submission changes (index.Kind.light)."""
    when = _when(r)
    return {"state": index.state_label(r)[:40], "happened_at": when,
            "year": when.year if when else None}


def _document(r: Report) -> index.Document:
    when = _when(r)
    # Adoption copies the written text into the edited one: the same words again are
    # nothing new to find (and would be segmented again inside the adoption's write).
    edited = r.edited_text if r.edited_text != r.written_text else ""
    return index.Document(
        r.body_id, r.edited_title or r.title,
        [r.title, r.situation, r.analysis, r.suggestions, edited],
        snippet=f"{r.situation} {r.suggestions}", year=when.year if when else None,
        state=index.state_label(r), happened_at=when,
        category=str(r.get_category_display() or ""),
        sector_id=r.member.sector_id if r.member_id else None,
        keywords=index.split_keywords(r.keywords))
