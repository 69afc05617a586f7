"""Failure counters in the shared cache (login, check-in codes), surviving a Redis outage."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger(__name__)


def _shared_cache() -> Any:
    return caches["default"]


def call(operation: Callable[[Any], Any]) -> Any:
    """Run an operation on the shared cache; if that cache (Redis) is down, on the database
    cache instead, so logins go on being throttled and never fail because of it."""
    try:
        return operation(_shared_cache())
    except Exception as exc:  # redis-py raises ConnectionError, TimeoutError, …
        if "fallback" not in settings.CACHES:
            raise
        log.warning("throttle: the shared cache failed (%s); using the database", exc)
        return operation(caches["fallback"])


def failures(key: str) -> int:
    return call(lambda c: c.get(key, 0))


def count_failure(key: str, seconds: int) -> int:
    """Add one to a failure counter that expires `seconds` after its first failure."""
    def bump(c: Any) -> int:
        if c.add(key, 1, seconds):
            return 1
        try:
            return c.incr(key)
        except ValueError:  # expired between add and incr
            c.set(key, 1, seconds)
            return 1
    return call(bump)
