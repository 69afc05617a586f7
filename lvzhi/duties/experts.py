"""参政议政人才库: members and invited experts by field of expertise, for staff choosing
people for a research topic or a consultation (the activities app invites from it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event
from lvzhi.core.models import Member, User
from lvzhi.duties.models import Expert, ExpertiseField


def pool(body_ids: set[int], *, field: int | None = None, sector: int | None = None,
         available: bool = False, q: str = "") -> QuerySet:
    rows = Expert.objects.filter(body_id__in=body_ids).select_related(
        "member__user", "member__sector").prefetch_related("fields")
    if field:
        rows = rows.filter(fields__id=field)
    if sector:
        rows = rows.filter(member__sector_id=sector)
    if available:
        rows = rows.filter(available=True)
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(member__user__full_name__contains=q)
                           | Q(profile__contains=q) | Q(employer__contains=q))
    return rows.distinct()


def save_expert(actor: User, body_id: int, values: dict[str, Any],
                expert: Expert | None = None) -> Expert:
    """Add (or change) someone in the pool: a member of the body, or an outside expert
    with a name; at least one field of expertise from the body's list."""
    member = values.get("member")
    fields = list(values.get("fields") or [])
    errors = {}
    if member is None and not (values.get("name") or "").strip():
        errors["name"] = ("missing_name", _("请选择委员，或填写特邀专家的姓名。"))
    if member is not None and member.body_id != body_id:
        errors["member"] = ("other_body", _("只能选择本政协的委员。"))
    if member is not None and Expert.objects.filter(member=member).exclude(
            pk=getattr(expert, "pk", None)).exists():
        errors["member"] = ("already", _("该委员已在人才库中。"))
    if not fields:
        errors["fields"] = ("missing_fields", _("请至少选择一个专业领域。"))
    elif any(f.body_id != body_id for f in fields):
        errors["fields"] = ("other_body", _("专业领域不属于本政协。"))
    refuse_fields(errors)
    with transaction.atomic():
        expert = expert or Expert(body_id=body_id)
        expert.member = member
        for name in ("name", "employer", "phone"):  # a member's come from the roster
            setattr(expert, name, "" if member else (values.get(name) or "").strip())
        expert.profile = (values.get("profile") or "").strip()
        expert.available = bool(values.get("available"))
        expert.save()
        expert.fields.set(fields)
        record_event(expert, "saved", actor)
    return expert


def own_entry(seat: Member) -> Expert | None:
    return Expert.objects.filter(member=seat).prefetch_related("fields").first()


def save_own(actor: User, seat: Member, values: dict[str, Any]) -> Expert:
    """A member keeps their own entry in the pool: fields, profile, whether they can take
    part now. The first save puts them in it."""
    if seat.user_id != actor.pk:
        raise Refusal("forbidden", _("只能修改本人的专长信息。"), status=403)
    entry = own_entry(seat)
    values = {**values, "member": seat}
    for name in ("name", "employer", "phone"):
        values.pop(name, None)
    return save_expert(actor, seat.body_id, values, entry)


def members_in(body_id: int) -> QuerySet:
    return Member.objects.filter(body_id=body_id, is_active=True, term__is_current=True)\
        .select_related("user")


def fields_of(body_id: int) -> QuerySet:
    return ExpertiseField.objects.filter(body_id=body_id)

