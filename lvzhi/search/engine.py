"""Answering a query: match in the database's full-text index, keep only what the person
may see (each kind's own visibility), rank, page and quote.

The database finds and ranks candidates (SQLite: FTS5 and bm25; PostgreSQL: the GIN index
and ts_rank), recency breaking ties; an entry whose title holds the whole query comes
first. Both match the same entries, since both index the same segmented terms. Where more
than SEARCH_RANK_WINDOW entries the person may see match (a common word at a province's
scale), only the newest that many are ranked, and the page says so.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lvzhi.core.access import bodies_with
from lvzhi.search import facets, fts, segment
from lvzhi.search.index import KINDS
from lvzhi.search.models import SearchEntry

CANDIDATES = 300  # the best this many matches are checked for visibility and counted
PER_PAGE = 20
NUMBER = re.compile(r"^\s*第?\s*(\d{1,6})\s*号\s*$")  # not translated: what people type


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

    @property
    def when(self) -> str:
        return _("%(y)s年") % {"y": self.year} if self.year else ""


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    body: int | None = None
    year: int | None = None
    session: int | None = None
    state: str = ""
    category: str = ""
    sector: int | None = None
    keyword: str = ""

    def conditions(self) -> list[tuple[str, object]]:
        keyword = re.sub(r"[\W_]", "", self.keyword)[:30]  # nothing LIKE could read
        pairs = [("e.kind = %s", self.kind if self.kind in KINDS else ""),
                 ("e.body_id = %s", self.body), ("e.year = %s", self.year),
                 ("e.session_id = %s", self.session), ("e.state = %s", _plain(self.state)),
                 ("e.category = %s", _plain(self.category)), ("e.sector_id = %s", self.sector),
                 ("e.keywords LIKE %s", f"%、{keyword}、%" if keyword else "")]
        return [(sql, value) for sql, value in pairs if value]


def _plain(value: str) -> str:
    """A filter value as the database may take it (PostgreSQL refuses NUL in text)."""
    return value.replace("\x00", "")[:40]


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
    # Each filter's values among the matches the person may see: [(value, label, count)]
    facets: dict[str, list[tuple[Any, str, int]]] = field(default_factory=dict)
    # When more matched than SEARCH_RANK_WINDOW: that number, the newest matches, among
    # which alone the results were ranked; 0 otherwise
    windowed: int = 0


class Row(NamedTuple):
    id: int
    kind: str
    object_id: int
    title: str
    body: int
    year: int | None
    session: int | None
    state: str
    category: str
    sector: int | None
    keywords: str
    place: int = 0


COLUMNS = ("e.id, e.kind, e.object_id, e.title, e.body_id, e.year, e.session_id, e.state, "
           "e.category, e.sector_id, e.keywords")


def jump(user: Any, query: str) -> str | None:
    """第12号 or 12号: the page of that numbered item the person may see, if any."""
    found = NUMBER.match(query or "")
    if not found:
        return None
    for kind in KINDS.values():
        if kind.by_number and (url := kind.by_number(user, int(found.group(1)))):
            return url
    return None


def search(user: Any, query: str, filters: Filters = Filters(), page: int = 1) -> Results:
    """The page `page` of what matches `query` (or, with no query, the chosen keyword)
    among what `user` may see."""
    terms = segment.query_terms(query) or segment.query_terms(filters.keyword)
    scoped: set[str] = set()  # kinds limited in the match to what the person may see
    scope = _scope(user, filters.kind, scoped)
    if not terms or scope is None:
        return Results(query, terms, [], 0, False, 1, 1, {})
    conditions = filters.conditions() + ([scope] if scope[0] else [])
    window = settings.SEARCH_RANK_WINDOW
    found, full = fts.newest_ranked(terms, COLUMNS, conditions, CANDIDATES, window,
                                    whole_first=not scoped)  # an office's, not a member's
    rows = [Row(*row, place) for place, row in enumerate(found)]
    allowed = _visible(user, rows, scoped)
    whole = re.sub(r"\s+", "", query or "")[:60].lower()
    ranked = sorted(allowed, key=lambda r: (not whole or whole not in r.title.lower(), r.place))
    pages = max(1, math.ceil(len(ranked) / PER_PAGE))
    page = min(max(page, 1), pages)
    shown = ranked[(page - 1) * PER_PAGE: page * PER_PAGE]
    return Results(query, terms, _hits([r.id for r in shown], terms), len(ranked),
                   len(rows) >= CANDIDATES, page, pages,
                   dict(Counter(r.kind for r in ranked)), facets.of(ranked), window if full else 0)


def _scope(user: Any, only: str, scoped: set[str]) -> tuple[str, list] | None:
    """Where to look: every entry of a kind the person reads across a body, in those
    bodies; of any other kind, only the objects they may see (their own, their
    invitations), asked in the match itself with the kind's visible() as a subquery — so a
    member's few matches are never lost among the body's many, however many they own, and
    need no check after. None for nowhere. A kind scoped so is added to `scoped`; the best
    matches of a kind read across a body are checked against its visible() after. The
    bodies are part of the match so that the best, and the window of the newest, are of
    the person's bodies, not of a whole province's."""
    across: dict[frozenset[int], list[str]] = defaultdict(list)  # bodies: kinds read there
    parts, values = [], []
    for code, kind in KINDS.items():
        if only and code != only:
            continue
        if kind.reads_all and (bodies := bodies_with(user, kind.reads_all)):
            across[frozenset(bodies)].append(code)
            continue
        try:
            sql, params = kind.visible(user).order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(): nothing of this kind to see
            continue
        parts.append(f"(e.kind = %s AND e.object_id IN ({sql}))")
        values += [code, *params]
        scoped.add(code)
    read, read_values = [], []
    for bodies, codes in across.items():
        # `|| ''`, `+ 0`: tests on each match, never indexes of their own — PostgreSQL
        # ANDed the word's matches with all 644,035 entries of the city's body (24 ms at
        # 10×), or with every entry of the kinds named (56 ms).
        read.append(f"(e.kind || '' IN ({_marks(codes)}) "
                    f"AND e.body_id + 0 IN ({_marks(bodies)}))")
        read_values += [*codes, *sorted(bodies)]
    if not read and not parts:
        return None
    return f"({' OR '.join(read + parts)})", read_values + values


def _marks(items: Any) -> str:
    return ", ".join(["%s"] * len(items))


def _visible(user: Any, rows: list[Row], scoped: set[str]) -> list[Row]:
    """Only what each kind's own rules let the person see: nothing else is counted,
    quoted or linked. `scoped`: kinds whose matches were limited to that already."""
    ids: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        ids[r.kind].append(r.object_id)
    seen: set[tuple[str, int]] = set()
    for code, object_ids in ids.items():
        kind = KINDS.get(code)
        if kind is None:
            continue
        if code in scoped:
            seen.update((code, pk) for pk in object_ids)
            continue
        seen.update((code, pk) for pk in kind.visible(user).filter(
            pk__any_of=object_ids).values_list("pk", flat=True))
    return [r for r in rows if (r.kind, r.object_id) in seen]


def _hits(entry_ids: list[int], terms: list[str]) -> list[Hit]:
    # Not the terms: every segmented word of the text, the widest column, never shown.
    entries = SearchEntry.objects.only("kind", "object_id", "title", "text", "year", "state")\
        .in_bulk(entry_ids)
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
    """Escaped text with each term in <mark>. (The standard library's escape, as Django's
    is, without its check for lazy text on each of a page's few hundred pieces.)"""
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[last:m.start()]), "<mark>", escape(m.group()), "</mark>"]
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped above
