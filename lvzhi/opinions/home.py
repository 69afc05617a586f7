"""The opinions app's menu entries and home-page section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.access import Actor, bodies_with
from lvzhi.core.home import Item, Section
from lvzhi.core.paths import page_url
from lvzhi.opinions.access import office_bodies
from lvzhi.opinions.models import Report


def nav(user: Any) -> list[tuple[str, str]]:
    items = []
    if bodies_with(user, "opinions.submit"):
        items.append((_("社情民意"), page_url("opinions:mine")))
    if bodies_with(user, "opinions.read_all") or office_bodies(user):  # cheap test first
        items.append((_("信息处理"), page_url("opinions:office")))
    return items


def section(actor: Actor) -> Section | None:
    items = []
    returned = Report.objects.filter(reporter=actor.user, state=Report.State.RETURNED).count()
    if returned:
        items.append(Item(_("退回补充的信息"), reverse("opinions:mine"), returned))
    bodies = office_bodies(actor.user)
    if bodies:
        waiting = Report.objects.filter(body_id__in=bodies, state=Report.State.SUBMITTED).count()
        if waiting:
            items.append(Item(_("待处理的社情民意信息"),
                              reverse("opinions:office") + "?state=submitted", waiting))
    if not items and bodies_with(actor.user, "opinions.submit"):
        items.append(Item(_("报送一条社情民意信息"), reverse("opinions:new")))
    return Section(_("社情民意"), items) if items else None
