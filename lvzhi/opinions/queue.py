"""The opinion office's queue: whose it is and which reports its filters select — for the
page and for the export written in the background."""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.access import bodies_with
from lvzhi.core.exports import ExportKind, Progress, first_body
from lvzhi.core.forms import choice_labels
from lvzhi.core.inputs import to_int
from lvzhi.core.paths import object_url
from lvzhi.core.spreadsheets import StreamedSheet
from lvzhi.core.templatetags.lvzhi import cn_month_day
from lvzhi.opinions.access import body_reports_for, office_bodies
from lvzhi.opinions.models import Report
from lvzhi.opinions.templatetags.opinion_tags import state_badges

COLUMNS = [gettext_lazy("编号"), gettext_lazy("标题"), gettext_lazy("报送人"), gettext_lazy("单位"),
           gettext_lazy("类别"), gettext_lazy("状态"), gettext_lazy("提交日期"),
           gettext_lazy("刊期")]
WIDTHS = [8, 44, 12, 24, 10, 10, 14, 16]


def readers(user: Any) -> set[int]:
    """The bodies whose queue the person works in or reads."""
    return office_bodies(user) | bodies_with(user, "opinions.read_all")


def filtered(user: Any, g: QueryDict) -> QuerySet[Report]:
    rows = body_reports_for(user)
    state = g.get("state")
    rows = rows.filter(state=state) if state else rows.exclude(state=Report.State.DRAFT)
    if g.get("category"):
        rows = rows.filter(category=g["category"])
    if g.get("reporter"):
        rows = rows.filter(Q(reporter__full_name__contains=g["reporter"])
                           | Q(origin_name__contains=g["reporter"]))
    if to_int(g.get("sector")):
        rows = rows.filter(member__sector_id=to_int(g.get("sector")))
    if to_int(g.get("body")):
        rows = rows.filter(body_id=to_int(g.get("body")))
    for name, lookup in (("from", "submitted_at__date__gte"), ("to", "submitted_at__date__lte")):
        with contextlib.suppress(KeyError, ValueError):
            rows = rows.filter(**{lookup: datetime.date.fromisoformat(g[name])})
    return rows.order_by("-submitted_at", "-id")


@dataclass(slots=True)
class Row:
    """One line of the queue page, its cells worked out from values: making the reports
    and their reporters as model objects cost more than the page's queries."""

    pk: int
    url: str
    title: str
    forwarded: bool
    reporter: str  # the member, or the unit a report came from
    affiliation: str
    category: str
    state: SafeString
    submitted: str


ROW_VALUES = ("pk", "title", "forwarded_from_id", "reporter__full_name", "origin_name",
              "affiliation", "category", "state", "is_combined", "submitted_at")


def page_rows(ids: list[int]) -> list[Row]:
    """The queue page's lines for these ids, in their order."""
    found = {r[0]: r for r in Report.objects.filter(pk__in=ids).values_list(*ROW_VALUES)}
    categories = choice_labels(Report.Category)
    states = choice_labels(Report.State)
    rows = []
    for pk in ids:
        if pk not in found:
            continue
        _pk, title, forwarded, name, origin, affiliation, category, state, combined, at = \
            found[pk]
        rows.append(Row(
            pk, object_url("opinions:detail", pk), title, forwarded is not None,
            name if name is not None else origin or "—", Truncator(affiliation).chars(14),
            categories.get(category, category),
            state_badges(state, states.get(state, state), combined),
            cn_month_day(timezone.localtime(at)) if at else ""))
    return rows


def workbook(reports: QuerySet[Report], progress: Progress | None = None) -> bytes:
    total = reports.count()
    sheet = StreamedSheet(_("社情民意信息"), COLUMNS, WIDTHS)
    rows = reports.select_related("reporter", "issue").only(
        "pk", "title", "origin_name", "affiliation", "category", "state", "submitted_at",
        "reporter", "reporter__full_name", "issue", "issue__year", "issue__number")
    for done, r in enumerate(rows.iterator(chunk_size=1000), start=1):
        sheet.append([r.pk, r.title, r.reporter.full_name if r.reporter else r.origin_name,
                      r.affiliation, r.get_category_display(), r.get_state_display(),
                      timezone.localdate(r.submitted_at) if r.submitted_at else None,
                      str(r.issue) if r.issue_id else ""])
        if progress:
            progress(done, total)
    return sheet.bytes()


def _export_body(user: Any) -> int | None:
    return first_body(office_bodies(user), readers(user))


def _build(user: Any, query: QueryDict, progress: Progress) -> tuple[bytes, str]:
    return workbook(filtered(user, query), progress), _("社情民意信息") + ".xlsx"


EXPORT = ExportKind("opinions.queue", gettext_lazy("社情民意信息"), _export_body, _build)
