"""Appending to the event log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model, QuerySet

from lvzhi.core import plain
from lvzhi.core.kept import keep
from lvzhi.core.models import Event, User

T = TypeVar("T")


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
    table = Event._meta.db_table
    if connection.vendor == "postgresql":
        # One subquery per body planned for each of a city's 19 bodies took 4.5 ms of
        # planning; this plans once and seeks each body's newest in (body, id) alike.
        sql = (f"SELECT MAX(x.id) FROM unnest(%s::bigint[]) AS b(id), LATERAL (SELECT e.id "
               f"FROM {table} e WHERE e.body_id = b.id ORDER BY e.id DESC LIMIT 1) AS x")
        params: list = [ids]
    else:
        one = f"SELECT MAX(id) AS newest FROM {table} WHERE body_id = %s"
        sql = f"SELECT MAX(newest) FROM ({' UNION ALL '.join([one] * len(ids))}) AS newest_by_body"
        params = ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] or 0


# How long a kept figure may stand without a new event. The stamp alone would do on SQLite,
# whose writes commit one after another; on PostgreSQL two writes may commit out of their
# events' order, and a figure worked out between them is kept under the newer stamp — for
# at most this long.
CHANGE_KEPT = 60


def kept_until_change(key: tuple, bodies: Iterable[int], build: Callable[[], T]) -> T:
    """What `build` works out from the bodies' rows (a list's count, the board's statuses),
    kept by each worker until the bodies' next event. `key` says what else it depends on:
    the query, the year, today's date."""
    ids = sorted(bodies)
    return keep((key, ids, last_event(ids)), CHANGE_KEPT, build)


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
