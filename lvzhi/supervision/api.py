"""委员微监督 on a phone: report a problem with photos, and follow the ones reported. A
unit's rectification items are ledger tasks: listTasks, getTask, reportProgress and
requestDeadlineChange serve them."""

import datetime

from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from lvzhi.api.files import FileOut, file_out
from lvzhi.api.paging import Mapped, Pages
from lvzhi.api.types import Id, choice, text
from lvzhi.core.attachments import attachments_of
from lvzhi.core.models import Member
from lvzhi.supervision import access, workflow
from lvzhi.supervision.models import Problem

router = Router(tags=["supervision"])
ProblemState = choice(Problem.State, "ProblemState")


class ProblemOut(Schema):
    id: int
    description: str
    place: str
    state: ProblemState  # type: ignore[valid-type]
    state_label: str
    topic: str = Field(description="列入的监督议题（尚未列入时为空）")
    unit: str
    item_id: int | None = Field(description="整改事项（台账任务）的 id，可用 getTask 查看进展")
    created_at: datetime.datetime
    photos: list[FileOut]


def _out(p: Problem) -> dict:
    return {"id": p.pk, "description": p.description, "place": p.place, "state": p.state,
            "state_label": p.get_state_display(), "topic": p.topic.title if p.topic else "",
            "unit": p.unit.name if p.unit else "", "item_id": p.item_id,
            "created_at": p.created_at, "photos": [file_out(f) for f in attachments_of(p)]}


class ProblemIn(Schema):
    description: text(2000, "发现的问题")  # type: ignore[valid-type]
    place: text(120, "地点") = ""  # type: ignore[valid-type]
    unit: Id | None = Field(None, description="可能的责任单位（承办单位 id，见 getBodyLookups）")
    seat_id: Id | None = None


@router.post("/problems", response={201: ProblemOut}, operation_id="reportProblem",
             summary="委员微监督：反映问题（可附照片，最多9张）")
def report_problem(request: HttpRequest, payload: Form[ProblemIn],
                   photos: File[list[UploadedFile]] = None) -> Status:
    seats = Member.objects.filter(user=request.user, is_active=True, term__is_current=True)
    seat = (seats.filter(pk=payload.seat_id) if payload.seat_id else seats).select_related(
        "body").first()
    if seat is None:
        raise Http404
    problem = workflow.report_problem(request.user, seat.body, payload.dict(), photos or [])
    return Status(201, _out(problem))


@router.get("/problems", response=list[ProblemOut], operation_id="listMyProblems",
            summary="我反映的问题及其处理情况（新的在前）")
@paginate(Pages, page_size=20)
def my_problems(request: HttpRequest):
    rows = access.problems_for(request.user).filter(reporter__user=request.user)\
        .select_related("topic", "unit")
    return Mapped(rows, _out)
