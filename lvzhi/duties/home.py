"""The duty record's menu entries and home-page section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.access import Actor
from lvzhi.core.home import Item, Section
from lvzhi.core.models import RoleKind
from lvzhi.core.paths import page_url
from lvzhi.duties import access
from lvzhi.duties.models import Declaration, MemberEvaluation


def nav(user: Any) -> list[tuple[str, str]]:
    from lvzhi.core.access import actor_for

    actor = actor_for(user)
    items = []
    if actor.has_role(RoleKind.MEMBER):
        items.append((_("我的履职"), page_url("duties:mine")))
    if access.reading_bodies(user):
        items.append((_("履职考核"), page_url("duties:office")))
        items.append((_("人才库"), page_url("duties:experts")))
    return items


def section(actor: Actor) -> Section | None:
    items = []
    if actor.has_role(RoleKind.MEMBER):
        mine = MemberEvaluation.objects.filter(
            member__user=actor.user, year=timezone.localdate().year,
            member__term__is_current=True).select_related("member__body").first()
        if mine is not None:
            items.append(Item(_("%(b)s本年度履职得分 %(t)s，目前等次：%(g)s") % {
                "b": mine.member.body.short_name, "t": mine.total,
                "g": mine.get_grade_display()}, reverse("duties:mine")))
            if mine.at_risk:
                items.append(Item(_("履职预警：%(r)s") % {"r": "；".join(mine.at_risk)},
                                  reverse("duties:mine")))
        else:
            items.append(Item(_("查看我的履职档案"), reverse("duties:mine")))
    bodies = access.managing_bodies(actor.user)
    if bodies:
        pending = Declaration.objects.filter(body_id__in=bodies,
                                             state=Declaration.State.PENDING).count()
        if pending:
            items.append(Item(_("待确认的履职申报"), reverse("duties:office_declarations"),
                              pending))
    return Section(_("履职档案"), items) if items else None
