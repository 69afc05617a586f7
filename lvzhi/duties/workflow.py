"""The lifecycles of the duty record, each through one entry point (core.workflow):
a declared duty (申报 → 确认 / 未通过 / 撤回), a correction request (更正 → 已更正 / 不予更正)
and the year close (进行中 → 更正申请期 → 已审定 → 已公布)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.attachments import attach, check_upload
from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event
from lvzhi.core.models import Member, User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.core.workdays import WorkCalendar
from lvzhi.core.workflow import Action, Context, Workflow
from lvzhi.duties import access, kinds, services
from lvzhi.duties.models import Correction, Declaration, EvaluationYear

D, C, Y = Declaration.State, Correction.State, EvaluationYear.State

ROLES = {
    "declarant": lambda ctx: ctx.obj.member.user_id == ctx.actor.pk,
    "office": lambda ctx: ctx.obj.body_id in access.managing_bodies(ctx.actor),
}

DECLARATION = Workflow(
    model=Declaration, visible=access.declarations_for, rules=lambda d: None, roles=ROLES,
    actions={
        "confirm": Action(gettext_lazy("确认"), "office", frozenset({D.PENDING})),
        "refuse": Action(gettext_lazy("不予确认"), "office", frozenset({D.PENDING})),
        "withdraw": Action(gettext_lazy("撤回"), "declarant", frozenset({D.PENDING})),
    },
    not_found=gettext_lazy("找不到该履职申报，或您无权查看。"), noun=gettext_lazy("该申报"),
    event_labels={"created": gettext_lazy("申报")}, related=("member",),
)
CORRECTION = Workflow(
    model=Correction, visible=access.corrections_for, rules=lambda c: None, roles=ROLES,
    actions={
        "accept": Action(gettext_lazy("更正"), "office", frozenset({C.PENDING})),
        "refuse": Action(gettext_lazy("不予更正"), "office", frozenset({C.PENDING})),
    },
    not_found=gettext_lazy("找不到该更正申请，或您无权查看。"), noun=gettext_lazy("该申请"),
    event_labels={"created": gettext_lazy("申请更正")}, related=("member",),
)
YEAR = Workflow(
    model=EvaluationYear, visible=access.years_for, rules=lambda y: None, roles=ROLES,
    actions={
        "open_corrections": Action(gettext_lazy("公布初评结果并开放更正申请"), "office",
                                   frozenset({Y.OPEN})),
        "approve": Action(gettext_lazy("登记主席会议审定"), "office", frozenset({Y.CORRECTING})),
        "publish": Action(gettext_lazy("公布考核结果"), "office", frozenset({Y.APPROVED})),
    },
    not_found=gettext_lazy("找不到该年度考核。"), noun=gettext_lazy("该年度考核"),
)


# --- declared duties ---------------------------------------------------------------------------

def declare(user: User, seat: Member, fields: dict[str, Any], files: list) -> Declaration:
    """A member declares a duty no app records, with evidence files; every field at fault
    is refused at once."""
    if seat.user_id != user.pk:
        raise Refusal("not_yours", _("只能申报本人的履职。"), status=403)
    kind, level = str(fields.get("kind") or ""), str(fields.get("level") or "")
    title = str(fields.get("title") or "").strip()
    day = fields.get("occurred_on")
    errors = {}
    if kind not in kinds.DECLARED:
        errors["kind"] = ("bad_kind", _("请选择申报的类别。"))
    if kind == "award" and level not in kinds.AWARD_LEVELS:
        errors["level"] = ("bad_level", _("表彰奖励请选择级别。"))
    if not title:
        errors["title"] = ("missing_title", _("请填写申报的事项。"))
    if not isinstance(day, datetime.date):
        errors["occurred_on"] = ("bad_date", _("请填写正确的日期。"))
    elif day > timezone.localdate():
        errors["occurred_on"] = ("future_date", _("日期不能晚于今天。"))
    if not files:
        errors["files"] = ("missing_files", _("请上传至少一份证明材料。"))
    for upload in files:
        try:
            check_upload(upload)
        except Refusal as refused:
            errors["files"] = (refused.code, f"{upload.name}：{refused.message}")
    refuse_fields(errors)
    with transaction.atomic():
        row = Declaration.objects.create(
            body_id=seat.body_id, member=seat, kind=kind,
            level=level if kind == "award" else "", occurred_on=day, title=title[:100],
            description=str(fields.get("description") or "")[:2000])
        for upload in files:
            attach(row, upload, user)
        record_event(row, "created", user)
        notify(services.staff_of(seat.body_id), Message(
            seat.body_id, _("新的履职申报待确认：%(t)s") % {"t": row.title},
            seat.user.full_name, row.get_absolute_url()))
    return row


@DECLARATION.handler("confirm")
def _confirm(ctx: Context) -> None:
    row = ctx.obj
    row.state = D.CONFIRMED
    row.save(update_fields=["state"])
    services.record_fact(row.member, row.fact_kind, row, row.occurred_on,
                         {"title": row.title})
    notify([row.member.user], Message(row.body_id, _("履职申报已确认：%(t)s") % {
        "t": row.title}, "", row.get_absolute_url()))


@DECLARATION.handler("refuse")
def _refuse(ctx: Context) -> None:
    row = ctx.obj
    row.reason = ctx.text("reason", _("请填写不予确认的理由。"))[:200]
    row.state = D.REFUSED
    row.save(update_fields=["state", "reason"])
    notify([row.member.user], Message(row.body_id, _("履职申报未通过：%(t)s") % {
        "t": row.title}, row.reason, row.get_absolute_url()))


@DECLARATION.handler("withdraw")
def _withdraw(ctx: Context) -> None:
    ctx.obj.state = D.WITHDRAWN
    ctx.obj.save(update_fields=["state"])


# --- corrections -------------------------------------------------------------------------------

def request_correction(user: User, seat: Member, year: int, text: str) -> Correction:
    if seat.user_id != user.pk:
        raise Refusal("not_yours", _("只能为本人的考核结果申请更正。"), status=403)
    state = services.year_state(seat.body_id, year)
    if state.state != Y.CORRECTING or (state.corrections_until
                                       and timezone.localdate() > state.corrections_until):
        raise Refusal("not_open", _("现在不在更正申请期内。"), status=409)
    text = (text or "").strip()
    if not text:
        refuse_fields({"text": ("missing_text", _("请写明需要更正的内容和理由。"))})
    with transaction.atomic():
        row = Correction.objects.create(body_id=seat.body_id, member=seat, year=year,
                                        text=text[:2000])
        record_event(row, "created", user)
        notify(services.staff_of(seat.body_id), Message(
            seat.body_id, _("新的考核更正申请：%(n)s") % {"n": seat.user.full_name}, "",
            reverse("duties:record", args=[seat.pk]) + f"?year={year}"))
    return row


@CORRECTION.handler("accept")
def _accept(ctx: Context) -> None:
    row = ctx.obj
    try:
        points = Decimal(str(ctx.param("points", _("请填写调整的分值。"))))
    except InvalidOperation:
        raise Refusal("bad_points", _("调整的分值应为数字。")) from None
    if not points.is_finite() or abs(points) > 100:
        raise Refusal("bad_points", _("调整的分值应在 −100 到 100 之间。"))
    category = str(ctx.params.get("category") or "other")
    if category not in kinds.CATEGORIES:
        raise Refusal("bad_category", _("请选择调整的类别。"))
    row.points, row.category = points.quantize(Decimal("0.1")), category
    row.answer = str(ctx.params.get("answer") or "")[:200]
    row.state = C.ACCEPTED
    row.save(update_fields=["points", "category", "answer", "state"])
    cutoff = services.rules_for(row.body_id, row.year).cutoff
    services.record_fact(row.member, "correction", row, cutoff,
                         {"points": float(row.points), "category": category})
    ctx.data.update(points=float(row.points), category=category)
    notify([row.member.user], Message(row.body_id, _("考核更正申请已处理：已更正"),
                                      row.answer, row.get_absolute_url()))


@CORRECTION.handler("refuse")
def _refuse_correction(ctx: Context) -> None:
    row = ctx.obj
    row.answer = ctx.text("answer", _("请填写不予更正的理由。"))[:200]
    row.state = C.REFUSED
    row.save(update_fields=["answer", "state"])
    notify([row.member.user], Message(row.body_id, _("考核更正申请已处理：不予更正"),
                                      row.answer, row.get_absolute_url()))


# --- the year close ----------------------------------------------------------------------------

@YEAR.handler("open_corrections")
def _open_corrections(ctx: Context) -> None:
    year = ctx.obj
    rules = services.rules_for(year.body_id, year.year)
    today = timezone.localdate()
    if today <= rules.cutoff:
        raise Refusal("before_cutoff", _("%(d)s 年度截止后才能开放更正申请。") % {
            "d": cn_date(rules.cutoff)}, status=409)
    services.recompute(year.body_id, year.year)
    year.state, year.rule_set = Y.CORRECTING, rules
    year.corrections_until = WorkCalendar().add_workdays(today, rules.correction_days)
    year.save(update_fields=["state", "rule_set", "corrections_until"])
    notify([m.user for m in services.members_of(year.body_id, rules).select_related("user")],
           Message(year.body_id, _("%(y)s年度履职考核初评结果已出") % {"y": year.year},
                   _("请查看；如有异议，请于 %(d)s 前申请更正。") % {
                       "d": cn_date(year.corrections_until)},
                   reverse("duties:mine") + f"?year={year.year}"))


@YEAR.handler("approve")
def _approve(ctx: Context) -> None:
    year = ctx.obj
    if Correction.objects.filter(body_id=year.body_id, year=year.year,
                                 state=C.PENDING).exists():
        raise Refusal("corrections_pending", _("还有未处理的更正申请，请先处理。"), status=409)
    meeting = ctx.text("approved_by", _("请填写审定的会议（如“主席会议”）。"))
    try:
        day = datetime.date.fromisoformat(str(ctx.param("approved_on", _("请填写审定日期。"))))
    except ValueError:
        raise Refusal("bad_date", _("请填写正确的审定日期。")) from None
    services.recompute(year.body_id, year.year)  # the last time: from now on it is kept
    year.approved_by, year.approved_on = meeting[:60], day
    year.document_no = str(ctx.params.get("document_no") or "")[:60]
    year.rule_set = services.rules_for(year.body_id, year.year)
    year.state = Y.APPROVED
    year.save(update_fields=["approved_by", "approved_on", "document_no", "rule_set",
                             "state"])
    ctx.data.update(approved_by=year.approved_by, approved_on=day.isoformat(),
                    document_no=year.document_no)


@YEAR.handler("publish")
def _publish(ctx: Context) -> None:
    year = ctx.obj
    year.state, year.published_at = Y.PUBLISHED, timezone.now()
    year.save(update_fields=["state", "published_at"])
    rules = year.rule_set or services.rules_for(year.body_id, year.year)
    notify([m.user for m in services.members_of(year.body_id, rules).select_related("user")],
           Message(year.body_id, _("%(y)s年度履职考核结果已公布") % {"y": year.year}, "",
                   reverse("duties:mine") + f"?year={year.year}"))


# --- a correction after approval ---------------------------------------------------------------

def amend(actor: User, seat: Member, year: int, fields: dict[str, Any]) -> Correction:
    """A correction after the year was approved: recorded as an accepted correction with
    its document, and the member's result becomes a new version (the old one stays in the
    history). Nothing else in the year moves."""
    if seat.body_id not in access.managing_bodies(actor):
        raise Refusal("forbidden", _("只有本政协的机关干部可以更正考核结果。"), status=403)
    state = services.year_state(seat.body_id, year)
    if not state.frozen:
        raise Refusal("not_closed", _("该年度尚未审定，请在更正申请期内处理。"), status=409)
    errors = {}
    try:
        points = Decimal(str(fields.get("points") or ""))
        if not points.is_finite() or abs(points) > 100:
            raise InvalidOperation
    except InvalidOperation:
        errors["points"] = ("bad_points", _("调整的分值应为 −100 到 100 之间的数字。"))
        points = Decimal(0)
    category = str(fields.get("category") or "")
    if category not in kinds.CATEGORIES:
        errors["category"] = ("bad_category", _("请选择调整的类别。"))
    reason = str(fields.get("answer") or "").strip()
    if not reason:
        errors["answer"] = ("missing_reason", _("请填写更正的理由。"))
    document = str(fields.get("document_no") or "").strip()
    if not document:
        errors["document_no"] = ("missing_document", _("请填写更正所依据的文号。"))
    refuse_fields(errors)
    old = services.recompute_member(seat, year)
    with transaction.atomic():
        row = Correction.objects.create(
            body_id=seat.body_id, member=seat, year=year, text=reason[:2000],
            state=C.ACCEPTED, points=points.quantize(Decimal("0.1")), category=category,
            answer=f"{reason}（{document}）"[:200])
        services.record_fact(seat, "correction", row, services.rules_for(
            seat.body_id, year).cutoff, {"points": float(row.points), "category": category})
        new = services.recompute_member(seat, year, amend=True)
        new.version = (old.version if old else 0) + 1
        new.save(update_fields=["version"])
        record_event(new, "amended", actor, data={
            "document_no": document, "reason": reason,
            "before": {"total": float(old.total), "grade": old.grade} if old else None,
            "after": {"total": float(new.total), "grade": new.grade},
            "version": new.version})
        notify([seat.user], Message(seat.body_id, _("%(y)s年度考核结果已更正") % {"y": year},
                                    row.answer, row.get_absolute_url()))
    return row
