"""Core endpoints: who am I, my notifications, the people directory, a body's lists."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from lvzhi.api.paging import Pages
from lvzhi.api.types import Id, choice, require_role_in
from lvzhi.core import directory, services
from lvzhi.core.access import bodies_with
from lvzhi.core.models import (
    Body,
    HandlingUnit,
    Member,
    Notification,
    Party,
    Position,
    RoleKind,
    Sector,
    SpecialCommittee,
)
from lvzhi.core.notifications import unread_count
from lvzhi.core.services import mark_read

router = Router(tags=["people"])

# The page a notification links to, as the object a phone app opens instead.
TARGETS = {"proposals:detail": "proposal", "opinions:detail": "report",
           "activities:detail": "activity"}


class RoleOut(Schema):
    kind: choice(RoleKind)
    kind_label: str
    body_id: int
    body: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    mobile: str | None
    roles: list[RoleOut]
    unread_notifications: int
    sms_urgent: bool = Field(description="紧急事项（如办理逾期）是否另发短信")


class MePatch(Schema):
    sms_urgent: StrictBool = Field(description="紧急事项（如办理逾期）是否另发短信")


class TargetOut(Schema):
    type: str = Field(description="proposal、report 或 activity")
    id: int


class NotificationOut(Schema):
    id: int
    title: str
    text: str
    target: TargetOut | None = Field(description="通知所指的对象；用 get{Type} 打开")
    url: str = Field(description="网页版的地址")
    created_at: datetime.datetime
    read: bool

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None

    @staticmethod
    def resolve_target(obj: Notification) -> dict | None:
        try:
            match = resolve(obj.url.split("?")[0].split("#")[0])
        except Resolver404:
            return None
        kind = TARGETS.get(match.view_name)
        return {"type": kind, "id": match.kwargs["pk"]} if kind else None


class PersonOut(Schema):
    id: int = Field(description="委员（届内席位）的 id，联名时用它")
    full_name: str
    body_id: int
    body: str
    position: choice(Position)
    position_label: str
    sector_id: int
    sector: str
    party: choice(Party)
    party_label: str
    committees: list[str]
    employer: str
    mobile: str | None = Field(None, description="只对可查看联系方式的工作人员返回")

    @staticmethod
    def resolve_full_name(obj: Member) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_body(obj: Member) -> str:
        return obj.body.short_name

    @staticmethod
    def resolve_position_label(obj: Member) -> str:
        return obj.get_position_display()

    @staticmethod
    def resolve_sector(obj: Member) -> str:
        return obj.sector.name

    @staticmethod
    def resolve_party_label(obj: Member) -> str:
        return obj.get_party_display()

    @staticmethod
    def resolve_committees(obj: Member) -> list[str]:
        return [c.name for c in obj.committees.all()]

    @staticmethod
    def resolve_mobile(obj: Member, context: dict) -> str | None:
        shown = bodies_with(context["request"].user, "people.view_contacts")
        return obj.user.mobile if obj.body_id in shown else None


@router.get("/me", response=MeOut, summary="当前用户及其各政协中的身份",
            operation_id="getMe")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "id": user.pk, "username": user.username, "full_name": user.full_name,
        "mobile": user.mobile,
        "roles": [{"kind": r.kind, "kind_label": r.label, "body_id": r.body.pk,
                   "body": r.body.name} for r in directory.roles_of(user)],
        "unread_notifications": unread_count(user),
        "sms_urgent": user.sms_urgent,
    }


@router.patch("/me", response=MeOut, summary="修改我的通知方式（紧急事项短信提醒）",
              operation_id="updateMe")
def update_me(request: HttpRequest, payload: MePatch) -> dict:
    services.set_sms_urgent(request.user, payload.sms_urgent)
    return me(request)


@router.get("/notifications", response=list[NotificationOut], summary="我的通知",
            operation_id="listNotifications")
@paginate(Pages, page_size=20)
def notifications(request: HttpRequest, unread: bool = False):
    rows = Notification.objects.filter(recipient=request.user)
    return rows.filter(read_at__isnull=True) if unread else rows


@router.post("/notifications/{notification_id}/read", response={204: None},
             summary="标记通知为已读", operation_id="markNotificationRead")
def read_notification(request: HttpRequest, notification_id: Id) -> Status:
    note = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    mark_read(note)
    return Status(204, None)


class PeopleFilter(Schema):
    q: str = ""
    body: Id | None = None
    sector: Id | None = None
    committee: Id | None = None
    position: choice(Position) | None = None


@router.get("/people", response=list[PersonOut], summary="委员名录",
            operation_id="listPeople")
@paginate(Pages, page_size=50)
def people(request: HttpRequest, filters: Query[PeopleFilter]):
    if not bodies_with(request.user, "people.view"):
        raise Http404  # as the page: no directory for this person
    return directory.search(request.user, **{**filters.dict(),
                                             "position": filters.position or ""})


class NamedOut(Schema):
    id: int
    name: str


class CodeOut(Schema):
    code: str
    label: str


class BodyLookupsOut(Schema):
    id: int
    name: str
    short_name: str
    sectors: list[NamedOut]
    committees: list[NamedOut]
    handling_units: list[NamedOut]
    positions: list[CodeOut]
    parties: list[CodeOut]


def _codes(choices) -> list[dict]:
    return [{"code": value, "label": str(label)} for value, label in choices.choices]


@router.get("/bodies/{body_id}/lookups", response=BodyLookupsOut,
            summary="本政协的界别、专门委员会、承办单位等可选项", operation_id="getBodyLookups")
def lookups(request: HttpRequest, body_id: Id) -> dict:
    require_role_in(request, body_id)
    body = get_object_or_404(Body, pk=body_id)
    named = lambda rows: [{"id": r.pk, "name": r.name} for r in rows]  # noqa: E731
    return {"id": body.pk, "name": body.name, "short_name": body.short_name,
            "sectors": named(Sector.objects.filter(body=body)),
            "committees": named(SpecialCommittee.objects.filter(body=body)),
            "handling_units": named(HandlingUnit.objects.filter(body=body, is_active=True)),
            "positions": _codes(Position), "parties": _codes(Party)}
