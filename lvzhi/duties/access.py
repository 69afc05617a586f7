"""Who sees which duty records: a member their own; staff and leaders of the body every
member's (staff alone decide); city oversight the districts', reading only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from lvzhi.core.access import bodies_with
from lvzhi.core.models import Member
from lvzhi.duties.models import Correction, Declaration, EvaluationYear


def reading_bodies(user: Any) -> set[int]:
    return bodies_with(user, "duties.read_all")


def managing_bodies(user: Any) -> set[int]:
    return bodies_with(user, "duties.manage", write=True)


def own_seats(user: Any) -> QuerySet:
    """The person's current seats (a member may sit on a city and a district body)."""
    return Member.objects.filter(user=user, is_active=True, term__is_current=True)\
        .select_related("body", "sector", "term")


def seats_for(user: Any) -> QuerySet:
    """Every seat whose record the user may open."""
    return Member.objects.filter(Q(user=user) | Q(body_id__in=reading_bodies(user)))


def seat_for(user: Any, pk: int) -> Member:
    seat = seats_for(user).select_related("user", "body", "sector").filter(pk=pk).first()
    if seat is None:
        raise Http404
    return seat


def declarations_for(user: Any) -> QuerySet:
    return Declaration.objects.filter(Q(member__user=user)
                                      | Q(body_id__in=reading_bodies(user)))


def corrections_for(user: Any) -> QuerySet:
    return Correction.objects.filter(Q(member__user=user) | Q(body_id__in=reading_bodies(user)))


def years_for(user: Any) -> QuerySet:
    return EvaluationYear.objects.filter(body_id__in=managing_bodies(user))
