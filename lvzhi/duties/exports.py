"""The year's table as Excel, and a member's 履职档案 as PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from weasyprint import HTML

from lvzhi.core.spreadsheets import append_row, header_row, workbook_bytes
from lvzhi.duties import kinds
from lvzhi.duties.models import Grade

COLUMNS = ["排名", "姓名", "界别", "总分", *[str(v) for v in kinds.CATEGORIES.values()],
           "等次", "未完成的基本要求", "预警"]


def year_workbook(rows, year: int) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = f"{year}年度履职考核"
    header_row(sheet, COLUMNS)
    grades = dict(Grade.choices)
    for e in rows:
        append_row(sheet, [
            e.rank_body, e.member.user.full_name, e.member.sector.name, float(e.total),
            *[e.categories.get(code, {}).get("points", 0) for code in kinds.CATEGORIES],
            str(grades.get(e.grade, e.grade)), "；".join(e.missing), "；".join(e.at_risk)])
    return workbook_bytes(wb)


def record_pdf(record, grades: dict) -> bytes:
    html = render_to_string("duties/pdf/record.html", {
        "r": record, "grades": grades, "printed": timezone.localdate()})
    return HTML(string=html).write_pdf()
