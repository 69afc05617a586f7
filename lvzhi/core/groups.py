"""Groups of members another app keeps, whom staff invite to an activity as one: a topic's
democratic supervision group (监督小组) goes on its visits, meetings and hearings. The app
that keeps the groups registers them here; the activities app offers them on an activity's
page and says here where each group was invited. Neither imports the other (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class GroupKind:
    code: str
    label: Any
    choices: Callable[[int], list[tuple[int, str]]]  # body id -> [(key, the group's name)]
    members: Callable[[int, int], QuerySet]  # (body id, key) -> the members' ids
    experts: Callable[[int, int], QuerySet] | None = None  # -> outside experts' ids (特邀专家)


@dataclass(frozen=True)
class Use:
    """An occasion a group was invited to, as the group's page lists it."""
    title: str
    url: str
    when: Any
    state: str


KINDS: dict[str, GroupKind] = {}
# Who invites groups registers how to list the occasions a group was invited to.
USES: list[Callable[[str, int], list[Use]]] = []


def register(code: str, label: Any, choices: Callable[[int], list[tuple[int, str]]],
             members: Callable[[int, int], QuerySet],
             experts: Callable[[int, int], QuerySet] | None = None) -> None:
    KINDS[code] = GroupKind(code, label, choices, members, experts)


def choices(body_id: int) -> list[tuple[str, str]]:
    """Every group of the body as ("code:key", "label：name") for a select."""
    return [(f"{kind.code}:{key}", f"{kind.label}：{name}")
            for kind in KINDS.values() for key, name in kind.choices(body_id)]


def parse(body_id: int, value: str) -> tuple[GroupKind, int, str] | None:
    """A chosen "code:key" back to its kind, key and name; None unless the body has it."""
    code, _sep, key = str(value).partition(":")
    kind = KINDS.get(code)
    if kind is None or not key.isascii() or not key.isdigit():
        return None
    name = dict(kind.choices(body_id)).get(int(key))
    return (kind, int(key), name) if name is not None else None


def uses(code: str, key: int) -> list[Use]:
    return [use for find in USES for use in find(code, key)]
