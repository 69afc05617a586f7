"""Reading what a client sent, strictly: numbers, years and text from untrusted input.

Every page and API parameter that should be a number or a year goes through here, so no
shape of input (a superscript digit, an id past 2^63, a control character) reaches the
database or a spreadsheet as something that makes the server fail.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_ID = 2**63 - 1  # the largest id any of our databases stores
MIN_YEAR, MAX_YEAR = 1949, 2200  # the CPPCC's years; anything else is a typo or a probe

# C0 controls and DEL, except tab, newline and carriage return: they have no place in a
# title or a reply, and XML (hence every .xlsx and .docx) cannot carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_int(raw: Any, *, maximum: int = MAX_ID) -> int | None:
    """A non-negative integer written in ASCII digits, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw or "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        value = int(text)
    return value if 0 <= value <= maximum else None


def to_ids(values: Iterable[Any]) -> list[int]:
    """The well-formed ids among `values` (form lists, API lists); the rest are dropped."""
    return [i for i in (to_int(getattr(v, "pk", v)) for v in values) if i is not None]


def all_ids(values: Iterable[Any]) -> set[int] | None:
    """Every one of `values` as an id, or None when any is malformed (a choice a form
    offers cannot be malformed, so the whole choice is refused)."""
    values = list(values)
    ids = to_ids(values)
    return set(ids) if len(ids) == len(values) else None


def to_decimal(raw: Any, places: int = 1) -> Decimal | None:
    """A finite number as typed (分数 like 18.5), rounded to `places`; anything else None."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or abs(value) >= 10 ** 6:
        return None
    return round(value, places)


def to_date(raw: Any) -> datetime.date | None:
    """An ISO date as a date input sends it (2026-11-29); anything else None."""
    try:
        return datetime.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


def to_year(raw: Any) -> int | None:
    value = to_int(raw, maximum=MAX_YEAR)
    return value if value is not None and value >= MIN_YEAR else None


def clean_text(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)
