"""The ledgers' menu entry and home-page section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.access import Actor, bodies_with
from lvzhi.core.home import Item, Section
from lvzhi.ledgers import services
from lvzhi.ledgers.models import Task


def nav(user: Any) -> list[tuple[str, str]]:
    return [(_("工作台账"), reverse("ledgers:board"))] \
        if bodies_with(user, "ledgers.read_all") else []


def section(actor: Actor) -> Section | None:
    mine = [t for body, depts in actor.departments.items()
            for t in Task.objects.filter(body_id=body, department_id__in=depts,
                                         state=Task.State.OPEN)
            .prefetch_related("milestones", "reports")]
    behind = sum(1 for t in mine if services.status(t) == services.BEHIND)
    if not mine:
        return None
    items = [Item(_("本部门进行中的台账任务"), reverse("ledgers:board") + "?mine=1", len(mine))]
    if behind:
        items.append(Item(_("其中滞后"), reverse("ledgers:board") + "?mine=1&status=behind",
                          behind))
    return Section(_("工作台账"), items)
