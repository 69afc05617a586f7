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


# Pages whose cost grew with the data before (issue: flat cost), beside the load run's:
# the unfiltered ledger and its 100th page, the title search, the directory, the queue.
GROWERS = [
    ("提案委：台账（无筛选）", "tianban", "/proposals/office/"),
    ("提案委：台账第 100 页", "tianban", "/proposals/office/?page=100"),
    ("提案委：台账关键词", "tianban", "/proposals/office/?q=养老"),
    ("委员名录", "weiyuan", "/people/"),
    ("信息处理：队列（无筛选）", "yanjiu", "/opinions/office/"),
    ("API：提案详情", "tianban", None),
]


def report(plan: list[Any]) -> None:
    print(f"{'per page, one client':<40}{'CPU ms':>8}{'queries':>9}")
    rows = [(s.name, s.user, s.requests[0][1]) for s in plan if s.requests
            and s.requests[0][0] == "GET"]
    for name, user, path in [*rows, *GROWERS]:
        path = path or _api_detail(plan)
        if not path:
            continue
        cpu, queries, status = measure(user, path)
        flag = "" if status == 200 else f"  (HTTP {status})"
        print(f"{name:<34}{cpu:>14.1f}{queries:>9}{flag}")


def _api_detail(plan: list[Any]) -> str | None:
    """The API twin of the proposal page the plan reads."""
    for s in plan:
        if s.name == "提案详情页":
            return "/api" + s.requests[0][1].rstrip("/")
    return None

