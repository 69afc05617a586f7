"""Pages while exports run: the p95 of busy office pages at 8 clients, alone and with two
whole-ledger exports running all the while on two task workers, in turn (BENCH_EXPORT_ROUNDS
times), medians compared.

The workers run as deploy/systemd/lvzhi-worker@.service runs them beside the web service:
in a session of their own (systemd starts each service so, and Linux then shares the CPU
between sessions before it looks at nice values), at nice 19, and in a cgroup whose
`cpu.idle` is set — what the unit's CPUWeight=idle gives — where this machine lets the
bench make one (root, a writable cgroup file system). BENCH_WORKERS picks another
placement to compare: `session` (own session, nice 19 only: a systemd older than 252),
`shared` (the bench's own session, nice 19: how this bench ran before 2026-12-01).

    python -m bench.exporting     (after bench.generate; needs Redis, as production does)

The task queue runs on Redis database 12 of 127.0.0.1 (BENCH_REDIS_URL to change); the
server and the workers share this process's environment.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ["TASKS_BACKEND"] = "rq"
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")

from bench import run as bench  # sets Django up, with the environment above
from lvzhi.core.models import Export

PAGES = ("提案委：筛选台账", "提案详情页", "信息处理：筛选队列")
PLACEMENT = os.environ.get("BENCH_WORKERS", "service")  # service, session or shared
IDLE_GROUP = "lvzhi-bench-workers"
ROUNDS = int(os.environ.get("BENCH_EXPORT_ROUNDS", "3"))  # beside the exports, in turn


def main() -> None:
    from bench.generate import sessions_for_clients

    sessions_for_clients()
    path = os.environ.get("BENCH_SESSIONS", str(bench.settings.VAR_DIR / "sessions.txt"))
    with open(path) as lines:
        sessions = dict(line.split() for line in lines)
    server = bench.serve()
    try:
        bench.warm_up(_plan(sessions), sessions)
        # Alone and beside the exports in turn, ROUNDS times, and the median of each
        # page's p95 compared: a p95 of a few hundred requests at 25–40 ms moves by a
        # quarter from one run to the next on its own (docs/performance.md).
        alone, beside, done = [_measure(sessions)], [], []
        for _ in range(ROUNDS):
            figures, finished = _beside_exports(sessions)
            beside.append(figures)
            done += finished
            alone.append(_measure(sessions))
        _report(alone, beside, done)
    finally:
        server.terminate()
        server.wait(timeout=60)


def _beside_exports(sessions: dict[str, str]) -> tuple[dict[str, float], list[float]]:
    """The pages' p95 while two task workers write whole-ledger exports, asked again as
    each ends; the workers are stopped after, so no export runs into the next round."""
    group = _idle_group() if PLACEMENT == "service" else None
    # The shell moves itself into the group, then becomes the worker.
    join = ["sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "sh"] if group else []
    workers = [subprocess.Popen(
        [*join, "nice", "-n", "19", sys.executable, "-m", "lvzhi", "rqworker",
         "default", "--job-class", "django_tasks_rq.backend.Job"],
        start_new_session=PLACEMENT != "shared",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        exporting = Exporter(sessions["tianban"])
        exporting.start()
        figures = _measure(sessions)
        exporting.stop()
        return figures, exporting.done
    finally:
        for process in workers:
            process.terminate()
            process.wait(timeout=60)


def _idle_group() -> Path | None:
    """A cgroup with `cpu.idle` set (cgroup v1's cpu hierarchy or v2's), or None where this
    machine does not let the bench make one."""
    for root in (Path("/sys/fs/cgroup/cpu"), Path("/sys/fs/cgroup")):
        group = root / IDLE_GROUP
        try:
            group.mkdir(exist_ok=True)
            (group / "cpu.idle").write_text("1")
        except OSError:
            continue
        return group
    return None


def _placement() -> str:
    if PLACEMENT == "shared":
        return "in the bench's session, nice 19"
    group = _idle_group() if PLACEMENT == "service" else None
    return (f"own session, nice 19, cgroup {group} with cpu.idle" if group else
            "own session, nice 19 (no idle cgroup: not as CPUWeight=idle runs them)")


def _plan(sessions: dict[str, str]) -> list[bench.Scenario]:
    return [s for s in bench.scenarios(sessions) if s.name in PAGES]


def _measure(sessions: dict[str, str]) -> dict[str, float]:
    """p95 ms of each page at CLIENTS clients."""
    figures = {}
    for scenario in _plan(sessions):
        bench.run(scenario, sessions[scenario.user])
        figures[scenario.name] = statistics.quantiles(scenario.latencies, n=20)[-1] * 1000
    return figures


class Exporter:
    """Keeps two exports of the whole ledger running: as one ends, the next is asked for
    through the page's button (POST), as a person would."""

    def __init__(self, session_key: str) -> None:
        self.session_key = session_key
        self.done: list[float] = []  # seconds from asking to the file
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop) for _ in range(2)]

    def start(self) -> None:
        before = Export.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for thread in self.threads:
            thread.start()
        deadline = time.monotonic() + 60
        while Export.objects.filter(pk__gt=before, state=Export.State.RUNNING).count() < 2:
            if time.monotonic() > deadline:
                raise SystemExit("the exports did not start: is Redis running?")
            time.sleep(0.2)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            asked = time.monotonic()
            pk = self._ask()
            while not self.stopping.is_set():
                state = Export.objects.filter(pk=pk).values_list("state", flat=True).first()
                if state in (Export.State.DONE, Export.State.FAILED):
                    if state == Export.State.DONE:
                        self.done.append(time.monotonic() - asked)
                    break
                time.sleep(0.5)

    def _ask(self) -> int:
        conn = http.client.HTTPConnection(bench.HOST, bench.PORT, timeout=30)
        conn.request("POST", "/proposals/office/export.xlsx?tab=all", body="", headers={
            "Cookie": f"sessionid={self.session_key}; csrftoken={bench.CSRF}",
            "X-CSRFToken": bench.CSRF})
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location") or ""
        if response.status != 302 or "/exports/" not in location:
            raise SystemExit(f"the export was refused: HTTP {response.status}")
        return int(location.rstrip("/").rsplit("/", 1)[-1])


def _report(alone: list[dict[str, float]], beside: list[dict[str, float]],
            done: list[float]) -> None:
    print(f"{bench.CLIENTS} clients; page p95 alone and with two exports running "
          f"(workers: {_placement()}), median of {len(alone)} and {len(beside)} runs")
    print(f"{'page':<22}{'alone ms':>10}{'exporting ms':>14}{'change':>9}   runs")
    for name in alone[0]:
        before = statistics.median(run[name] for run in alone)
        after = statistics.median(run[name] for run in beside)
        runs = " / ".join(f"{run[name]:.0f}" for run in alone) + " | " + " / ".join(
            f"{run[name]:.0f}" for run in beside)
        print(f"{name:<20}{before:>12.1f}{after:>14.1f}{(after / before - 1) * 100:>8.0f}%"
              f"   {runs}")
    if done:
        print(f"exports finished meanwhile: {len(done)}, "
              f"median {statistics.median(done):.1f} s from asking to the file")


if __name__ == "__main__":
    main()
