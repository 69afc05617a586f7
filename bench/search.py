"""Search at Harbin scale: a full reindex (20,000 proposals, 40,000 reports, the members,
activities and tasks bench.generate and bench.ledgers made), the index's size, and the
similar-proposal lookup for new texts against the body's proposals. Leaves the index for
bench.run's search scenarios.

    python -m bench.search      (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.generate import TOPICS  # noqa: E402
from lvzhi.core.models import Body  # noqa: E402
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
    times = []
    for topic, text in TOPICS * 3:
        t = time.perf_counter()
        found = similar("proposal", city.pk, f"关于进一步做好{topic}的建议", text)
        times.append((time.perf_counter() - t) * 1000)
        assert found, topic
    times.sort()
    print(f"similar proposals for a new text against "
          f"{SearchEntry.objects.filter(kind='proposal', body=city).count()} proposals: "
          f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * .95)]:.1f} ms"
          " (target ≤ 30 ms)")


if __name__ == "__main__":
    main()
