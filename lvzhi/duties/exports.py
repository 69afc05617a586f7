"""The year's table as Excel (written in the background: a body's every member), and a
member's 履职档案 as PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from lvzhi.core.exports import Progress
from lvzhi.core.spreadsheets import StreamedSheet
from lvzhi.duties import kinds
from lvzhi.duties.models import Grade

COLUMNS = [gettext_lazy("排名"), gettext_lazy("姓名"), gettext_lazy("界别"), gettext_lazy("总分"),
           *kinds.CATEGORIES.values(), gettext_lazy("等次"), gettext_lazy("未完成的基本要求"),
           gettext_lazy("预警")]


def year_workbook(rows, year: int, progress: Progress | None = None) -> bytes:
    total = rows.count() if progress else 0
    sheet = StreamedSheet(_("%(year)s年度履职考核") % {"year": year}, COLUMNS)
    grades = dict(Grade.choices)
    for done, e in enumerate(rows.iterator(chunk_size=1000), start=1):
        sheet.append([
            e.rank_body, e.member.user.full_name, e.member.sector.name, float(e.total),
            *[e.categories.get(code, {}).get("points", 0) for code in kinds.CATEGORIES],
            str(grades.get(e.grade, e.grade)), "；".join(e.missing), "；".join(e.at_risk)])
        if progress:
            progress(done, total)
    return sheet.bytes()


def record_pdf(record, grades: dict) -> bytes:
    html = render_to_string("duties/pdf/record.html", {
        "r": record, "grades": grades, "printed": timezone.localdate()})
    return HTML(string=html).write_pdf()
