"""What handling units do, and how the office answers them: contacts, co-signing,
replies, return and extension requests, reply review."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.core.workdays import WorkCalendar
from lvzhi.proposals import notices
from lvzhi.proposals.models import Assignment, Contact, Proposal, Reply, UnitRequest
from lvzhi.proposals.services import latest_extension, return_window_end, today
from lvzhi.proposals.workflow import Context, handler

S = Proposal.State
A = Assignment.State


def _mine(ctx: Context, *, states: tuple[str, ...] = (A.HANDLING,)) -> Assignment:
    a = ctx.assignment
    assert a is not None  # _check_who found it
    if a.state not in states:
        raise Refusal("wrong_state", _("本单位对该提案的办理状态为“%(state)s”，不能执行此操作。")
                      % {"state": a.get_state_display()}, status=409)
    ctx.data["assignment"] = a.pk
    return a


def _date(value: object, message: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise Refusal("bad_date", message) from None


@handler("record_contact")
def record_contact(ctx: Context) -> None:
    a = _mine(ctx, states=(A.HANDLING, A.REPLIED))
    way = ctx.param("way", _("请选择沟通方式。"))
    if way not in Contact.Way.values:
        raise Refusal("bad_way", _("请选择沟通方式。"))
    on = _date(ctx.param("date", _("请填写沟通日期。")), _("沟通日期格式不正确。"))
    if on > today():
        raise Refusal("future_date", _("沟通日期不能晚于今天。"))
    summary = ctx.text("summary", _("请填写沟通情况。"))
    Contact.objects.create(body_id=a.body_id, assignment=a, way=way, date=on, summary=summary,
                           recorded_by=ctx.actor)
    ctx.data.update(way=way, date=on)


@handler("co_opinion")
def co_opinion(ctx: Context) -> None:
    a = _mine(ctx)
    if a.role != Assignment.Role.CO:
        raise Refusal("not_co_unit", _("只有会办单位需要会签。"), status=409)
    a.co_opinion = ctx.text("opinion", _("请填写会办意见。"))
    a.state = A.SIGNED_OFF
    a.save(update_fields=["co_opinion", "state"])
    lead = ctx.proposal.assignments.filter(role=Assignment.Role.LEAD).first()
    if lead:
        notices.units(ctx.proposal, [lead.unit_id], _("会办单位已会签"), a.unit.name)


@handler("reply")
def reply(ctx: Context) -> None:
    a = _mine(ctx)
    p = ctx.proposal
    if not a.replies_itself:
        raise Refusal("co_unit_cannot_reply", _("会办单位请提交会办意见，由主办单位统一答复。"),
                      status=409)
    category = str(ctx.params.get("category") or "")
    text = str(ctx.params.get("text") or "").strip()
    commitment = str(ctx.params.get("commitment") or "").strip()
    errors = {}
    if category not in ctx.rules.category_codes():
        errors["category"] = ("bad_category", _("请选择有效的答复类别。"))
    if not text:
        errors["text"] = ("missing_text", _("请填写答复内容。"))
    if category == "B" and not commitment:
        errors["commitment"] = ("missing_commitment", _("B 类答复须写明落实承诺和时间。"))
    refuse_fields(errors)
    if ctx.rules.require_contact and not a.contacts.exists():
        raise Refusal("contact_first", _("答复前须先与提案人沟通并记录。"), status=409)
    if a.role == Assignment.Role.LEAD and p.assignments.filter(
            role=Assignment.Role.CO, state=A.HANDLING).exists():
        raise Refusal("co_pending", _("会办单位尚未全部会签，暂不能答复。"), status=409)
    reply_row = Reply.objects.create(body_id=a.body_id, assignment=a, round=p.round,
                                     category=category, text=text, commitment=commitment,
                                     submitted_by=ctx.actor)
    a.state, a.replied_on = A.REPLIED, today()
    a.save(update_fields=["state", "replied_on"])
    ctx.data.update(reply=reply_row.pk, category=category)
    notices.office(p, _("承办单位已答复，待审核"), f"{a.unit.name}：{p.title}")


@handler("request_return")
def request_return(ctx: Context) -> None:
    a = _mine(ctx)
    last_day = return_window_end(ctx.rules, a.assigned_on)
    if today() > last_day:
        raise Refusal("return_late", _("申请退回须在交办后 %(n)s 个工作日内（%(date)s 前）提出，"
                                       "现已逾期。") % {"n": ctx.rules.return_window_workdays,
                                                      "date": cn_date(last_day)},
                      status=409)
    _no_pending(a, UnitRequest.Kind.RETURN)
    row = UnitRequest.objects.create(body_id=a.body_id, assignment=a,
                                     kind=UnitRequest.Kind.RETURN,
                                     reason=ctx.text("reason", _("请写明申请退回的理由。")))
    ctx.data["request"] = row.pk
    notices.office(ctx.proposal, _("承办单位申请退回提案"), f"{a.unit.name}：{row.reason}")


@handler("request_extension")
def request_extension(ctx: Context) -> None:
    a = _mine(ctx)
    if today() > a.deadline:
        raise Refusal("extension_late", _("延期须在办理期限（%(date)s）前申请。") % {
            "date": cn_date(a.deadline)}, status=409)
    wanted = _date(ctx.param("new_deadline", _("请填写申请延期至的日期。")),
                   _("延期日期格式不正确。"))
    limit = latest_extension(ctx.rules, a.assigned_on)
    if wanted <= a.deadline or wanted > limit:
        message = _("延期日期须晚于现期限，且不超过交办后 %(n)s 个月（%(date)s）。")
        raise Refusal("bad_extension", message % {
            "n": ctx.rules.max_extension_months, "date": cn_date(limit)})
    _no_pending(a, UnitRequest.Kind.EXTENSION)
    row = UnitRequest.objects.create(body_id=a.body_id, assignment=a,
                                     kind=UnitRequest.Kind.EXTENSION, new_deadline=wanted,
                                     reason=ctx.text("reason", _("请写明申请延期的理由。")))
    ctx.data.update(request=row.pk, new_deadline=wanted)
    notices.office(ctx.proposal, _("承办单位申请延期"), f"{a.unit.name}：{row.reason}")


def _no_pending(a: Assignment, kind: str) -> None:
    if a.requests.filter(kind=kind, state=UnitRequest.State.PENDING).exists():
        raise Refusal("request_pending", _("已有一份同类申请在处理中。"), status=409)


@handler("decide_request")
def decide_request(ctx: Context) -> None:
    request_id = ctx.id("request", _("请选择要处理的申请。"))
    row = UnitRequest.objects.select_related("assignment__unit").filter(
        pk=request_id, assignment__proposal=ctx.proposal).first()
    if row is None or row.state != UnitRequest.State.PENDING:
        raise Refusal("no_such_request", _("该申请不存在或已处理。"), status=409)
    approve = bool(ctx.params.get("approve"))
    row.state = UnitRequest.State.APPROVED if approve else UnitRequest.State.REFUSED
    row.decision_note = str(ctx.params.get("comment") or "")
    row.save(update_fields=["state", "decision_note"])
    a = row.assignment
    if approve and row.kind == UnitRequest.Kind.RETURN:
        a.state = A.RETURNED
        a.save(update_fields=["state"])
    elif approve:
        a.deadline = row.new_deadline
        a.save(update_fields=["deadline"])
    ctx.data.update(request=row.pk, kind=row.kind, approved=approve)
    verdict = _("已同意") if approve else _("未同意")
    notices.units(ctx.proposal, [a.unit_id], _("%(kind)s%(verdict)s") % {
        "kind": row.get_kind_display(), "verdict": verdict}, row.decision_note)


@handler("review_reply")
def review_reply(ctx: Context) -> None:
    p = ctx.proposal
    reply_id = ctx.id("reply", _("请选择要审核的答复。"))
    row = Reply.objects.select_related("assignment").filter(
        pk=reply_id, assignment__proposal=p).first()
    if row is None or row.state != Reply.State.PENDING:
        raise Refusal("no_such_reply", _("该答复不存在或已审核。"), status=409)
    decision = ctx.param("decision", _("请选择审核结果。"))
    a = row.assignment
    if decision == "send_back":
        row.state = Reply.State.SENT_BACK
        row.review_note = ctx.text("comment", _("请写明退回重答的原因。"))
        a.state = A.HANDLING
        notices.units(p, [a.unit_id], _("答复被退回，请重新答复"), row.review_note)
    elif decision == "accept":
        category = ctx.params.get("category") or row.category
        if category not in ctx.rules.category_codes():
            raise Refusal("bad_category", _("请选择有效的答复类别。"))
        ctx.data["category_changed"] = category != row.category
        row.category, row.state = category, Reply.State.ACCEPTED
        row.review_note = str(ctx.params.get("comment") or "")
        a.state = A.ACCEPTED
    else:
        raise Refusal("bad_decision", _("请选择审核结果。"))
    row.save(update_fields=["state", "category", "review_note"])
    a.save(update_fields=["state"])
    ctx.data.update(reply=row.pk, decision=decision, category=row.category)
    if decision == "accept":
        _maybe_ready_for_evaluation(ctx)


def _maybe_ready_for_evaluation(ctx: Context) -> None:
    p = ctx.proposal
    replying = p.assignments.exclude(role=Assignment.Role.CO).exclude(state=A.RETURNED)
    if replying.exclude(state=A.ACCEPTED).exists():
        return
    p.state = S.EVALUATING
    p.evaluation_deadline = WorkCalendar().add_workdays(today(), ctx.rules.evaluation_workdays)
    p.save(update_fields=["state", "evaluation_deadline"])
    notices.proposers(p, _("您的提案已答复，请评价"), _("请在 %(date)s 前评价办理结果。") % {
        "date": cn_date(p.evaluation_deadline)})
