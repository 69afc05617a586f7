"""Exports written in the background (core.exports): the ledger of every proposal, the
opinion queue and the roster, as the task writes them, with the worker's CPU time.

    python -m bench.exports      (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.http import QueryDict  # noqa: E402

from lvzhi.core import exports  # noqa: E402
from lvzhi.core.models import User  # noqa: E402


def main() -> None:
    office = User.objects.get(username="tianban")
    for code in ("proposals.ledger", "opinions.queue", "people.roster"):
        kind = exports.EXPORTS[code]
        seen = {"rows": 0}

        def progress(done: int, total: int, seen=seen) -> None:
            seen["rows"] = total

        wall, cpu = time.perf_counter(), time.process_time()
        data, _name = kind.build(office, QueryDict(), progress)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rows = seen["rows"]
        print(f"export {kind.label}: {rows} rows, {len(data) / 2**20:.1f} MiB, worker CPU "
              f"{cpu:.2f} s, {cpu / max(rows, 1) * 10_000:.2f} s per 10,000 rows "
              f"(target ≤ 3 s), wall {wall:.2f} s")


if __name__ == "__main__":
    main()
