"""How long each write holds the database's write lock, and in how many turns.

On the embedded default (SQLite) a transaction holds the one write lock from its start and
every other write waits for it (lvzhi/core/sqlite/base.py); a statement written outside a
transaction takes a turn of its own. So the time a write spends inside its turns, not its
whole request, is what queues the others under load. One client, in process, each action
on 30 proposals or reports of the load run's pool (the last ones: bench.run takes the
first), median per request — the whole request, and the part before its answer is sent
(on the embedded default the tasks it asked for run after it, core/after_response.py):

    python -m bench.writes      (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lvzhi.core import after_response  # noqa: E402
from lvzhi.core.models import HandlingUnit, User  # noqa: E402
from lvzhi.core.sqlite import base  # noqa: E402
from lvzhi.opinions.models import Report  # noqa: E402
from lvzhi.proposals.models import Proposal  # noqa: E402

N = int(os.environ.get("BENCH_WRITES_EACH", "30"))


class Turns:
    """The write lock's turns taken by this process: transactions, from their start to
    commit or rollback, and write statements outside a transaction."""

    def __init__(self) -> None:
        self.held: list[float] = []
        self._started: float | None = None
        wrapper = base.DatabaseWrapper
        start, leave = wrapper._start_transaction_under_autocommit, wrapper._leave_queue
        turns = self

        def started(db):
            turns._started = time.perf_counter()
            return start(db)

        def left(db):
            if db._queued and turns._started is not None:
                turns.held.append(time.perf_counter() - turns._started)
                turns._started = None
            return leave(db)

        wrapper._start_transaction_under_autocommit = started
        wrapper._leave_queue = left

    def statement(self, execute, sql, params, many, context):
        if connection.in_atomic_block or not base.WRITE.match(sql):
            return execute(sql, params, many, context)
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.held.append(time.perf_counter() - began)


class After:
    """The time the tasks held for the request took, once its response was complete."""

    def __init__(self) -> None:
        self.spent = 0.0
        run = after_response.run_held

        def timed() -> int:
            began = time.perf_counter()
            try:
                return run()
            finally:
                self.spent += time.perf_counter() - began

        after_response.run_held = timed  # the request_finished receiver looks it up


def measure(turns: Turns, after: After, name: str, user: str, urls: list[str],
            form: dict) -> None:
    client = Client()
    client.force_login(User.objects.get(username=user))
    held, taken, whole, answered = [], [], [], []
    with connection.execute_wrapper(turns.statement):
        for url in urls:
            turns.held.clear()
            after.spent = 0.0
            began = time.perf_counter()
            status = client.post(url, form).status_code
            whole.append(time.perf_counter() - began)
            answered.append(whole[-1] - after.spent)
            assert status in (200, 302), (url, status)
            held.append(sum(turns.held))
            taken.append(len(turns.held))
    print(f"{name:<10} request {statistics.median(whole) * 1000:6.1f} ms "
          f"(answered in {statistics.median(answered) * 1000:5.1f})   lock held "
          f"{statistics.median(held) * 1000:5.1f} ms in {statistics.median(taken):.0f} turns")


def main() -> None:
    if connection.vendor != "sqlite":
        print("bench.writes: the write lock is SQLite's; nothing to measure here")
        return
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    S = Proposal.State
    pool = Proposal.objects.filter(proposer__user__username="weiyuan",
                                   title__startswith="压测").order_by("-pk")
    pks = {state: list(pool.filter(state=state).values_list("pk", flat=True)[:N])
           for state in (S.DRAFT, S.SUBMITTED, S.FILED, S.HANDLING, S.EVALUATING)}
    reports = Report.objects.filter(reporter__username="weiyuan",
                                    title__startswith="压测").order_by("-pk")
    unit = HandlingUnit.objects.get(body__code="harbin", name="市教育局")
    turns, after = Turns(), After()
    for name, user, state, action, form in (
            ("提交", "weiyuan", S.DRAFT, "submit", {}),
            ("立案", "tianban", S.SUBMITTED, "file", {}),
            ("交办", "tianban", S.FILED, "assign", {"handling": "single", "units": unit.pk}),
            ("答复", "chengban", S.HANDLING, "reply", {"category": "A", "text": "已办理。"}),
            ("评价", "weiyuan", S.EVALUATING, "evaluate", {"rating": "satisfied"})):
        measure(turns, after, name, user,
                [f"/proposals/{pk}/act/{action}/" for pk in pks[state]], form)
    for name, user, state, action in (("报送信息", "weiyuan", "draft", "submit"),
                                      ("录用信息", "yanjiu", "submitted", "adopt")):
        ids = reports.filter(state=state).values_list("pk", flat=True)[:N]
        measure(turns, after, name, user, [f"/opinions/{pk}/act/{action}/" for pk in ids], {})


if __name__ == "__main__":
    main()
