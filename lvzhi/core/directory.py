"""The people directory: searching member seats the user may see, and listing roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from lvzhi.core.access import actor_for, bodies_with, people_for
from lvzhi.core.models import Body, Member, RoleKind, Sector, User


def search(user: Any, q: str = "", body: int | None = None, sector: int | None = None,
           committee: int | None = None, position: str = "") -> QuerySet[Member]:
    seats = people_for(user)
    if q := q.strip():
        seats = seats.filter(Q(user__full_name__contains=q) | Q(employer__contains=q)
                             | Q(job_title__contains=q) | Q(user__mobile=q))
    if body:
        seats = seats.filter(body_id=body)
    if sector:
        seats = seats.filter(sector_id=sector)
    if committee:
        # A subquery, not a join: no seat twice, so no DISTINCT over every column.
        seats = seats.filter(pk__in=Member.committees.through.objects.filter(
            specialcommittee_id=committee).values("member_id"))
    if position:
        seats = seats.filter(position=position)
    # body order, sector order, name (Member.sort_key), read from the member_directory index
    return seats.order_by("directory_key", "id")


def refresh_keys(seats: QuerySet[Member]) -> int:
    """Recompute the seats' directory order after a name, a sector or a body moved;
    returns how many changed."""
    changed = []
    for seat in seats.select_related("user", "body", "sector").iterator(chunk_size=1000):
        if seat.directory_key != (key := seat.sort_key()):
            seat.directory_key = key
            changed.append(seat)
    Member.objects.bulk_update(changed, ["directory_key"], batch_size=1000)
    return len(changed)


def _touches(update_fields: Any, *names: str) -> bool:
    return update_fields is None or bool(set(update_fields) & set(names))


def _user_saved(sender: Any, instance: User, update_fields: Any = None, **kw: Any) -> None:
    if _touches(update_fields, "full_name"):  # not on every sign-in's last_login
        refresh_keys(Member.objects.filter(user=instance))


def _sector_saved(sender: Any, instance: Sector, update_fields: Any = None, **kw: Any) -> None:
    if _touches(update_fields, "order"):
        refresh_keys(Member.objects.filter(sector=instance))


def _body_saved(sender: Any, instance: Body, update_fields: Any = None, **kw: Any) -> None:
    if _touches(update_fields, "order"):
        refresh_keys(Member.objects.filter(body=instance))


def connect() -> None:
    post_save.connect(_user_saved, sender=User, dispatch_uid="directory-user")
    post_save.connect(_sector_saved, sender=Sector, dispatch_uid="directory-sector")
    post_save.connect(_body_saved, sender=Body, dispatch_uid="directory-body")


@dataclass(frozen=True)
class RoleView:
    kind: str
    body: Body

    @property
    def label(self) -> str:
        return str(RoleKind(self.kind).label)


def roles_of(user: Any) -> list[RoleView]:
    actor = actor_for(user)
    bodies = Body.objects.in_bulk({body for _, body in actor.roles})
    order = list(RoleKind.values)
    return sorted((RoleView(kind, bodies[body]) for kind, body in actor.roles),
                  key=lambda r: (r.body.order, order.index(r.kind)))


def roster_export_body(user: Any) -> int | None:
    """The body a roster export is of: the first whose roster the person may export."""
    from lvzhi.core.exports import first_body

    return first_body(bodies_with(user, "people.export"))


def build_roster(user: Any, query: Any, progress: Any) -> tuple[bytes, str]:
    """委员名册 of what the directory shows with these filters, within the bodies whose
    roster the person may export."""
    from lvzhi.core import roster
    from lvzhi.core.inputs import to_int

    seats = search(user, q=query.get("q", ""), body=to_int(query.get("body")),
                   sector=to_int(query.get("sector")),
                   committee=to_int(query.get("committee")),
                   position=query.get("position", ""))
    allowed = bodies_with(user, "people.export")
    return roster.export_workbook(seats.filter(body_id__in=allowed), progress), \
        _("委员名册") + ".xlsx"
