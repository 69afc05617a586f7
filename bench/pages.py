"""Per page at one client, in-process: the CPU time one request costs and the number of
queries it asks — the figures that must stay flat as the data grows (run at each
BENCH_SCALE and compare). bench.run prints them before its load run.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lvzhi.core.models import User

REPEAT = 10


def measure(user: str, path: str) -> tuple[float, int, int]:
    """(median CPU ms, queries, status) of GET `path` as `user`, warm."""
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username=user))
    client.get(path)  # warm: templates compiled, caches filled
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    queries = len(captured)  # now: each request clears the log (request_started)
    times = []
    for _ in range(REPEAT):
        started = time.process_time()
        client.get(path)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times), queries, status


def report(plan: list[Any]) -> None:
    print(f"{'per page, one client':<40}{'CPU ms':>8}{'queries':>9}")
    for scenario in plan:
        gets = [path for method, path, _form in scenario.requests if method == "GET"]
        if not gets:
            continue
        cpu, queries, status = measure(scenario.user, gets[0])
        flag = "" if status == 200 else f"  (HTTP {status})"
        print(f"{scenario.name:<34}{cpu:>14.1f}{queries:>9}{flag}")
