"""Similar texts: earlier proposals like the one being written, 并案 candidates, reports on
the same matter.

Two steps, so a new text is compared with 20,000 proposals in a few milliseconds:
1. candidates from the full-text index — the text's most telling terms (TF-IDF by jieba's
   IDF table, so common words like 建议 weigh little), any of them, best 60 by the index's
   own ranking (bm25 / ts_rank);
2. the cosine of TF-IDF vectors between the text and each candidate's indexed terms.
Cosine over TF-IDF rather than MinHash: members reword a matter rather than copy it, and
MinHash finds only near-copies. docs/search.md has the measurements.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import jieba.analyse

from lvzhi.search import fts, segment
from lvzhi.search.models import SearchEntry

CANDIDATES = 60
KEY_TERMS = 6  # the most telling terms; each more widens the match (12: ×3 the time)
_tfidf = jieba.analyse.default_tfidf


@dataclass(frozen=True)
class Match:
    object_id: int
    score: float  # 0–1, the cosine


def _idf(term: str) -> float:
    return _tfidf.idf_freq.get(term, _tfidf.median_idf)


def _vector(terms: list[str]) -> dict[str, float]:
    counts = Counter(t for t in terms if t not in segment.STOP and len(t) > 1)
    # Sublinear term frequency: a word said forty times is not forty times the matter.
    vector = {t: (1 + math.log(n)) * _idf(t) for t, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def similar(kind: str, body_id: int, *texts: str, exclude: int | None = None,
            year: int | None = None, least: float = 0.2, limit: int = 5) -> list[Match]:
    """Entries of `kind` in the body most like the texts, best first, each at least
    `least` alike. The caller keeps only what the person may see."""
    terms = segment.document_terms(*texts)
    mine = _vector(terms)
    keys = sorted(mine, key=mine.get, reverse=True)[:KEY_TERMS]  # type: ignore[arg-type]
    if not keys:
        return []
    found = []
    for _pk, object_id, their_terms in _candidates(kind, body_id, keys, exclude, year):
        theirs = _vector(their_terms.split())
        score = sum(v * theirs.get(t, 0.0) for t, v in mine.items())
        if score >= least:
            found.append(Match(object_id, round(score, 3)))
    return sorted(found, key=lambda m: -m.score)[:limit]


def _candidates(kind: str, body_id: int, keys: list[str], exclude: int | None,
                year: int | None) -> list[tuple[int, int, str]]:
    conditions = [("e.kind = %s", kind), ("e.body_id = %s", body_id)]
    conditions += [c for c in (("e.object_id <> %s", exclude), ("e.year = %s", year)) if c[1]]
    return fts.match(keys, "e.id, e.object_id, e.terms", conditions, CANDIDATES,
                     any_term=True)


def entry_texts(kind: str, object_id: int) -> str:
    """An indexed object's own terms, to find what is like it."""
    return SearchEntry.objects.filter(kind=kind, object_id=object_id).values_list(
        "terms", flat=True).first() or ""


def groups(kind: str, object_ids: list[int], least: float = 0.35) -> list[list[int]]:
    """The objects falling together by likeness (each pair at least `least` alike, joined
    transitively), groups of two or more, largest first. Pairwise over the given objects:
    meant for a queue of a hundred or so, not the whole index."""
    rows = SearchEntry.objects.filter(kind=kind, object_id__in=object_ids).values_list(
        "object_id", "terms")
    vectors = [(pk, _vector(terms.split())) for pk, terms in rows]
    parent = {pk: pk for pk, _v in vectors}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for i, (a, va) in enumerate(vectors):
        for b, vb in vectors[i + 1:]:
            small, large = (va, vb) if len(va) < len(vb) else (vb, va)
            if sum(v * large.get(t, 0.0) for t, v in small.items()) >= least:
                parent[root(a)] = root(b)
    found: dict[int, list[int]] = {}
    for pk, _v in vectors:
        found.setdefault(root(pk), []).append(pk)
    return sorted((sorted(g) for g in found.values() if len(g) > 1), key=len, reverse=True)
