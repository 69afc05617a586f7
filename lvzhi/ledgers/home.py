"""The ledgers' menu entry and home-page section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.access import Actor, actor_for, bodies_with
from lvzhi.core.home import Item, Section
from lvzhi.core.models import RoleKind
from lvzhi.core.paths import page_url
from lvzhi.ledgers import services
from lvzhi.ledgers.models import Task


def nav(user: Any) -> list[tuple[str, str]]:
    if bodies_with(user, "ledgers.read_all"):
        return [(_("工作台账"), page_url("ledgers:board"))]
    if actor_for(user).handling_units:
        return [(_("整改事项"), page_url("ledgers:mine"))]
    return []


def section(actor: Actor) -> Section | None:
    return _department(actor) or _leader(actor) or _unit(actor)


def _unit(actor: Actor) -> Section | None:
    """A handling unit's rectification items (民主监督整改)."""
    if not actor.handling_units:
        return None
    items = list(Task.objects.filter(unit_id__in=actor.handling_units, state=Task.State.OPEN)
                 .prefetch_related("milestones", "reports"))
    if not items:
        return None
    behind = sum(1 for t in items if services.status(t) == services.BEHIND)
    url = reverse("ledgers:mine")
    rows = [Item(_("本单位的整改事项"), url, len(items))]
    if behind:
        rows.append(Item(_("其中逾期未报告"), url, behind))
    return Section(_("民主监督整改"), rows)


def _leader(actor: Actor) -> Section | None:
    if not actor.has_role(RoleKind.LEADER):
        return None
    led = list(Task.objects.filter(services.led_by(actor.user), state=Task.State.OPEN)
               .prefetch_related("milestones", "reports"))
    if not led:
        return None
    behind = sum(1 for t in led if services.status(t) == services.BEHIND)
    url = reverse("ledgers:board") + "?led=1"
    items = [Item(_("我牵头的进行中任务"), url, len(led))]
    if behind:
        items.append(Item(_("其中滞后"), url + "&status=behind", behind))
    return Section(_("工作台账"), items)


def _department(actor: Actor) -> Section | None:
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
