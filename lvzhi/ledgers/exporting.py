"""The ledgers' body-wide files written in the background (core.exports): the year's task
breakdown (工作任务分解表) and the period's progress table (推进情况表) as Excel and PDF.
The progress PDF of a city's year runs to hundreds of pages — a minute of a worker at
Harbin scale, which a page request must not hold."""

from __future__ import annotations

from typing import Any

from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core import exports
from lvzhi.core.access import bodies_with
from lvzhi.core.exports import Progress
from lvzhi.core.inputs import to_int
from lvzhi.core.models import Body
from lvzhi.ledgers import breakdown, progress
from lvzhi.ledgers.models import Task


def chosen(user: Any, body: Any, year: Any) -> tuple[Body, int]:
    """The body (one whose ledgers the person reads; their first by default) and the year
    (this one unless a plausible one is given) that a page or an export is of."""
    bodies = bodies_with(user, "ledgers.read_all")
    if not bodies:
        raise Http404
    picked = to_int(body)
    year = to_int(year)
    return (Body.objects.get(pk=picked if picked in bodies else min(bodies)),
            year if year and 2000 <= year <= 2100 else timezone.localdate().year)


def tasks(body: Body, year: int):
    return Task.objects.filter(body=body, ledger__year=year).select_related(
        "department", "unit").prefetch_related("milestones", "reports")


def _body(user: Any) -> int | None:
    return exports.first_body(bodies_with(user, "ledgers.read_all"))


def _breakdown(user: Any, query: QueryDict, done: Progress) -> tuple[bytes, str]:
    body, year = chosen(user, query.get("body"), query.get("year"))
    rows = list(tasks(body, year))
    done(0, len(rows))
    data = breakdown.workbook(rows)
    done(len(rows), len(rows))
    return data, _("%(body)s%(year)s年工作任务分解表") % {
        "body": body.short_name, "year": year} + ".xlsx"


def _progress(as_pdf: bool):
    def build(user: Any, query: QueryDict, done: Progress) -> tuple[bytes, str]:
        body, _year = chosen(user, query.get("body"), None)
        period = progress.period(query.get("period"))
        lines = progress.table(body, period)
        done(0, len(lines))
        data = (progress.pdf if as_pdf else progress.workbook)(body, period, lines)
        done(len(lines), len(lines))
        name = _("%(body)s工作任务推进情况表（%(period)s）") % {
            "body": body.short_name, "period": period.label}
        return data, f"{name}.pdf" if as_pdf else f"{name}.xlsx"
    return build


def register() -> None:
    for code, label, build in (
            ("ledgers.breakdown", _("工作任务分解表"), _breakdown),
            ("ledgers.progress_xlsx", _("工作任务推进情况表（Excel）"), _progress(False)),
            ("ledgers.progress_pdf", _("工作任务推进情况表（PDF）"), _progress(True))):
        exports.register(exports.ExportKind(code, label, _body, build))
