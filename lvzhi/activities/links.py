"""What a ledger task may link to in this app: the year's plan items and activities."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.activities.models import Activity, PlanItem
from lvzhi.core import links


def register() -> None:
    links.register("plan_item", _("年度工作要点事项"), PlanItem,
                   lambda body, year: PlanItem.objects.filter(plan__body_id=body,
                                                              plan__year=year),
                   lambda item: reverse("activities:plan") + f"?year={item.plan.year}")
    links.register("activity", _("活动"), Activity,
                   lambda body, year: Activity.objects.filter(body_id=body,
                                                              starts_at__year=year),
                   lambda a: a.get_absolute_url())
