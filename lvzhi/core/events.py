"""Appending to the event log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model, QuerySet

from lvzhi.core import plain
from lvzhi.core.models import Event, User


def record_event(
    obj: Model,
    action: str,
    actor: Any = None,
    *,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict | None = None,
    body_id: int | None = None,
) -> Event:
    """Append one event about `obj`, which must carry a `body` (or be a Body); an object
    of no body (an account) names the body the change was made in."""
    if body_id is None:
        body_id = obj.pk if obj._meta.model_name == "body" else obj.body_id  # type: ignore[attr-defined]
    return Event.objects.create(
        body_id=body_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data or {},
    )


def record_events(objs: list[Model], action: str, actor: Any = None) -> None:
    """The same plain event about many objects of one model in one statement (a checklist
    copied to 18 districts makes 540 tasks at once)."""
    if not objs:
        return
    kind = ContentType.objects.get_for_model(objs[0])
    who = actor if getattr(actor, "is_authenticated", False) else None
    Event.objects.bulk_create(Event(body_id=o.body_id, actor=who, content_type=kind,  # type: ignore[attr-defined]
                                    object_id=o.pk, action=action, data={}) for o in objs)


def last_event(bodies: Iterable[int]) -> int:
    """The newest event of these bodies (0 for none): every change leaves an event, so a
    figure worked out from the bodies' rows (a list's count) holds while this stands. One
    index seek per body; (body, id) is indexed for PostgreSQL's sake."""
    ids = sorted(bodies)
    if not ids:
        return 0
    one = f"SELECT MAX(id) AS newest FROM {Event._meta.db_table} WHERE body_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(newest) FROM ({' UNION ALL '.join([one] * len(ids))}) "
                       "AS newest_by_body", ids)
        return cursor.fetchone()[0] or 0


def history_list(obj: Model) -> list[Event]:
    """`obj`'s events in order with their actors, as plain reads (the hot pages' form)."""
    events = plain.rows(Event, content_type_id=ContentType.objects.get_for_model(obj).pk,
                        object_id=obj.pk)
    plain.fill(User, (events, "actor"))
    return events


def history(obj: Model) -> QuerySet[Event]:
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
