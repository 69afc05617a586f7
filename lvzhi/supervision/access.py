"""Who sees what in democratic supervision: staff and leaders their body's topics and
problems (city oversight reads the districts'); a group member their topics and the
problems on them; a member the problems they reported. Units see their rectification items
through the ledgers; a group's leader checks their topic's items there too."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.core.access import actor_for, bodies_with
from lvzhi.supervision.models import Problem, Supervisor, Topic


def topics_for(user: Any) -> QuerySet:
    bodies = bodies_with(user, "supervision.read_all")
    return Topic.objects.filter(Q(body_id__in=bodies) | Q(group__member__user=user)).distinct()


def problems_for(user: Any) -> QuerySet:
    bodies = bodies_with(user, "supervision.read_all")
    return Problem.objects.filter(Q(body_id__in=bodies) | Q(reporter__user=user)
                                  | Q(topic__group__member__user=user)).distinct()


def managing(user: Any) -> set[int]:
    return bodies_with(user, "supervision.manage", write=True)


def supervisors_for(user: Any) -> QuerySet:
    """Staff and leaders their body's supervisors; a supervisor their own post; a unit's
    handlers the supervisors of their unit."""
    bodies = bodies_with(user, "supervision.read_all")
    units = actor_for(user).handling_units
    return Supervisor.objects.filter(Q(body_id__in=bodies) | Q(member__user=user)
                                     | Q(unit_id__in=units))


def checked_items(user: Any) -> QuerySet:
    """The rectification items a group's leader checks and closes (整改销号): those of the
    problems on the topics they lead. Registered with the ledgers as a checker."""
    return Problem.objects.filter(topic__group__member__user=user,
                                  topic__group__is_leader=True,
                                  item__isnull=False).values("item_id")
