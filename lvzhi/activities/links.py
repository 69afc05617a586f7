"""What other apps may point at in this app without importing it: a ledger task links to
the year's plan items and activities (core.links); a group kept elsewhere (core.groups)
finds the activities it was invited to."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.activities.models import Activity, GroupInvitation, PlanItem
from lvzhi.core import groups, links


def register() -> None:
    links.register("plan_item", _("年度工作要点事项"), PlanItem,
                   lambda body, year: PlanItem.objects.filter(plan__body_id=body,
                                                              plan__year=year),
                   lambda item: reverse("activities:plan") + f"?year={item.plan.year}")
    links.register("activity", _("活动"), Activity,
                   lambda body, year: Activity.objects.filter(body_id=body,
                                                              starts_at__year=year),
                   lambda a: a.get_absolute_url())
    groups.USES.append(_group_uses)


def _group_uses(code: str, key: int) -> list[groups.Use]:
    rows = GroupInvitation.objects.filter(code=code, key=key).select_related("activity")
    return [groups.Use(r.activity.title, r.activity.get_absolute_url(), r.activity.starts_at,
                       r.activity.get_state_display())
            for r in rows.order_by("activity__starts_at")]
