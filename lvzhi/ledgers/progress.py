"""The monthly and quarterly progress table (工作任务推进情况表) for the secretary-general and
the chairpersons' meeting: each task with how it stands now, the milestones due in the
period and what was reported in it; as a page, Excel and PDF."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from weasyprint import HTML

from lvzhi.core.models import Body
from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.ledgers import services
from lvzhi.ledgers.models import Milestone, ProgressReport, Task

PERIOD = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


@dataclass
class Period:
    code: str  # 2026-11 or 2026-Q4
    label: str
    start: datetime.date
    end: datetime.date


def period(code: str | None, today: datetime.date | None = None) -> Period:
    """The month or quarter a code names; this month when there is none or it is malformed."""
    today = today or timezone.localdate()
    match = PERIOD.match(code or "")
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        return period(f"{today:%Y-%m}", today)
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        start, months, label = datetime.date(year, month, 1), 1, _("%(y)s年%(m)s月") % {
            "y": year, "m": month}
    else:
        quarter = int(match.group(3))
        start, months = datetime.date(year, quarter * 3 - 2, 1), 3
        label = [_("%(y)s年第一季度"), _("%(y)s年第二季度"), _("%(y)s年第三季度"),
                 _("%(y)s年第四季度")][quarter - 1] % {"y": year}
    after = start.month - 1 + months
    end = datetime.date(year + after // 12, after % 12 + 1, 1) - datetime.timedelta(days=1)
    return Period(match.group(0), label, start, end)


def choices(year: int) -> list[tuple[str, str]]:
    """This year's and last year's months and quarters, the newest first."""
    codes = [f"{y}-{m:02d}" for y in (year, year - 1) for m in range(12, 0, -1)]
    codes += [f"{y}-Q{q}" for y in (year, year - 1) for q in range(4, 0, -1)]
    return [(code, period(code).label) for code in codes]


@dataclass
class Line:
    task: Task
    status: str
    due: list[Milestone] = field(default_factory=list)
    reports: list[ProgressReport] = field(default_factory=list)


def table(body: Body, p: Period) -> list[Line]:
    """Every task of the period's year: its status today, the period's milestones and
    reports (those sent back left out)."""
    reports = ProgressReport.objects.filter(returned=False).select_related("author")
    tasks = Task.objects.filter(body=body, ledger__year=p.start.year).select_related(
        "department").prefetch_related("milestones", Prefetch("reports", queryset=reports))
    lines = []
    for t in tasks.order_by("ledger_id", "number"):
        lines.append(Line(
            t, services.status(t),
            [m for m in t.milestones.all() if p.start <= m.due_on <= p.end],
            [r for r in t.reports.all()
             if p.start <= timezone.localdate(r.created_at) <= p.end]))
    return lines


def counts(lines: list[Line]) -> list[tuple[str, str, int]]:
    return [(code, str(label), sum(1 for line in lines if line.status == code))
            for code, label in services.STATUS_LABELS.items()]


COLUMNS = [gettext_lazy("序号"), gettext_lazy("工作任务"), gettext_lazy("牵头部门"),
           gettext_lazy("牵头领导"), gettext_lazy("当前状态"), gettext_lazy("本期时间节点"),
           gettext_lazy("本期进展")]


def workbook(body: Body, p: Period, lines: list[Line]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = p.label[:31]
    header_row(sheet, COLUMNS)
    for line in lines:
        t = line.task
        append_row(sheet, [
            t.number, t.title, t.department.name if t.department_id else body.short_name,
            t.leader, str(services.STATUS_LABELS[line.status]),
            "\n".join(f"{m.due_on:%m-%d} {m.what}" for m in line.due),
            "\n".join(f"{timezone.localdate(r.created_at):%m-%d} {r.text}"
                      + (f"（{r.figures}）" if r.figures else "") for r in line.reports)])
    fit_columns(sheet)
    return workbook_bytes(wb)


def pdf(body: Body, p: Period, lines: list[Line]) -> bytes:
    return HTML(string=render_to_string("ledgers/pdf/progress.html", {
        "body": body, "p": p, "lines": lines, "counts": counts(lines),
        "labels": services.STATUS_LABELS, "today": timezone.localdate()})).write_pdf()
