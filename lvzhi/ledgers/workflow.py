"""A task's actions, through the one workflow entry point (core.workflow): the lead
department reports progress (with files); the reviewing office confirms done, cancels with
a reason, sends a report back, or urges (催办)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.attachments import attach, check_upload
from lvzhi.core.errors import Refusal
from lvzhi.core.models import User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.workflow import Action, Context, Workflow
from lvzhi.ledgers import services
from lvzhi.ledgers.models import ProgressReport, Task

S = Task.State
OPEN = frozenset({S.OPEN})


def _visible(user: Any) -> QuerySet:
    return services.tasks_for(user)


WORKFLOW: Workflow[Task] = Workflow(
    model=Task, visible=_visible, rules=lambda t: services.rules_for(t.body_id),
    roles={"owner": lambda ctx: services.owns(ctx.actor, ctx.obj),
           "office": lambda ctx: services.reviews(ctx.actor, services.reviewing_body(ctx.obj))},
    actions={
        "report": Action(gettext_lazy("报告进展"), "owner", OPEN),
        "complete": Action(gettext_lazy("确认完成"), "office", OPEN),
        "cancel": Action(gettext_lazy("取消任务"), "office", OPEN),
        "return_report": Action(gettext_lazy("退回进展报告"), "office", OPEN),
        "urge": Action(gettext_lazy("催办"), "office", OPEN),
    },
    not_found=gettext_lazy("找不到该任务，或您无权查看。"), noun=gettext_lazy("该任务"),
    event_labels={"created": gettext_lazy("列入台账"),
                  "assigned": gettext_lazy("市政协交办")}, related=("department", "source"),
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
