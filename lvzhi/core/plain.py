"""Plain reads for the hottest pages: whole rows of one model by a few keys, in SQL written
from the model's own metadata and run through Django's `raw()`, which still makes model
instances with Django's converters (dates, JSON, booleans) — no query building.

Through the ORM, each read of a page cost 0.3–0.5 ms of CPU to build and compile against
0.03 ms to run; the same read through `raw()` costs 0.07–0.15 ms (docs/performance.md).
A proposal page makes fifteen of them. Use these only where a page is hot and the read is
"rows of a model where these columns equal these keys"; everything else stays ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


@functools.cache
def _columns(model: type[Model]) -> dict[str, str]:
    """Each concrete field's attribute name (`proposal_id`, `pk`) → its column."""
    columns = {f.attname: f.column for f in model._meta.concrete_fields}
    columns["pk"] = model._meta.pk.column
    return columns


@functools.cache
def _order_by(model: type[Model], order: tuple[str, ...]) -> str:
    """ORDER BY for field names ('-' for descending). A name of a relation (the model's
    order often has one) is refused: its meaning is the related model's order."""
    columns, quote = _columns(model), connection.ops.quote_name
    parts = [quote(columns[name.lstrip("-")]) + (" DESC" if name.startswith("-") else "")
             for name in order]
    return " ORDER BY " + ", ".join(parts) if parts else ""


def rows(model: type[M], *, order: Sequence[str] | None = None, **where: Any) -> list[M]:
    """The rows of `model` whose columns equal `where`'s values (a list, tuple or set
    means any of them), in `order` — the model's own order when not given, which must
    then name only its own columns."""
    columns, quote = _columns(model), connection.ops.quote_name
    conditions, params = [], []
    for name, value in where.items():
        if isinstance(value, list | tuple | set | frozenset):
            if not value:
                return []  # nothing can match: no query
            conditions.append(f"{quote(columns[name])} IN ({', '.join(['%s'] * len(value))})")
            params.extend(value)
        else:
            conditions.append(f"{quote(columns[name])} = %s")
            params.append(value)
    order = tuple(model._meta.ordering if order is None else order)
    sql = (f"SELECT * FROM {quote(model._meta.db_table)} WHERE {' AND '.join(conditions)}"
           f"{_order_by(model, order)}")
    return list(model.objects.raw(sql, params))


def get_or_create(model: type[M], **where: Any) -> M:
    """The one row of `model` with these columns (a body's rules, made on first use): a
    plain read, and the ORM's `get_or_create` only when it is missing."""
    found = rows(model, order=(), **where)
    return found[0] if found else model.objects.get_or_create(**where)[0]


def fill(model: type[M], *links: tuple[Iterable[Any], str]) -> dict[Any, M]:
    """For each (objects, field) — `field` a foreign key to `model` — set every object's
    `field` from one read of the rows they point to, as `select_related` would; an empty
    key stays None. Returns the rows read, by key."""
    links = tuple((list(objects), field) for objects, field in links)
    keys = {getattr(obj, f"{field}_id") for objects, field in links for obj in objects}
    keys.discard(None)
    found = {row.pk: row for row in rows(model, pk=keys, order=())}
    for objects, field in links:
        for obj in objects:
            key = getattr(obj, f"{field}_id")
            if key is not None:
                setattr(obj, field, found[key])
    return found
