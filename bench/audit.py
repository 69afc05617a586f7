"""What writing a security audit row costs a request: N rows appended in-process through
`audit.record` (the hash chain's lock, digest and insert) on the bench database, each timed,
beside a request that writes one (the activity page GET, no row; the export, one row).

    python -m bench.audit     (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.test import Client  # noqa: E402

from lvzhi.core import audit  # noqa: E402
from lvzhi.core.models import AuditRecord, User  # noqa: E402

ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "2000"))


def _timed(call, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def main() -> None:
    staff = User.objects.filter(roles__kind="staff").first()
    before = AuditRecord.objects.count()
    rows = _timed(lambda: audit.record(None, "export", actor=staff, target="bench.xlsx"), ROWS)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    page = _timed(lambda: client.get("/people/"), 200)
    print(f"audit rows: {ROWS} appended ({before} before)")
    print(f"{'':<22}{'median ms':>10}{'p95 ms':>9}")
    for name, ms in (("one audit row", rows), ("the directory page", page)):
        print(f"{name:<22}{statistics.median(ms):>10.2f}{ms[int(len(ms) * 0.95)]:>9.2f}")
    print(f"an audited request pays {statistics.median(rows) / statistics.median(page):.0%} "
          "of a page's median for its row")
    problems = audit.verify()
    print("chain after the run:", "whole" if not problems else problems[:3])


if __name__ == "__main__":
    main()
