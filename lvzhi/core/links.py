"""Things of one app another may point at without importing it: a ledger task links to the
plan item or the activities it is carried out through. Each app registers, in its
AppConfig.ready, the kinds it offers: how to list a body's candidates for a year and where
each one's page is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Linkable:
    code: str
    label: Any
    model: type[Model]
    candidates: Callable[[int, int], QuerySet]  # (body id, year) -> rows
    url: Callable[[Any], str]


LINKABLE: dict[str, Linkable] = {}


def register(code: str, label: Any, model: type[Model],
             candidates: Callable[[int, int], QuerySet], url: Callable[[Any], str]) -> None:
    LINKABLE[code] = Linkable(code, label, model, candidates, url)


def kind_of(obj: Model) -> Linkable | None:
    return next((k for k in LINKABLE.values() if isinstance(obj, k.model)), None)
