"""The activities app's menu entries and home-page section."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.activities.models import Activity, Invitation
from lvzhi.core.access import Actor, actor_for, bodies_with
from lvzhi.core.home import Item, Section
from lvzhi.core.paths import page_url


def nav(user: Any) -> list[tuple[str, str]]:
    items = []
    seats = actor_for(user).seat_ids
    if seats and Invitation.objects.filter(member_id__in=seats).exists():
        items.append((_("我的活动"), page_url("activities:mine")))
    if bodies_with(user, "activities.manage", write=True):
        items.append((_("活动管理"), page_url("activities:manage")))
    elif bodies_with(user, "activities.read_all"):
        items.append((_("工作要点"), page_url("activities:plan")))  # leaders follow the plan
    return items


def section(actor: Actor) -> Section | None:
    now = timezone.now()
    upcoming = Invitation.objects.filter(
        member__user=actor.user, activity__state=Activity.State.NOTIFIED,
        activity__ends_at__gte=now).select_related("activity").order_by("activity__starts_at")[:5]
    when = _("%m月%d日 %H:%M")  # a strftime pattern
    items = [Item(f"{timezone.localtime(r.activity.starts_at).strftime(when)} {r.activity.title}",
                  r.activity.get_absolute_url()) for r in upcoming]
    return Section(_("近期活动"), items) if items else None
