"""Task ledgers on a phone: a department's (or a leader's) tasks, one task with its
milestones and reports, and reporting progress with files."""

import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from lvzhi.api.files import FileOut, file_out
from lvzhi.api.paging import Mapped, Pages
from lvzhi.api.types import Id, text
from lvzhi.core import links
from lvzhi.core.access import actor_for
from lvzhi.core.attachments import attachments_by_parent, attachments_of
from lvzhi.ledgers import services, workflow
from lvzhi.ledgers.models import ProgressReport, Task

router = Router(tags=["ledgers"])
Year = Annotated[int, Field(ge=2000, le=2100, description="年度（默认本年度）")]


class TaskOut(Schema):
    id: int
    number: int
    title: str
    category_label: str
    department: str
    leader: str
    status: str = Field(description="on_time（按计划推进）、behind（滞后）、done、cancelled")
    status_label: str
    next_due: datetime.date | None = Field(description="下一个未到期的时间节点")


def _task_out(t: Task) -> dict:
    today = timezone.localdate()
    code = services.status(t)
    upcoming = [m.due_on for m in t.milestones.all() if m.due_on >= today]
    return {"id": t.pk, "number": t.number, "title": t.title,
            "category_label": t.get_category_display(),
            "department": t.unit.name if t.unit_id else
            t.department.name if t.department_id else t.body.short_name,
            "leader": t.leader, "status": code, "status_label": str(
                services.STATUS_LABELS[code]), "next_due": upcoming[0] if upcoming else None}


@router.get("/tasks", response=list[TaskOut],
            summary="台账任务（mine=true 只列本部门的，led=true 只列我牵头的）",
            operation_id="listTasks")
@paginate(Pages, page_size=50)
def tasks(request: HttpRequest, year: Year | None = None, mine: bool = False,
          led: bool = False):
    rows = services.tasks_for(request.user).filter(
        ledger__year=year or timezone.localdate().year).select_related(
        "department", "unit", "body").prefetch_related("milestones", "reports")
    if mine:
        departments = {d for ds in actor_for(request.user).departments.values() for d in ds}
        rows = rows.filter(department_id__in=departments)
    if led:
        rows = rows.filter(services.led_by(request.user))
    return Mapped(rows, _task_out)


class MilestoneOut(Schema):
    due_on: datetime.date
    what: str


class ProgressReportOut(Schema):
    id: int
    author: str
    text: str
    figures: str
    returned: bool
    return_reason: str
    created_at: datetime.datetime
    files: list[FileOut]


class LinkOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str = Field(description="关联事项的页面地址（网页）")


class TaskDetailOut(TaskOut):
    cooperating: str
    responsible: str
    links: list[LinkOut] = Field(description="关联的年度工作要点事项和活动")
    files: list[FileOut] = Field(description="任务材料")
    milestones: list[MilestoneOut]
    reports: list[ProgressReportOut]
    allowed_actions: list[str] = Field(description="当前用户现在可以执行的操作")


def _detail(request: HttpRequest, t: Task) -> dict:
    reports = list(t.reports.select_related("author"))
    files = attachments_by_parent(ProgressReport, [r.pk for r in reports])
    linked = [(link, links.kind_of(link.target)) for link in t.links.all()]
    return {**_task_out(t), "cooperating": t.cooperating, "responsible": t.responsible,
            "links": [{"kind": k.code, "kind_label": str(k.label), "title": str(link.target),
                       "url": k.url(link.target)} for link, k in linked if k is not None],
            "files": [file_out(f) for f in attachments_of(t)],
            "milestones": [{"due_on": m.due_on, "what": m.what} for m in t.milestones.all()],
            "reports": [{"id": r.pk, "author": r.author.full_name, "text": r.text,
                         "figures": r.figures, "returned": r.returned,
                         "return_reason": r.return_reason, "created_at": r.created_at,
                         "files": [file_out(f) for f in files.get(r.pk, [])]}
                        for r in reports],
            "allowed_actions": workflow.allowed_actions(t, request.user)}


@router.get("/tasks/{task_id}", response=TaskDetailOut, summary="一项台账任务：时间节点和进展报告",
            operation_id="getTask")
def get_task(request: HttpRequest, task_id: Id) -> dict:
    return _detail(request, get_object_or_404(services.tasks_for(request.user)
                                              .select_related("department", "unit", "body"),
                                              pk=task_id))


class ProgressIn(Schema):
    text: text(4000, "进展情况")  # type: ignore[valid-type]
    figures: text(200, "数据，如：完成调研 3 次") = ""  # type: ignore[valid-type]


@router.post("/tasks/{task_id}/report", response={201: TaskDetailOut},
             summary="报告进展（牵头部门，可附文件）", operation_id="reportProgress")
def report(request: HttpRequest, task_id: Id, payload: Form[ProgressIn],
           files: File[list[UploadedFile]] = None) -> Status:
    t = workflow.perform(task_id, "report", request.user, text=payload.text,
                         figures=payload.figures, files=files or [])
    return Status(201, _detail(request, t))


class DeadlineIn(Schema):
    milestone_id: Id
    new_due_on: datetime.date
    reason: text(300, "申请调整的理由")  # type: ignore[valid-type]


@router.post("/tasks/{task_id}/deadline", response={201: TaskDetailOut},
             summary="申请调整时间节点（牵头部门或区县，由督查考评部门审核）",
             operation_id="requestDeadlineChange")
def ask_deadline(request: HttpRequest, task_id: Id, payload: DeadlineIn) -> Status:
    t = workflow.perform(task_id, "ask_deadline", request.user, milestone=payload.milestone_id,
                         new_due_on=payload.new_due_on.isoformat(), reason=payload.reason)
    return Status(201, _detail(request, t))
