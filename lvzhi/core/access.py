"""What the acting user is, and the one place querysets are narrowed to what they may see.

Views and the API never filter by body by hand: they call `bodies_with`, `can`, or a
`*_for(user)` helper here (healthchecks' `_get_check_for_user`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from lvzhi.core import every_request, plain
from lvzhi.core.models import Body, Member, RoleKind, User
from lvzhi.core.permissions import DIRECTORY_GRANTS, OVERSIGHT_READS, roles_granting


@dataclass
class Actor:
    """A user's roles, read once per request."""

    user: User
    roles: set[tuple[str, int]] = field(default_factory=set)  # (role kind, body id)
    departments: dict[int, set[int]] = field(default_factory=dict)  # body id -> department ids
    handling_units: set[int] = field(default_factory=set)
    oversight_children: set[int] = field(default_factory=set)
    directory: dict[int, str] = field(default_factory=dict)  # member body id -> setting
    offices: dict[tuple, set[int]] = field(default_factory=dict)  # see office_bodies()
    seat_ids: list[int] = field(default_factory=list)  # every Member row, past terms too

    def has_role(self, kind: str, body_id: int | None = None) -> bool:
        return any(k == kind and (body_id is None or b == body_id) for k, b in self.roles)

    def role_kinds(self) -> set[str]:
        return {kind for kind, _ in self.roles}

    @property
    def body_ids(self) -> set[int]:
        return {body for _, body in self.roles}


def actor_for(user: Any) -> Actor:
    """The Actor for a user, cached on the user object for the rest of the request."""
    cached = getattr(user, "_lvzhi_actor", None)
    if cached is not None:
        return cached
    actor = Actor(user=user)
    if user.is_authenticated and user.is_active:
        _load_roles(actor)
    user._lvzhi_actor = actor
    return actor


def _load_roles(actor: Actor) -> None:
    for kind, body_id, department_id, handling_unit_id in every_request.roles_of(
            actor.user.pk):
        actor.roles.add((kind, body_id))
        if department_id:
            actor.departments.setdefault(body_id, set()).add(department_id)
        if handling_unit_id:
            actor.handling_units.add(handling_unit_id)
        if kind == RoleKind.OVERSIGHT:
            actor.oversight_children.update(
                Body.objects.filter(parent_id=body_id).values_list("id", flat=True)
            )
    for pk, body_id, directory, is_active, is_current in every_request.seats_of(
            actor.user.pk):
        actor.seat_ids.append(pk)
        if is_active and is_current:
            actor.roles.add((RoleKind.MEMBER, body_id))
            actor.directory[body_id] = directory


def bodies_with(user: Any, perm: str, *, write: bool = False) -> set[int]:
    """Ids of the bodies in which `user` holds `perm` (reading, unless write=True)."""
    actor = actor_for(user)
    granting = roles_granting(perm)
    bodies = {body for kind, body in actor.roles if kind in granting}
    if not write and perm in OVERSIGHT_READS:
        bodies |= actor.oversight_children
    if not write:
        bodies |= {body for body, setting in actor.directory.items()
                   if perm in DIRECTORY_GRANTS.get(setting, frozenset())}
    return bodies


def office_bodies(user: Any, perm: str, rules: type[Model]) -> set[int]:
    """Bodies where `user` holds `perm` and works in the department the body's `rules` row
    names as its office (any department when none is named). Memoised per request."""
    actor = actor_for(user)
    key = (perm, rules)
    if key not in actor.offices:
        bodies = bodies_with(user, perm, write=True)
        named = {r.body_id: r.office_id for r in plain.rows(rules, body_id=bodies, order=())}
        actor.offices[key] = {b for b in bodies if named.get(b) is None
                              or named[b] in actor.departments.get(b, set())}
    return actor.offices[key]


def can(user: Any, perm: str, body: Body | int, *, write: bool = False) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return body_id in bodies_with(user, perm, write=write)


def bodies_for(user: Any) -> QuerySet[Body]:
    """Bodies the user belongs to, in any role, plus those they oversee."""
    actor = actor_for(user)
    return Body.objects.filter(pk__in=actor.body_ids | actor.oversight_children)


def people_for(user: Any) -> QuerySet[Member]:
    """Member seats the user may see in the directory."""
    return Member.objects.filter(
        body_id__in=bodies_with(user, "people.view"), is_active=True
    ).select_related("user", "body", "sector", "term").prefetch_related("committees")


def get_member_for(user: Any, pk: int) -> Member:
    """The member seat, or 404 for someone who must not know it exists."""
    try:
        return people_for(user).get(pk=pk)
    except Member.DoesNotExist:
        raise Http404 from None


def get_by_key(user: Any, rows: QuerySet, pk: int, *,
               plainly: Callable[[Any, Any], bool],
               visible: Callable[[Any], QuerySet]) -> Any:
    """The row of `rows` with key `pk`, if `user` may see it (404 otherwise). Read by its
    key first, without an order (one row): `plainly(user, row)` decides the common cases
    (the author, the body's readers) without the ORs of `visible(user)`, which is asked
    only when it says no."""
    row = next(iter(rows.filter(pk=pk).order_by()[:1]), None)
    if row is not None and (plainly(user, row) or visible(user).filter(pk=pk).exists()):
        return row
    raise Http404


# Apps register how to decide whether a user may see one of their objects; attachments and
# other generic rows ask through `may_view`.
_VIEWERS: dict[type[Model], Callable[[Any, Any], bool]] = {}


def register_viewer(model: type[Model], check: Callable[[Any, Any], bool]) -> None:
    _VIEWERS[model] = check


def may_view(user: Any, obj: Model) -> bool:
    check = _VIEWERS.get(type(obj))
    return bool(check and check(user, obj))


register_viewer(Member, lambda user, member: people_for(user).filter(pk=member.pk).exists())
register_viewer(User, lambda user, person: user.pk == person.pk)
