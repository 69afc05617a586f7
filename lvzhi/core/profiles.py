"""What other apps know about a member that belongs on their profile in the directory and
the search box (a field of expertise from the expert pool). Core knows no feature, so an
app registers the model that holds such words and how to read them; search then indexes
them with the member and re-indexes the member when that model's rows change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class Provider:
    model: type[Model]  # its rows change what is said of a member
    member_of: Callable[[Any], Any]  # a row -> its Member (or None)
    words: Callable[[Any], list[str]]  # a Member -> the words


PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    PROVIDERS.append(provider)


def words(member: Any) -> list[str]:
    return [w for p in PROVIDERS for w in p.words(member)]
