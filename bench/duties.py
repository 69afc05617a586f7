"""The yearly evaluation at Harbin scale: about 200,000 duty facts for the bench body's
4,000 members, then the whole body evaluated (facts read, every result computed, ranked and
stored) and one member recomputed, each timed. Leaves the results for bench.run's office
table scenario.

    python -m bench.duties     (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.utils import timezone  # noqa: E402

from lvzhi.core.models import Body, Member  # noqa: E402
from lvzhi.duties import kinds, services  # noqa: E402
from lvzhi.duties.models import DutyFact  # noqa: E402

FACTS = int(os.environ.get("BENCH_FACTS", "200000"))


def _facts(body: Body, year: int) -> int:
    members = list(Member.objects.filter(body=body, term__is_current=True)
                   .values_list("pk", flat=True))
    rules = services.rules_for(body.pk, year)
    start, end = services.window(rules)
    days = (end - start).days
    codes = [c for c in kinds.KINDS if c != "correction"]
    rng = random.Random(7)
    source = ContentType.objects.get_for_model(Body)
    rows = [DutyFact(body=body, member_id=rng.choice(members), kind=rng.choice(codes),
                     occurred_on=start + datetime.timedelta(days=rng.randrange(days)),
                     source_type=source, source_id=i, data={"title": f"压测事项{i}"})
            for i in range(1, FACTS + 1)]
    DutyFact.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(members)


def main() -> None:
    body = Body.objects.get(code="harbin")
    year = services.year_of(body.pk, timezone.localdate())
    started = time.perf_counter()
    members = _facts(body, year)
    print(f"duty facts: {FACTS} for {members} members in "
          f"{time.perf_counter() - started:.1f} s")
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        services.recompute(body.pk, year)
        runs.append(time.perf_counter() - started)
    print(f"the whole body evaluated: median {statistics.median(runs):.2f} s "
          f"(runs: {', '.join(f'{r:.2f}' for r in runs)}; target ≤ 2 s)")
    sample = list(Member.objects.filter(body=body, term__is_current=True)[:50])
    ms = []
    for member in sample:
        started = time.perf_counter()
        services.recompute_member(member, year)
        ms.append((time.perf_counter() - started) * 1000)
    ms.sort()
    print(f"one member recomputed: median {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(len(ms) * 0.95)]:.1f} ms (target ≤ 20 ms)")


if __name__ == "__main__":
    main()
