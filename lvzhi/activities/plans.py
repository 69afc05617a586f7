"""The year's plan as an Excel sheet: export, and a checked import (all rows or none)."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from lvzhi.activities.models import AnnualPlan, Kind, PlanItem
from lvzhi.core.errors import Refusal
from lvzhi.core.inputs import clean_text
from lvzhi.core.models import Body, SpecialCommittee
from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes

COLUMNS = ["类型", "议题", "牵头领导", "牵头专委会", "协办单位", "计划月份"]


def export(plan: AnnualPlan) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("工作要点")
    header_row(sheet, COLUMNS)
    for item in plan.items.select_related("committee"):
        append_row(sheet, [item.get_kind_display(), item.topic, item.leader,
                           item.committee.name if item.committee else "", item.partners,
                           item.planned_month])
    fit_columns(sheet, widest=60)
    return workbook_bytes(wb)


def import_items(body: Body, year: int, data: bytes) -> tuple[AnnualPlan, int]:
    """Add the sheet's rows to the body's plan for `year`; refuse the whole file, naming
    every bad row, if any row is wrong."""
    try:
        rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
                    .iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds on a file that is not xlsx
        raise Refusal("bad_file", _("无法读取该文件，请上传 Excel（.xlsx）文件。")) from exc
    if not rows or [str(c or "").strip() for c in rows[0][:len(COLUMNS)]] != COLUMNS:
        raise Refusal("bad_header", _("表头应为：%(cols)s。") % {"cols": "、".join(COLUMNS)})
    kinds = {str(label): value for value, label in Kind.choices}
    committees = dict(SpecialCommittee.objects.filter(body=body).values_list("name", "id"))
    items, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = [clean_text(str(c)).strip() if c is not None else ""
                 for c in (*row, *[""] * 6)[:6]]
        if not any(cells):
            continue
        kind, topic, leader, committee, partners, month = cells
        if kind not in kinds:
            problems.append(_("第 %(n)s 行：未知的类型“%(v)s”") % {"n": number, "v": kind})
        if not topic:
            problems.append(_("第 %(n)s 行：缺少议题") % {"n": number})
        if committee and committee not in committees:
            problems.append(_("第 %(n)s 行：未知的专委会“%(v)s”") % {"n": number, "v": committee})
        if month and not (month.split(".")[0].isdigit() and 1 <= int(month.split(".")[0]) <= 12):
            problems.append(_("第 %(n)s 行：计划月份应为 1–12") % {"n": number})
        items.append(PlanItem(body=body, kind=kinds.get(kind, ""), topic=topic[:120],
                              leader=leader[:40], committee_id=committees.get(committee),
                              partners=partners[:200],
                              planned_month=int(month.split(".")[0]) if month else None))
    if problems:
        raise Refusal("bad_rows", "；".join(problems))
    if not items:
        raise Refusal("empty_file", _("文件中没有工作要点。"))
    with transaction.atomic():
        plan, _created = AnnualPlan.objects.get_or_create(
            body=body, year=year, defaults={"title": _("%(body)s%(year)s年工作要点") % {
                "body": body.short_name, "year": year}})
        for item in items:
            item.plan = plan
        PlanItem.objects.bulk_create(items)
    return plan, len(items)
