"""Which activities a user sees, who manages them, and who approves leave."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lvzhi.activities.models import CHAIR_APPROVES, Activity
from lvzhi.core.access import bodies_with
from lvzhi.core.models import Member, Position


def activities_for(user: Any) -> QuerySet[Activity]:
    """Activities the user is invited to, and every activity of the bodies they staff or
    lead (read-only for city oversight of the districts)."""
    if not user.is_authenticated:
        return Activity.objects.none()
    invited = Activity.objects.filter(invitations__member__user=user).values("pk")
    approving = Member.objects.filter(  # the chair and secretary-general approve leave
        user=user, is_active=True, term__is_current=True,
        position__in=[Position.CHAIR, Position.SECRETARY_GENERAL]).values("body_id")
    return Activity.objects.filter(
        Q(body_id__in=bodies_with(user, "activities.read_all")) | Q(pk__in=invited)
        | Q(body_id__in=approving))


def get_activity_for(user: Any, pk: int) -> Activity:
    try:
        return activities_for(user).select_related("body", "plan_item").get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None


def manages(user: Any, activity: Activity) -> bool:
    return activity.body_id in bodies_with(user, "activities.manage", write=True)


def approves_leave(user: Any, activity: Activity) -> bool:
    """The chair for plenary and standing-committee meetings; the secretary-general (or the
    chair) for every other kind (DOMAIN.md)."""
    positions = {Position.CHAIR} if activity.kind in CHAIR_APPROVES else {
        Position.CHAIR, Position.SECRETARY_GENERAL}
    return Member.objects.filter(user=user, body_id=activity.body_id, is_active=True,
                                 term__is_current=True, position__in=positions).exists()
