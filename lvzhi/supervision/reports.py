"""A topic's supervision report (监督报告, PDF) and the figures by topic and by unit with
their Excel: problems found, and items rectified on time, late or still open."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from weasyprint import HTML

from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.ledgers import services as ledgers
from lvzhi.ledgers.models import Task
from lvzhi.supervision.models import Problem, Topic


@dataclass
class Counts:
    problems: int = 0
    accepted: int = 0
    on_time: int = 0  # closed with no milestone passed unreported
    late: int = 0  # closed, or still open, after the deadline
    open: int = 0


def _tally(counts: Counts, p: Problem) -> None:
    counts.problems += 1
    if p.item is None:
        return
    counts.accepted += 1
    status = ledgers.status(p.item)
    due = max((m.due_on for m in p.item.milestones.all()), default=None)
    if p.item.state == Task.State.DONE:
        closed = p.item.reports.filter(returned=False).order_by("created_at").last()
        on_time = closed is None or due is None or \
            timezone.localdate(closed.created_at) <= due
        counts.on_time += on_time
        counts.late += not on_time
    elif status == ledgers.BEHIND:
        counts.late += 1
    else:
        counts.open += 1


def figures(body_id: int, year: int) -> tuple[list[tuple[Topic, Counts]],
                                              list[tuple[str, Counts]]]:
    problems = Problem.objects.filter(body_id=body_id, topic__year=year).select_related(
        "topic", "unit", "item").prefetch_related("item__milestones", "item__reports")
    by_topic: dict[int, Counts] = defaultdict(Counts)
    by_unit: dict[str, Counts] = defaultdict(Counts)
    topics = {}
    for p in problems:
        topics[p.topic_id] = p.topic
        _tally(by_topic[p.topic_id], p)
        if p.unit_id:
            _tally(by_unit[p.unit.name], p)
    return ([(topics[k], v) for k, v in by_topic.items()],
            sorted(by_unit.items(), key=lambda kv: -kv[1].problems))


COLUMNS = [gettext_lazy("问题"), gettext_lazy("列入整改"), gettext_lazy("按期整改"),
           gettext_lazy("逾期"), gettext_lazy("整改中")]


def workbook(body_id: int, year: int) -> bytes:
    by_topic, by_unit = figures(body_id, year)
    wb = Workbook()
    for first, (title, column, rows) in enumerate((
            (_("按议题"), _("议题"), [(t.title, c) for t, c in by_topic]),
            (_("按责任单位"), _("责任单位"), by_unit))):
        sheet = wb.create_sheet() if first else wb.active
        sheet.title = title
        header_row(sheet, [column, *COLUMNS])
        for name, c in rows:
            append_row(sheet, [name, c.problems, c.accepted, c.on_time, c.late, c.open])
        fit_columns(sheet)
    return workbook_bytes(wb)


def topic_pdf(topic: Topic, recommendations: str) -> bytes:
    problems = list(topic.problems.select_related("unit", "item").prefetch_related(
        "item__milestones", "item__reports"))
    for p in problems:
        p.item_status = ledgers.STATUS_LABELS[ledgers.status(p.item)] if p.item else ""
    return HTML(string=render_to_string("supervision/pdf/report.html", {
        "t": topic, "problems": problems,
        "group": topic.group.select_related("member__user", "expert"),
        "recommendations": recommendations, "today": timezone.localdate()})).write_pdf()
