"""The home page: what this person has to do now, section by section for each role.

Each app adds a section provider to SECTIONS as it lands (its queue, its deadlines); the
home view shows the sections that have something to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.access import Actor, bodies_with
from lvzhi.core.models import Member, Notification, RoleKind


@dataclass
class Item:
    text: str
    url: str = ""
    count: int | None = None


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)


def _inbox(actor: Actor) -> Section | None:
    unread = list(Notification.objects.filter(recipient=actor.user, read_at__isnull=True)[:5])
    if not unread:
        return None
    return Section(_("未读通知"), [Item(n.title, reverse("notification", args=[n.pk]))
                                 for n in unread])


def _seats(actor: Actor) -> Section | None:
    seats = Member.objects.filter(user=actor.user, is_active=True, term__is_current=True)\
        .select_related("body", "sector", "term")
    items = [Item(_("%(body)s %(term)s%(position)s · %(sector)s") % {
        "body": s.body.name, "term": s.term, "position": s.get_position_display(),
        "sector": s.sector.name}) for s in seats]
    return Section(_("我的委员身份"), items) if items else None


def _staff(actor: Actor) -> Section | None:
    items = []
    if bodies_with(actor.user, "people.view"):
        items.append(Item(_("委员名录"), reverse("people")))
    if bodies_with(actor.user, "people.import", write=True):
        items.append(Item(_("导入或导出委员名册"), reverse("roster_import")))
    if bodies_with(actor.user, "body.configure", write=True):
        items.append(Item(_("系统配置（届次、会议、界别、专委会、承办单位、节假日）"),
                          reverse("admin:index")))
    if actor.has_role(RoleKind.OVERSIGHT):
        items.append(Item(_("查看所辖区县政协的委员"), reverse("people")))
    if bodies_with(actor.user, "people.activate", write=True):
        items.append(Item(_("账号激活（打印激活通知书、发送激活码）"), reverse("activation")))
    if bodies_with(actor.user, "accounts.manage", write=True):
        items.append(Item(_("账号与角色管理、解除登录锁定"), reverse("admin:index")))
    if bodies_with(actor.user, "audit.read"):
        items.append(Item(_("安全审计日志"), reverse("audit")))
    return Section(_("日常工作"), items) if items else None


SECTIONS: list[Callable[[Actor], Section | None]] = [_inbox, _seats, _staff]


def sections_for(actor: Actor) -> list[Section]:
    return [s for s in (provider(actor) for provider in SECTIONS) if s is not None]


def roles_summary(actor: Actor) -> Any:
    return sorted({str(RoleKind(kind).label) for kind in actor.role_kinds()})
