"""The year's supervision plan (民主监督计划) as an Excel sheet: export, and a checked
import (all rows or none, every bad row named)."""

from __future__ import annotations

import datetime
import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.inputs import clean_text, to_date
from lvzhi.core.models import Body, HandlingUnit, SpecialCommittee, User
from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.supervision import rules
from lvzhi.supervision.models import Topic

COLUMNS = ["监督议题", "监督形式", "被监督单位", "牵头专委会", "开始日期", "结束日期",
           "联合印发单位"]


def export(body: Body, year: int) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("%(year)s年民主监督计划") % {"year": year}
    header_row(sheet, COLUMNS)
    for t in Topic.objects.filter(body=body, year=year).select_related("committee")\
            .prefetch_related("units"):
        append_row(sheet, [t.title, t.form,
                           "、".join(u.name for u in t.units.all()),
                           t.committee.name if t.committee else "", t.starts_on, t.ends_on,
                           t.issuers])
    fit_columns(sheet, widest=60)
    return workbook_bytes(wb)


def _cell(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return clean_text(str(value)).strip() if value is not None else ""


def import_topics(actor: User, body: Body, year: int, data: bytes) -> int:
    try:
        rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
                    .iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds on a file that is not xlsx
        raise Refusal("bad_file", _("无法读取该文件，请上传 Excel（.xlsx）文件。")) from exc
    if not rows or [_cell(c) for c in rows[0][:len(COLUMNS)]] != COLUMNS:
        raise Refusal("bad_header", _("表头应为：%(cols)s。") % {"cols": "、".join(COLUMNS)})
    forms = set(rules.forms_for(body.pk))
    units = dict(HandlingUnit.objects.filter(body=body).values_list("name", "id"))
    committees = dict(SpecialCommittee.objects.filter(body=body).values_list("name", "id"))
    topics, problems = [], []
    for n, row in enumerate(rows[1:], start=2):
        cells = [_cell(c) for c in (*row, *[None] * 7)[:7]]
        if not any(cells):
            continue
        title, form, unit_names, committee, start, end, issuers = cells
        names = [u.strip() for u in unit_names.replace("，", "、").split("、") if u.strip()]
        if not title:
            problems.append(_("第 %(n)s 行：缺少监督议题") % {"n": n})
        if form not in forms:
            problems.append(_("第 %(n)s 行：未知的监督形式“%(v)s”（本政协设定：%(all)s）")
                            % {"n": n, "v": form, "all": "、".join(forms)})
        problems += [_("第 %(n)s 行：未知的被监督单位“%(v)s”") % {"n": n, "v": u}
                     for u in names if u not in units]
        if committee and committee not in committees:
            problems.append(_("第 %(n)s 行：未知的专委会“%(v)s”") % {"n": n, "v": committee})
        starts, ends = to_date(start), to_date(end)
        if (start and starts is None) or (end and ends is None) or \
                (starts and ends and ends < starts):
            problems.append(_("第 %(n)s 行：日期应为 2026-03-01 的格式，且结束不早于开始")
                            % {"n": n})
        topics.append((Topic(body=body, year=year, title=title[:120], form=form,
                             committee_id=committees.get(committee), starts_on=starts,
                             ends_on=ends, issuers=issuers[:200]),
                       [units[u] for u in names if u in units]))
    if problems:
        raise Refusal("bad_rows", "；".join(problems))
    if not topics:
        raise Refusal("empty_file", _("文件中没有监督议题。"))
    with transaction.atomic():
        for topic, unit_ids in topics:
            topic.save()
            topic.units.set(unit_ids)
            record_event(topic, "created", actor, data={"imported": True})
    return len(topics)
