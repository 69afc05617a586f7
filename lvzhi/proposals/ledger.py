"""The proposal ledger (提案台账) as an Excel workbook."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook

from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.proposals.models import Assignment, Cosigner, Evaluation, Proposal, Reply

COLUMNS = ["编号", "会议", "类别", "案由", "提案人", "联名人", "界别", "分类", "状态",
           "承办单位", "办理期限", "答复日期", "答复类别", "评价", "重点提案", "优秀提案"]


def workbook(rows: QuerySet[Proposal]) -> bytes:
    rows = rows.select_related("session__term", "proposer__user", "proposer__sector")\
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                     .prefetch_related(Prefetch("replies", queryset=Reply.objects.filter(
                         state=Reply.State.ACCEPTED).order_by("id")))),
            Prefetch("cosigners", queryset=Cosigner.objects.filter(
                state=Cosigner.State.CONFIRMED).select_related("member__user")),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("id")))
    wb = Workbook()
    sheet = wb.active
    sheet.title = "提案台账"
    header_row(sheet, COLUMNS)
    for p in rows:
        append_row(sheet, _row(p))
    fit_columns(sheet)
    return workbook_bytes(wb)


def _row(p: Proposal) -> list:
    assignments = [a for a in p.assignments.all() if a.state != Assignment.State.RETURNED]
    replies = [r for a in assignments for r in a.replies.all()]
    lead_eval = [e for e in p.evaluations.all() if e.member_id == p.proposer_id]
    return [
        p.number_label, str(p.session), p.get_timing_display(), p.title,
        p.proposer.user.full_name,
        "、".join(c.member.user.full_name for c in p.cosigners.all()),
        p.proposer.sector.name, p.get_category_display(), p.get_state_display(),
        "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in assignments),
        _dates(sorted({a.deadline for a in assignments})),
        _dates([a.replied_on for a in assignments if a.replied_on]),
        "、".join(r.category for r in replies),
        lead_eval[-1].get_rating_display() if lead_eval else "",
        "是" if p.is_key else "", "是" if p.is_excellent else "",
    ]


def _dates(days: list[datetime.date]) -> datetime.date | str:
    """One date as a date cell; several (one per unit) as Chinese text in one cell."""
    if len(days) == 1:
        return days[0]
    return "、".join(f"{d.year}年{d.month}月{d.day}日" for d in days)
