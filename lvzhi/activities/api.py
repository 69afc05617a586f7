"""Activities in the HTTP API: my activities, register, ask leave, check in."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from lvzhi.activities import workflow
from lvzhi.activities.access import get_activity_for
from lvzhi.activities.models import Invitation
from lvzhi.api.types import Id

router = Router(tags=["协商议政"])


class MyActivityOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: datetime.datetime
    place: str
    registration: str
    leave: str
    checked_in: bool
    attendance: str


def _out(row: Invitation) -> dict:
    a = row.activity
    return {"id": a.pk, "title": a.title, "kind": a.get_kind_display(),
            "starts_at": a.starts_at, "place": a.place, "registration": row.registration,
            "leave": row.leave, "checked_in": row.checked_in_at is not None,
            "attendance": row.attendance}


class LeaveIn(Schema):
    reason: str


class CheckInIn(Schema):
    code: str


class CheckInOut(Schema):
    checked_in: bool
    already: bool


@router.get("/mine", response=list[MyActivityOut], summary="我的活动")
def mine(request: HttpRequest):
    rows = Invitation.objects.filter(member__user=request.user).select_related("activity")\
        .order_by("-activity__starts_at")[:100]
    return [_out(r) for r in rows]


@router.post("/{activity_id}/register", response=MyActivityOut, summary="报名")
def register(request: HttpRequest, activity_id: Id):
    return _out(workflow.register(request.user, get_activity_for(request.user, activity_id)))


@router.post("/{activity_id}/leave", response=MyActivityOut, summary="请假")
def leave(request: HttpRequest, activity_id: Id, payload: LeaveIn):
    a = get_activity_for(request.user, activity_id)
    return _out(workflow.ask_leave(request.user, a, payload.reason))


@router.post("/{activity_id}/checkin", response=CheckInOut, summary="签到（二维码或签到码）")
def check_in(request: HttpRequest, activity_id: Id, payload: CheckInIn):
    new = workflow.check_in(request.user, activity_id, payload.code)
    return {"checked_in": True, "already": not new}
