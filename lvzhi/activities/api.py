"""Activities in the HTTP API: my activities, register or cancel, ask leave, check in,
rate a consultation, and the outcomes I wrote."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from lvzhi.activities import services, workflow
from lvzhi.activities.access import get_activity_for
from lvzhi.activities.models import Activity, Feedback, Invitation, Kind, Outcome
from lvzhi.api.files import FileOut, file_out
from lvzhi.api.paging import Mapped, Pages
from lvzhi.api.types import Id, choice, text
from lvzhi.core.attachments import attachments_of

router = Router(tags=["activities"])
I = Invitation  # noqa: E741


class MyActivityOut(Schema):
    id: int
    title: str
    kind: choice(Kind, "ActivityKind")
    kind_label: str
    state: choice(Activity.State)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    registration: choice(I.Registration)
    registration_label: str
    leave: choice(I.Leave)
    leave_label: str
    checked_in: bool
    attendance: choice(I.Attendance) | None
    attendance_label: str


class ActivityDetailOut(MyActivityOut):
    organiser: str
    agenda: str
    online: bool
    leave_deadline: datetime.datetime
    can_rate: bool
    materials: list[FileOut]


def _out(row: Invitation) -> dict:
    a = row.activity
    return {"id": a.pk, "title": a.title, "kind": a.kind, "kind_label": a.get_kind_display(),
            "state": a.state, "starts_at": a.starts_at, "ends_at": a.ends_at, "place": a.place,
            "registration": row.registration,
            "registration_label": row.get_registration_display(),
            "leave": row.leave, "leave_label": row.get_leave_display(),
            "checked_in": row.checked_in_at is not None,
            "attendance": row.attendance or None,
            "attendance_label": row.get_attendance_display() if row.attendance else ""}


def _detail(row: Invitation) -> dict:
    a = row.activity
    return {**_out(row), "organiser": a.organiser, "agenda": a.agenda,
            "online": bool(a.online_link), "leave_deadline": services.leave_deadline(a),
            "can_rate": services.can_rate(a, row),
            "materials": [file_out(f) for f in attachments_of(a)]}


def _mine(request: HttpRequest, activity_id: int) -> Invitation:
    a = get_activity_for(request.user, activity_id)
    return get_object_or_404(Invitation.objects.select_related("activity"), activity=a,
                             member__user=request.user)


class LeaveIn(Schema):
    reason: text(200)


class CheckInIn(Schema):
    code: text(64, "现场屏幕上二维码中的签到码")


class CheckInOut(Schema):
    checked_in: bool
    already: bool


class RatingIn(Schema):
    topic: int = Field(ge=1, le=5, description="选题，1–5 分")
    organisation: int = Field(ge=1, le=5, description="组织，1–5 分")
    service: int = Field(ge=1, le=5, description="服务，1–5 分")
    effect: int = Field(ge=1, le=5, description="成效，1–5 分")
    comment: text(500) = ""


class FeedbackOut(Schema):
    kind: choice(Feedback.FeedbackKind, "FeedbackKind")
    kind_label: str
    level: str
    text: str
    date: datetime.date


class ActivityOutcomeOut(Schema):
    id: int
    kind: choice(Outcome.OutcomeKind, "OutcomeKind")
    kind_label: str
    title: str
    text: str
    activity_id: int | None
    activity: str | None
    recipients: str
    feedback: list[FeedbackOut]

    @staticmethod
    def resolve_kind_label(obj: Outcome) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_activity(obj: Outcome) -> str | None:
        return obj.activity.title if obj.activity_id else None

    @staticmethod
    def resolve_feedback(obj: Outcome) -> list[dict]:
        return [{"kind": f.kind, "kind_label": f.get_kind_display(), "level": f.level,
                 "text": f.text, "date": f.date} for f in obj.feedback.all()]


@router.get("/mine", response=list[MyActivityOut], summary="我的活动（新的在前）",
            operation_id="listMyActivities")
@paginate(Pages, page_size=20)
def mine(request: HttpRequest):
    rows = Invitation.objects.filter(member__user=request.user).select_related("activity")\
        .order_by("-activity__starts_at", "-id")
    return Mapped(rows, _out)


@router.get("/outcomes", response=list[ActivityOutcomeOut], summary="我参与撰写的成果及其采用情况",
            operation_id="listMyOutcomes")
@paginate(Pages, page_size=20)
def outcomes(request: HttpRequest):
    return Outcome.objects.filter(authors__user=request.user).select_related("activity")\
        .prefetch_related("feedback").order_by("-created_at", "-id")


@router.get("/{activity_id}", response=ActivityDetailOut, summary="活动详情及我的报名、请假、出勤",
            operation_id="getActivity")
def detail(request: HttpRequest, activity_id: Id):
    return _detail(_mine(request, activity_id))


@router.post("/{activity_id}/register", response=ActivityDetailOut, summary="报名",
             operation_id="registerForActivity")
def register(request: HttpRequest, activity_id: Id):
    workflow.register(request.user, get_activity_for(request.user, activity_id))
    return detail(request, activity_id)


@router.post("/{activity_id}/cancel", response=ActivityDetailOut, summary="取消报名",
             operation_id="cancelRegistration")
def cancel(request: HttpRequest, activity_id: Id):
    workflow.cancel_registration(request.user, get_activity_for(request.user, activity_id))
    return detail(request, activity_id)


@router.post("/{activity_id}/leave", response=ActivityDetailOut, summary="请假",
             operation_id="askLeave")
def leave(request: HttpRequest, activity_id: Id, payload: LeaveIn):
    workflow.ask_leave(request.user, get_activity_for(request.user, activity_id),
                       payload.reason)
    return detail(request, activity_id)


@router.post("/{activity_id}/checkin", response=CheckInOut, summary="签到（二维码或签到码）",
             operation_id="checkIn")
def check_in(request: HttpRequest, activity_id: Id, payload: CheckInIn):
    new = workflow.check_in(request.user, activity_id, payload.code)
    return {"checked_in": True, "already": not new}


@router.post("/{activity_id}/rate", response={204: None},
             summary="评价已结束的协商活动（匿名；每人一次）", operation_id="rateActivity")
def rate(request: HttpRequest, activity_id: Id, payload: RatingIn) -> Status:
    scores = payload.dict(exclude={"comment"})
    workflow.rate(request.user, get_activity_for(request.user, activity_id), scores,
                  payload.comment)
    return Status(204, None)
