"""What a worker keeps in its own memory between requests (the `local` cache): figures
that cost much and change rarely, under a key that names everything they depend on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

T = TypeVar("T")


def keep(parts: tuple, seconds: int, build: Callable[[], T]) -> T:
    """`build()`'s result, kept up to `seconds` under `parts` (hashed: any values)."""
    name = "kept:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = caches["local"].get(name)
    if found is None:
        found = build()
        caches["local"].set(name, found, seconds)
    return found
