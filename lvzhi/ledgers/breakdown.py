"""The year's task breakdown (工作任务分解表) in Excel: read and checked row by row, saved
all or nothing; and written back out in the same columns.

The 时间节点 cell holds one milestone per line (or separated by ；): a date, then what is
due — "2026-03-31 完成调研".
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.models import Body, Department, User
from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.ledgers.models import Ledger, Milestone, Task

COLUMNS = ["序号", "工作任务", "类别", "牵头领导", "牵头部门", "配合单位", "责任人", "时间节点"]
CATEGORIES = {str(label): code for code, label in Task.Category.choices}
DATE = re.compile(r"^\s*(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?\s*(.*)$")


@dataclass
class Row:
    line: int
    values: dict[str, str]
    milestones: list[tuple[datetime.date, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read(data: bytes) -> list[Row]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is not xlsx
        raise Refusal("bad_file", _("无法读取该文件，请上传 Excel（.xlsx）文件。")) from exc
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise Refusal("bad_header", _("表头缺少列：%(c)s。") % {"c": "、".join(missing)})
    out = []
    for line, row in enumerate(rows[1:], start=2):
        values = {name: _text(row[header.index(name)]) if header.index(name) < len(row)
                  else "" for name in COLUMNS}
        if any(values.values()):
            out.append(Row(line, values))
    if not out:
        raise Refusal("empty", _("表格中没有任务。"))
    return out


def _text(value) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip() if value is not None else ""


def check(body: Body, year: int, rows: list[Row]) -> list[Row]:
    """Every row's problems, in Chinese; writes nothing."""
    departments = {d.name: d for d in Department.objects.filter(body=body)}
    for row in rows:
        v = row.values
        if not v["工作任务"]:
            row.problems.append(_("缺少工作任务"))
        if v["类别"] not in CATEGORIES:
            row.problems.append(_("类别“%(v)s”不在列表中（%(all)s）") % {
                "v": v["类别"], "all": "、".join(CATEGORIES)})
        if v["牵头部门"] not in departments:
            row.problems.append(_("牵头部门“%(v)s”不是本政协的部门") % {"v": v["牵头部门"]})
        row.milestones = _milestones(v["时间节点"], year, row.problems)
    return rows


def _milestones(cell: str, year: int, problems: list[str]) -> list[tuple[datetime.date, str]]:
    out = []
    for part in [p for p in re.split(r"[\n；;]", cell) if p.strip()]:
        match = DATE.match(part)
        try:
            day = datetime.date(*map(int, match.groups()[:3])) if match else None
        except ValueError:
            day = None
        if day is None:
            problems.append(_("时间节点“%(v)s”的日期不正确（应如 2026-03-31 完成调研）") % {
                "v": part.strip()})
        elif day.year != year:
            problems.append(_("时间节点 %(d)s 不在 %(y)s 年内") % {"d": day, "y": year})
        else:
            out.append((day, match.group(4).strip() or _("报告进展")))
    if not cell.strip():
        problems.append(_("缺少时间节点"))
    return out


def save(actor: User, ledger: Ledger, rows: list[Row]) -> int:
    """All rows or none: refused whole when any row has a problem."""
    if any(row.problems for row in rows):
        raise Refusal("bad_rows", _("表格有 %(n)s 处问题，未导入任何任务。") % {
            "n": sum(len(r.problems) for r in rows)})
    departments = {d.name: d for d in Department.objects.filter(body=ledger.body)}
    with transaction.atomic():
        number = ledger.tasks.aggregate(n=Max("number"))["n"] or 0
        for row in rows:
            v = row.values
            number += 1
            task = Task.objects.create(
                body_id=ledger.body_id, ledger=ledger, number=number, title=v["工作任务"][:200],
                category=CATEGORIES[v["类别"]], leader=v["牵头领导"][:40],
                department=departments[v["牵头部门"]], cooperating=v["配合单位"][:200],
                responsible=v["责任人"][:40])
            Milestone.objects.bulk_create(Milestone(task=task, due_on=day, what=what[:200])
                                          for day, what in row.milestones)
            record_event(task, "created", actor)
    return len(rows)


def workbook(tasks) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("工作任务分解表")
    header_row(sheet, COLUMNS)
    labels = dict(Task.Category.choices)
    for t in tasks:
        append_row(sheet, [t.number, t.title, str(labels[t.category]), t.leader,
                           t.department.name if t.department else "", t.cooperating, t.responsible,
                           "\n".join(f"{m.due_on:%Y-%m-%d} {m.what}"
                                     for m in t.milestones.all())])
    fit_columns(sheet)
    return workbook_bytes(wb)


def matrix_workbook(items, rows, labels) -> bytes:
    """The city's matrix: a row per district, a column per item, each cell its state."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("交办事项进展")
    header_row(sheet, [_("区县政协"), *[f"{i.number}. {i.title}" for i in items]])
    for body, cells in rows:
        append_row(sheet, [body.short_name, *[str(labels[c.cell]) if c else "" for c in cells]])
    fit_columns(sheet)
    return workbook_bytes(wb)
