"""部门考评: the year-end scoring of a body's departments on their ledger tasks, against the
body's scheme (LedgerRules): completion (done ÷ tasks × its points), the office's quality
score, a bonus per leaders' instruction or commendation up to a cap, a deduction per task
behind; ranked 1, 2, 2, 4; as a page, Excel and PDF."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from weasyprint import HTML

from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event
from lvzhi.core.inputs import to_decimal, to_int
from lvzhi.core.models import Body, Department, User
from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.ledgers import services
from lvzhi.ledgers.models import DepartmentScore, Ledger, LedgerRules, Task


@dataclass
class Line:
    department: Department
    tasks: int
    done: int
    behind: int
    quality: Decimal
    instructions: int
    note: str
    row: DepartmentScore | None

    def points(self, rules: LedgerRules) -> dict[str, Decimal]:
        done = (Decimal(rules.points_done) * self.done / self.tasks) if self.tasks else \
            Decimal(0)
        bonus = min(rules.bonus_cap, rules.bonus_each * self.instructions)
        deduction = rules.deduct_each * self.behind
        total = done + self.quality + bonus - deduction
        return {"done": round(done, 1), "bonus": bonus, "deduction": deduction,
                "total": round(total, 1)}


def lines(body: Body, year: int) -> list[Line]:
    """Each department with its tasks of the year (cancelled ones left out) as they stand,
    and what the office entered."""
    tasks = Task.objects.filter(body=body, ledger__year=year,
                                ledger__kind=Ledger.LedgerKind.WORK_PLAN)\
        .exclude(state=Task.State.CANCELLED).prefetch_related("milestones", "reports")
    figures: dict[int, list[int]] = {}
    for t in tasks:
        f = figures.setdefault(t.department_id, [0, 0, 0])
        f[0] += 1
        f[1] += t.state == Task.State.DONE
        f[2] += services.status(t) == services.BEHIND
    saved = {s.department_id: s for s in DepartmentScore.objects.filter(body=body, year=year)}
    out = []
    for d in Department.objects.filter(body=body):
        if d.pk not in figures and d.pk not in saved:
            continue  # a department with no task this year is not scored
        n, done, behind = figures.get(d.pk, [0, 0, 0])
        row = saved.get(d.pk)
        out.append(Line(d, n, done, behind, row.quality if row else Decimal(0),
                        row.instructions if row else 0, row.note if row else "", row))
    return out


def save(actor: User, body: Body, year: int, posted: Any) -> int:
    """The office's scores for every department at once: quality (0 to its points), the
    instructions counted, a note; every field at fault refused at once, as typed."""
    if not services.reviews(actor, body.pk):
        raise Refusal("forbidden", _("只有督查考评部门可以为部门考评打分。"), status=403)
    rules = services.rules_for(body.pk)
    rows = lines(body, year)
    errors: dict[str, tuple[str, Any]] = {}
    for line in rows:
        pk = line.department.pk
        quality = to_decimal(posted.get(f"quality_{pk}"))
        count = to_int(posted.get(f"instructions_{pk}") or 0, maximum=999)
        if quality is None or not 0 <= quality <= rules.points_quality:
            errors[f"quality_{pk}"] = ("bad_quality", _("%(d)s的工作质量分应在 0 到 %(p)s 之间。")
                                       % {"d": line.department.name, "p": rules.points_quality})
        else:
            line.quality = quality
        if count is None:
            errors[f"instructions_{pk}"] = ("bad_instructions", _(
                "%(d)s的领导批示或表扬项数应为 0 到 999 的整数。") % {"d": line.department.name})
        else:
            line.instructions = count
        line.note = str(posted.get(f"note_{pk}") or "").strip()[:300]
    refuse_fields(errors)
    with transaction.atomic():
        for line in rows:
            row, _new = DepartmentScore.objects.update_or_create(
                department=line.department, year=year, defaults={
                    "body": body, "tasks": line.tasks, "done": line.done,
                    "behind": line.behind, "quality": line.quality,
                    "instructions": line.instructions, "note": line.note,
                    "total": line.points(rules)["total"]})
            record_event(row, "scored", actor, data={"total": str(row.total)})
        _rank(body, year)
    return len(rows)


def _rank(body: Body, year: int) -> None:
    services.store_ranks(DepartmentScore.objects.filter(body=body, year=year))


COLUMNS = [gettext_lazy("名次"), gettext_lazy("部门"), gettext_lazy("任务数"),
           gettext_lazy("已完成"), gettext_lazy("滞后"), gettext_lazy("完成得分"),
           gettext_lazy("工作质量"), gettext_lazy("加分"), gettext_lazy("扣分"),
           gettext_lazy("总分"), gettext_lazy("考评意见")]


def table(body: Body, year: int) -> tuple[LedgerRules, list[tuple[Line, dict]]]:
    rules = services.rules_for(body.pk)
    rows = [(line, line.points(rules)) for line in lines(body, year)]
    rows.sort(key=lambda r: (r[0].row is None, r[0].row.rank if r[0].row else 0,
                             r[0].department.pk))
    return rules, rows


def workbook(body: Body, year: int) -> bytes:
    _rules, rows = table(body, year)
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("%(year)s年部门考评") % {"year": year}
    header_row(sheet, COLUMNS)
    for line, p in rows:
        append_row(sheet, [line.row.rank if line.row else "", line.department.name, line.tasks,
                           line.done, line.behind, p["done"], line.quality, p["bonus"],
                           p["deduction"], p["total"], line.note])
    fit_columns(sheet)
    return workbook_bytes(wb)


def pdf(body: Body, year: int) -> bytes:
    rules, rows = table(body, year)
    return HTML(string=render_to_string("ledgers/pdf/departments.html", {
        "body": body, "year": year, "rules": rules, "rows": rows,
        "today": timezone.localdate()})).write_pdf()
