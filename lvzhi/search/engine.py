"""Answering a query: match in the database's full-text index, keep only what the person
may see (each kind's own visibility), rank, page and quote.

The database finds and ranks candidates (SQLite: FTS5 and bm25; PostgreSQL: the GIN index
and ts_rank), recency breaking ties; an entry whose title holds the whole query comes
first. Both match the same entries, since both index the same segmented terms.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lvzhi.search import fts, segment
from lvzhi.search.index import KINDS
from lvzhi.search.models import SearchEntry

CANDIDATES = 1000  # the best this many matches are checked for visibility and counted
PER_PAGE = 20
NUMBER = re.compile(r"^\s*第?\s*(\d{1,6})\s*号\s*$")


@dataclass
class Hit:
    kind: str
    label: str
    object_id: int
    title: SafeString
    snippet: SafeString
    url: str
    year: int | None
    state: str


@dataclass
class Results:
    query: str
    terms: list[str]
    hits: list[Hit]
    total: int
    capped: bool  # more matched than were checked
    page: int
    pages: int
    by_kind: dict[str, int]


def jump(user: Any, query: str) -> str | None:
    """第12号 or 12号: the page of that numbered item the person may see, if any."""
    found = NUMBER.match(query or "")
    if not found:
        return None
    for kind in KINDS.values():
        if kind.by_number and (url := kind.by_number(user, int(found.group(1)))):
            return url
    return None


def search(user: Any, query: str, *, kind: str = "", year: int | None = None,
           page: int = 1) -> Results:
    terms = segment.query_terms(query)
    if not terms:
        return Results(query, [], [], 0, False, 1, 1, {})
    rows = _candidates(terms, kind if kind in KINDS else "", year)
    allowed = _visible(user, rows)
    whole = re.sub(r"\s+", "", query or "")[:60].lower()
    ranked = sorted(allowed, key=lambda r: (whole not in r[3].lower(), r[4]))
    by_kind: dict[str, int] = defaultdict(int)
    for r in ranked:
        by_kind[r[1]] += 1
    pages = max(1, math.ceil(len(ranked) / PER_PAGE))
    page = min(max(page, 1), pages)
    shown = ranked[(page - 1) * PER_PAGE: page * PER_PAGE]
    return Results(query, terms, _hits([r[0] for r in shown], terms), len(ranked),
                   len(rows) >= CANDIDATES, page, pages, dict(by_kind))


def _candidates(terms: list[str], kind: str, year: int | None) -> list[tuple]:
    """(entry id, kind, object id, title, place) of the best matches, best first."""
    conditions = [c for c in (("e.kind = %s", kind), ("e.year = %s", year)) if c[1]]
    rows = fts.match(terms, "e.id, e.kind, e.object_id, e.title", conditions, CANDIDATES)
    return [(*row, place) for place, row in enumerate(rows)]


def _visible(user: Any, rows: list[tuple]) -> list[tuple]:
    """Only what each kind's own rules let the person see: nothing else is counted,
    quoted or linked."""
    ids: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        ids[r[1]].append(r[2])
    seen: set[tuple[str, int]] = set()
    for code, object_ids in ids.items():
        kind = KINDS.get(code)
        if kind is None:
            continue
        seen.update((code, pk) for pk in kind.visible(user).filter(pk__in=object_ids)
                    .values_list("pk", flat=True))
    return [r for r in rows if (r[1], r[2]) in seen]


def _hits(entry_ids: list[int], terms: list[str]) -> list[Hit]:
    entries = SearchEntry.objects.in_bulk(entry_ids)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)),
                         re.IGNORECASE)
    hits = []
    for pk in entry_ids:
        e = entries[pk]
        kind = KINDS[e.kind]
        hits.append(Hit(e.kind, str(kind.label), e.object_id, mark(e.title, pattern),
                        mark(quote(e.text, pattern), pattern), kind.url(e.object_id, e.title),
                        e.year,
                        e.state))
    return hits


def quote(text: str, pattern: re.Pattern, width: int = 60) -> str:
    """About `width` characters each side of the first place a term occurs."""
    text = re.sub(r"\s+", " ", text or "").strip()
    found = pattern.search(text)
    start = max(0, found.start() - width) if found else 0
    piece = text[start:start + 2 * width + (found.end() - found.start() if found else 0)]
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(text) else "")


def mark(text: str, pattern: re.Pattern) -> SafeString:
    """Escaped text with each term in <mark>."""
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), "<mark>", escape(m.group()), "</mark>"]
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped above
