"""Supervision groups offered to the activities app (core.groups): staff invite a topic's
whole group to its visits, meetings and hearings, and the topic's page lists them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core import groups
from lvzhi.supervision.models import GroupMember, Topic

CODE = "supervision_group"


def register() -> None:
    groups.register(CODE, _("民主监督小组"), _choices, _members, _experts)


def _choices(body_id: int) -> list[tuple[int, str]]:
    """This year's and last year's topics that have a group."""
    rows = Topic.objects.filter(body_id=body_id, year__gte=timezone.localdate().year - 1,
                                group__isnull=False).distinct().order_by("-year", "id")
    return [(t.pk, _("%(year)s年 %(title)s") % {"year": t.year, "title": t.title}) for t in rows]


def _members(body_id: int, key: int) -> QuerySet:
    return GroupMember.objects.filter(topic_id=key, topic__body_id=body_id,
                                      member__isnull=False).values("member_id")


def _experts(body_id: int, key: int) -> QuerySet:
    """The group's outside experts (特邀专家), asked as the activity's experts."""
    return GroupMember.objects.filter(topic_id=key, topic__body_id=body_id,
                                      expert__isnull=False).values("expert_id")


def activities_of(topic: Topic) -> list[groups.Use]:
    return groups.uses(CODE, topic.pk)
