"""Search at Harbin scale: a full reindex (20,000 proposals, 40,000 reports, the members,
activities and tasks bench.generate and bench.ledgers made), the index's size, the
similar-proposal lookup for new texts against the body's proposals, and the suggested
handling unit's precision on held-out proposals (bench.generate makes the unit depend on the
topic). Leaves the index and the unit model for bench.run.

    python -m bench.search      (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.generate import TOPICS  # noqa: E402
from lvzhi.core.models import Body  # noqa: E402
from lvzhi.proposals import units  # noqa: E402
from lvzhi.search import classify  # noqa: E402
from lvzhi.search.index import reindex  # noqa: E402
from lvzhi.search.models import SearchEntry  # noqa: E402
from lvzhi.search.similar import similar  # noqa: E402


def _size() -> str:
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("SELECT page_count * page_size FROM pragma_page_count(), "
                      "pragma_page_size()")
            return f"database file {c.fetchone()[0] / 2**20:.0f} MiB in all"
    with connection.cursor() as c:
        c.execute("SELECT pg_total_relation_size('search_searchentry')")
        return f"{c.fetchone()[0] / 2**20:.0f} MiB (table and indexes)"


def main() -> None:
    before = _size()
    started = time.monotonic()
    n = reindex()
    took = time.monotonic() - started
    print(f"search: reindexed {n} entries in {took:.1f} s; {before} before, {_size()} after")
    city = Body.objects.get(code="harbin")
    similar("proposal", city.pk, "预热", "预热")  # jieba's dictionary, once per process
    total = SearchEntry.objects.filter(kind="proposal", body=city).count()
    # Twice: the first pass reads the index from disk (as after a restart), the second
    # finds it in memory, as a running server does.
    for label in ("first pass", "steady"):
        times = []
        for topic, text in TOPICS * 3:
            t = time.perf_counter()
            found = similar("proposal", city.pk, f"关于进一步做好{topic}的建议", text)
            times.append((time.perf_counter() - t) * 1000)
            assert found, topic
        times.sort()
        print(f"similar proposals for a new text against {total} proposals ({label}): "
              f"median {statistics.median(times):.1f} ms, "
              f"p95 {times[int(len(times) * .95)]:.1f} ms (target ≤ 30 ms)")
    _units(city)


def _units(city: Body) -> None:
    """Train on four fifths of the past assignments, rank units for the other fifth."""
    texts, labels = units.examples(city.pk)
    rng = random.Random(11)
    rows = [(t, u, rng.random() < 0.2) for t, u in zip(texts, labels, strict=True)]
    started = time.monotonic()
    ranker = classify.train([t for t, _u, h in rows if not h], [u for _t, u, h in rows if not h])
    took = time.monotonic() - started
    tests = [(t, u) for t, u, h in rows if h]
    times, right, first = [], 0, 0
    for text, unit in tests:
        t = time.perf_counter()
        top = [u for u, _s in ranker.rank(text, 3)]
        times.append((time.perf_counter() - t) * 1000)
        right += unit in top
        first += top[0] == unit
    n = len(tests)
    print(f"suggested unit: trained on {len(texts) - n} assignments ({len(ranker.labels)} units)"
          f" in {took:.1f} s; on {n} held out: right unit first {first / n:.1%}, among the "
          f"top 3 {right / n:.1%} (precision@3 {right / n / 3:.1%}); ranking median "
          f"{statistics.median(times):.2f} ms")
    started = time.monotonic()
    units.train(city.pk)
    print(f"suggested unit: model for all {len(texts)} assignments written in "
          f"{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
