"""The address of one object's page, for lists that name many of them, and of the pages
every page links to (the menu).

`reverse()` walks the URL patterns on every call (~15 µs): a list of thirty proposals
spent half a millisecond on its links. An object's address is its pattern with the id put
in, so the pattern is worked out once per URL name (and script prefix)."""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse

_MARK = 987654321  # an id no pattern spells otherwise


@functools.cache
def _around(name: str, script_prefix: str) -> tuple[str, str]:
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return head, tail


def object_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an integer id."""
    head, tail = _around(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


@functools.cache
def _fixed(name: str, script_prefix: str) -> str:
    return reverse(name)


def page_url(name: str) -> str:
    """reverse(name) for a URL with no arguments: the menu's fifteen links on every page."""
    return _fixed(name, get_script_prefix())
