"""Chinese segmentation for the index and for queries, with jieba.

Documents are segmented in search mode (a long word also yields its parts: 社情民意信息 →
社情, 民意, 信息, 社情民意, 社情民意信息), queries in precise mode, so a query word matches a
document that contains it inside a longer one. Both databases then index the same
space-separated terms, which is what makes SQLite FTS5 and PostgreSQL answer alike.

The user dictionary keeps domain terms whole: the CPPCC terms in terms.txt, every body's
sectors, handling units, committees and departments, and the words a body adds in 系统配置 →
检索词典. It is loaded once per process and reloaded when the words change (a number kept
in the cache), so all workers agree within a minute.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from pathlib import Path

import jieba
from django.core.cache import cache

jieba.setLogLevel(logging.WARNING)

WORD = re.compile(r"[\w]+")
CJK = re.compile(r"[\u3400-\u9fff]")
# Words that carry no meaning alone; dropped from documents and queries.
STOP = frozenset({
    "的", "了", "和", "与", "及", "或", "在", "对", "为", "是", "等", "把", "被", "将", "从",
    "向", "于", "以", "之", "其", "这", "那", "有", "也", "就", "都", "而", "并",
    "关于", "进一步", "一个", "一些", "我们", "我市", "有关", "如何"})
TERMS_FILE = Path(__file__).with_name("terms.txt")
VERSION_KEY = "search:dictionary:version"
CHECK_EVERY = 60  # seconds between looks at the cache for a newer dictionary
MAX_QUERY = 200  # characters of a query that are segmented; the rest is ignored

_lock = threading.Lock()
_loaded: dict[str, float] = {"version": -1.0, "checked": 0.0, "loads": 0}


def _words() -> set[str]:
    from lvzhi.core.models import Department, HandlingUnit, Sector, SpecialCommittee
    from lvzhi.search.models import SearchTerm

    words = {line.strip() for line in TERMS_FILE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    for model in (Sector, HandlingUnit, SpecialCommittee, Department):
        words.update(model.objects.values_list("name", flat=True))
    words.update(SearchTerm.objects.values_list("word", flat=True))
    return {w for w in words if 2 <= len(w) <= 30 and " " not in w}


def ensure_dictionary() -> None:
    now = time.monotonic()
    if now - _loaded["checked"] < CHECK_EVERY and _loaded["version"] >= 0:
        return
    version = float(cache.get(VERSION_KEY, 0))
    with _lock:
        _loaded["checked"] = now
        if version == _loaded["version"]:
            return
        for word in _words():
            jieba.add_word(word, freq=2000, tag="nz")  # a name: a keyword candidate
        _loaded["version"] = version
        _loaded["loads"] += 1


def dictionary_changed() -> None:
    """Call when a dictionary word, sector, unit or committee name changes."""
    cache.set(VERSION_KEY, time.time(), None)
    _loaded["checked"] = 0.0


def keep(term: str) -> bool:
    return bool(term) and term not in STOP and (len(term) > 1 or bool(CJK.match(term)))


def document_terms(*texts: str) -> list[str]:
    """Every term of the texts for the index, in search mode, lower-cased."""
    ensure_dictionary()
    return list(_document_terms(dictionary_version(), texts))


def dictionary_stamp() -> float:
    """The dictionary's number in the cache, the same in every process: a text segmented
    under another number may have been cut differently."""
    ensure_dictionary()
    return _loaded["version"]


def dictionary_version() -> float:
    """How many times this process loaded the dictionary: a remembered segmentation is
    valid for the load it was made with (a count, never reused, unlike the cache's number,
    which a rolled-back change can bring back)."""
    return _loaded["loads"]


# A write segments its text twice at most: once before its transaction takes the write
# lock (index.prepare) and once inside, from here. A few dozen recent texts are enough.
@functools.lru_cache(maxsize=48)
def _document_terms(version: float, texts: tuple[str, ...]) -> tuple[str, ...]:
    terms: list[str] = []
    for text in texts:
        for chunk in WORD.findall(text or ""):
            terms.extend(t.lower() for t in jieba.cut_for_search(chunk) if keep(t))
    return tuple(terms)


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in precise mode; punctuation, operators and control
    characters fall away, so nothing typed can reach the database's query syntax."""
    ensure_dictionary()
    terms: list[str] = []
    for chunk in WORD.findall((query or "")[:MAX_QUERY]):
        terms.extend(t.lower() for t in jieba.cut(chunk) if keep(t))
    return list(dict.fromkeys(terms))[:12]

