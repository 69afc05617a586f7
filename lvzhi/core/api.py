"""Core endpoints: who am I, my notifications, the people directory."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from lvzhi.api.paging import Pages
from lvzhi.api.types import Id
from lvzhi.core import directory
from lvzhi.core.access import bodies_with
from lvzhi.core.models import Member, Notification
from lvzhi.core.notifications import unread_count
from lvzhi.core.services import mark_read

router = Router(tags=["人员与通知"])


class RoleOut(Schema):
    kind: str
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


class NotificationOut(Schema):
    id: int
    title: str
    text: str
    url: str
    created_at: datetime.datetime
    read: bool

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class PersonOut(Schema):
    id: int
    full_name: str
    body: str
    position: str
    sector: str
    party: str
    committees: list[str]
    employer: str
    mobile: str | None = None

    @staticmethod
    def resolve_full_name(obj: Member) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_body(obj: Member) -> str:
        return obj.body.short_name

    @staticmethod
    def resolve_position(obj: Member) -> str:
        return obj.get_position_display()

    @staticmethod
    def resolve_sector(obj: Member) -> str:
        return obj.sector.name

    @staticmethod
    def resolve_party(obj: Member) -> str:
        return obj.get_party_display()

    @staticmethod
    def resolve_committees(obj: Member) -> list[str]:
        return [c.name for c in obj.committees.all()]

    @staticmethod
    def resolve_mobile(obj: Member, context: dict) -> str | None:
        shown = bodies_with(context["request"].user, "people.view_contacts")
        return obj.user.mobile if obj.body_id in shown else None


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "id": user.pk, "username": user.username, "full_name": user.full_name,
        "mobile": user.mobile,
        "roles": [{"kind": r.kind, "kind_label": r.label, "body_id": r.body.pk,
                   "body": r.body.name} for r in directory.roles_of(user)],
        "unread_notifications": unread_count(user),
    }


@router.get("/notifications", response=list[NotificationOut], summary="我的通知")
@paginate(Pages, page_size=20)
def notifications(request: HttpRequest, unread: bool = False):
    rows = Notification.objects.filter(recipient=request.user)
    return rows.filter(read_at__isnull=True) if unread else rows


@router.post("/notifications/{notification_id}/read", response={204: None},
             summary="标记通知为已读")
def read_notification(request: HttpRequest, notification_id: Id) -> Status:
    note = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    mark_read(note)
    return Status(204, None)


class PeopleFilter(Schema):
    q: str = ""
    body: Id | None = None
    sector: Id | None = None
    committee: Id | None = None
    position: str = ""


@router.get("/people", response=list[PersonOut], summary="委员名录")
@paginate(Pages, page_size=50)
def people(request: HttpRequest, filters: Query[PeopleFilter]):
    if not bodies_with(request.user, "people.view"):
        raise Http404  # as the page: no directory for this person
    return directory.search(request.user, **filters.dict())
