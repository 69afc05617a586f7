"""Exports written in the background (core.exports): the ledger of every proposal, the
opinion queue and the roster, and the task ledgers' breakdown and progress tables (the
PDF of a city's year: hundreds of pages), as the task writes them, with the worker's CPU.

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
    office, ledgers = User.objects.get(username="tianban"), User.objects.get(username="ducha")
    for code, who in (("proposals.ledger", office), ("opinions.queue", office),
                      ("people.roster", office), ("ledgers.breakdown", ledgers),
                      ("ledgers.progress_xlsx", ledgers), ("ledgers.progress_pdf", ledgers)):
        kind = exports.EXPORTS[code]
        seen = {"rows": 0}

        def progress(done: int, total: int, seen=seen) -> None:
            seen["rows"] = total

        wall, cpu = time.perf_counter(), time.process_time()
        data, name = kind.build(who, QueryDict(), progress)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rows = seen["rows"]
        per = (f", {cpu / max(rows, 1) * 10_000:.2f} s per 10,000 rows (target ≤ 3 s)"
               if name.endswith(".xlsx") else "")  # a PDF's cost is its pages, not rows
        print(f"export {kind.label}: {rows} rows, {len(data) / 2**20:.1f} MiB, worker CPU "
              f"{cpu:.2f} s{per}, wall {wall:.2f} s")


if __name__ == "__main__":
    main()
