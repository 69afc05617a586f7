"""A task's actions, through the one workflow entry point (core.workflow): the lead
department reports progress (with files); the reviewing office confirms done, cancels with
a reason, sends a report back, or urges (催办)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import links
from lvzhi.core.attachments import attach, check_upload
from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.inputs import to_date
from lvzhi.core.models import User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.workflow import Action, Context, Workflow
from lvzhi.ledgers import services
from lvzhi.ledgers.models import DeadlineRequest, Milestone, ProgressReport, Task, TaskLink

S = Task.State
OPEN = frozenset({S.OPEN})
ANY = frozenset(S.values)


def _visible(user: Any) -> QuerySet:
    return services.tasks_for(user)


WORKFLOW: Workflow[Task] = Workflow(
    model=Task, visible=_visible, rules=lambda t: services.rules_for(t.body_id),
    roles={"owner": lambda ctx: services.owns(ctx.actor, ctx.obj),
           "office": lambda ctx: services.reviews(ctx.actor, services.reviewing_body(ctx.obj)),
           "checker": lambda ctx: services.checks(ctx.actor, ctx.obj)},
    actions={
        "report": Action(gettext_lazy("报告进展"), "owner", OPEN),
        "complete": Action(gettext_lazy("确认完成"), "checker", OPEN),
        "cancel": Action(gettext_lazy("取消任务"), "office", OPEN),
        "return_report": Action(gettext_lazy("退回进展报告"), "checker", OPEN),
        "urge": Action(gettext_lazy("催办"), "office", OPEN),
        "ask_deadline": Action(gettext_lazy("申请调整时间节点"), "owner", OPEN),
        "decide_deadline": Action(gettext_lazy("审核调整时间节点申请"), "office", OPEN),
        "link": Action(gettext_lazy("关联工作要点或活动"), "office", ANY),
        "unlink": Action(gettext_lazy("取消关联"), "office", ANY),
        "attach": Action(gettext_lazy("上传任务材料"), "office", ANY),
    },
    not_found=gettext_lazy("找不到该任务，或您无权查看。"), noun=gettext_lazy("该任务"),
    event_labels={"created": gettext_lazy("列入台账"),
                  "assigned": gettext_lazy("市政协交办"),
                  "milestone": gettext_lazy("新增时间节点")}, related=("department", "source"),
)
allowed_actions = WORKFLOW.allowed_actions


def perform(task: Task | int, name: str, actor: User, /, **params: Any) -> Task:
    return WORKFLOW.perform(task, name, actor, **params)


@WORKFLOW.handler("report")
def _report(ctx: Context) -> None:
    text = ctx.text("text", _("请填写进展情况。"))
    files = ctx.params.get("files") or []
    for upload in files:
        check_upload(upload)  # refused with its message before anything is saved
    row = ProgressReport.objects.create(
        body_id=ctx.obj.body_id, task=ctx.obj, author=ctx.actor, text=text[:4000],
        figures=str(ctx.params.get("figures") or "")[:200])
    for upload in files:
        attach(row, upload, ctx.actor)
    ctx.data["report"] = row.pk
    notify(_office(ctx.obj), Message(ctx.obj.body_id, _("任务有新进展：%(t)s") % {
        "t": ctx.obj.title}, text[:200], ctx.obj.get_absolute_url()))


@WORKFLOW.handler("complete")
def _complete(ctx: Context) -> None:
    if ctx.obj.unit_id and ctx.rules.close_needs_evidence and not _has_evidence(ctx.obj):
        raise Refusal("no_evidence", _("该整改事项还没有附佐证材料的进展报告，不能销号。"),
                      status=409)
    ctx.obj.state = S.DONE
    ctx.obj.save(update_fields=["state"])
    _tell_owner(ctx.obj, _("任务已确认完成：%(t)s"))


@WORKFLOW.handler("cancel")
def _cancel(ctx: Context) -> None:
    ctx.obj.reason = ctx.text("reason", _("请填写取消任务的原因。"))[:200]
    ctx.obj.state = S.CANCELLED
    ctx.obj.save(update_fields=["state", "reason"])
    _tell_owner(ctx.obj, _("任务已取消：%(t)s"), ctx.obj.reason)


@WORKFLOW.handler("return_report")
def _return_report(ctx: Context) -> None:
    reason = ctx.text("reason", _("请填写退回的理由。"))[:200]
    row = ctx.obj.reports.filter(returned=False).first()
    if row is None:
        raise Refusal("no_report", _("还没有可以退回的进展报告。"), status=409)
    row.returned, row.return_reason = True, reason
    row.save(update_fields=["returned", "return_reason"])
    ctx.data["report"] = row.pk
    _tell_owner(ctx.obj, _("进展报告被退回：%(t)s"), reason)


@WORKFLOW.handler("urge")
def _urge(ctx: Context) -> None:
    _tell_owner(ctx.obj, _("催办：%(t)s"), str(ctx.params.get("comment") or ""))


@WORKFLOW.handler("ask_deadline")
def _ask_deadline(ctx: Context) -> None:
    """The new date within the task's year and not in the past; one open request at a time."""
    milestone = ctx.obj.milestones.filter(pk=ctx.id("milestone", _("请选择要调整的时间节点。"))
                                          ).first()
    if milestone is None:
        raise Refusal("bad_milestone", _("请选择本任务的时间节点。"))
    day = to_date(ctx.params.get("new_due_on"))
    reason = str(ctx.params.get("reason") or "").strip()
    errors = {}
    if day is None or day == milestone.due_on or day < timezone.localdate() \
            or day.year != ctx.obj.ledger.year:
        errors["new_due_on"] = ("bad_new_due_on", _(
            "请填写新的日期：不早于今天、不同于原日期，且在%(y)s年内。") % {
                "y": ctx.obj.ledger.year})
    if not reason:
        errors["reason"] = ("missing_reason", _("请填写申请调整的理由。"))
    refuse_fields(errors)
    if ctx.obj.deadline_requests.filter(state=DeadlineRequest.State.PENDING).exists():
        raise Refusal("pending", _("已有一项调整申请正在审核。"), status=409)
    row = DeadlineRequest.objects.create(
        body_id=ctx.obj.body_id, task=ctx.obj, milestone=milestone,
        old_due_on=milestone.due_on, new_due_on=day, reason=reason[:300], author=ctx.actor)
    ctx.data.update({"request": row.pk, "from": str(milestone.due_on), "to": str(day)})
    notify(_office(ctx.obj), Message(ctx.obj.body_id, _("申请调整时间节点：%(t)s") % {
        "t": ctx.obj.title}, f"{milestone.due_on} → {day}：{reason[:200]}",
        ctx.obj.get_absolute_url()))


@WORKFLOW.handler("decide_deadline")
def _decide_deadline(ctx: Context) -> None:
    row = ctx.obj.deadline_requests.filter(state=DeadlineRequest.State.PENDING).first()
    if row is None:
        raise Refusal("no_request", _("没有待审核的调整申请。"), status=409)
    approve = str(ctx.params.get("approve") or "") in ("1", "true", "True", "yes")
    row.answer = str(ctx.params.get("answer") or "").strip()[:300]
    if not approve and not row.answer:
        raise Refusal("missing_answer", _("不同意调整时，请填写理由。"))
    row.state = DeadlineRequest.State.APPROVED if approve else DeadlineRequest.State.REFUSED
    row.save(update_fields=["state", "answer"])
    if approve:  # the reminders of the moved milestone start again
        Milestone.objects.filter(pk=row.milestone_id).update(
            due_on=row.new_due_on, reminded_at=None, overdue_sent_at=None)
    ctx.data.update({"request": row.pk, "approved": approve})
    _tell_owner(ctx.obj, (_("同意调整时间节点：%(t)s") if approve
                          else _("未同意调整时间节点：%(t)s")),
                f"{row.old_due_on} → {row.new_due_on} {row.answer}".strip())


@WORKFLOW.handler("link")
def _link(ctx: Context) -> None:
    """A plan item or an activity of the task's body and year (core.links)."""
    kind = links.LINKABLE.get(str(ctx.params.get("kind") or ""))
    if kind is None:
        raise Refusal("bad_kind", _("请选择关联的类型。"))
    target = kind.candidates(ctx.obj.body_id, ctx.obj.ledger.year).filter(
        pk=ctx.id("target", _("请选择要关联的事项。"))).first()
    if target is None:
        raise Refusal("bad_target", _("请选择本政协本年度的%(k)s。") % {"k": kind.label})
    _row, created = TaskLink.objects.get_or_create(
        task=ctx.obj, content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk)
    if not created:
        raise Refusal("already", _("已关联该事项。"), status=409)
    ctx.data.update({"kind": kind.code, "target": target.pk, "label": str(target)[:100]})


@WORKFLOW.handler("unlink")
def _unlink(ctx: Context) -> None:
    row = ctx.obj.links.filter(pk=ctx.id("link", _("请选择要取消的关联。"))).first()
    if row is None:
        raise Refusal("bad_link", _("该任务没有这项关联。"))
    ctx.data["label"] = str(row.target)[:100]
    row.delete()


@WORKFLOW.handler("attach")
def _attach(ctx: Context) -> None:
    files = ctx.params.get("files") or []
    if not files:
        raise Refusal("missing_files", _("请选择要上传的文件。"))
    for upload in files:
        check_upload(upload)
    ctx.data["files"] = [attach(ctx.obj, upload, ctx.actor).pk for upload in files]


def _has_evidence(task: Task) -> bool:
    from lvzhi.core.models import Attachment

    reports = task.reports.filter(returned=False).values("pk")
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(ProgressReport),
        object_id__in=reports).exists()


def _tell_owner(task: Task, title: str, text: str = "") -> None:
    notify(services.department_staff(task), Message(
        task.body_id, title % {"t": task.title}, text, task.get_absolute_url()))


def _office(task: Task):
    from lvzhi.core.models import Role, RoleKind

    body = services.reviewing_body(task)
    rows = Role.objects.filter(body_id=body, kind=RoleKind.STAFF)
    office = services.rules_for(body).office_id
    if office:
        rows = rows.filter(department_id=office)
    return User.objects.filter(pk__in=rows.values("user_id"))
