"""The load run: the real server (gunicorn, as `make run` starts it) on loopback, several
concurrent clients, bounded in count and time. Prints median and p95 latency and
throughput per scenario.

    python -m bench.run     (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import http.client
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.conf import settings  # noqa: E402

from bench import pages  # noqa: E402
from lvzhi.core.models import HandlingUnit, Session  # noqa: E402
from lvzhi.proposals.models import Proposal  # noqa: E402

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2))  # as gunicorn.conf.py
READS = int(os.environ.get("BENCH_READS", "400"))
WRITES = int(os.environ.get("BENCH_WRITES", "200"))
ONLY = os.environ.get("BENCH_ONLY", "")  # run only the scenarios whose name contains this
# BENCH_PAGES_ONLY=1: print the per-page CPU and query table, skip the load run
TIME_LIMIT = 60.0  # seconds per scenario, whatever the count
CSRF = "b" * 32  # an unmasked CSRF secret, sent as cookie and header alike


@dataclass
class Scenario:
    name: str
    user: str
    requests: list[tuple[str, str, dict | None]]  # method, path, form
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0


def scenarios(sessions: dict[str, str]) -> list[Scenario]:
    S = Proposal.State
    mine = Proposal.objects.filter(proposer__user__username="weiyuan")
    pool = {state: list(mine.filter(state=state, title__startswith="压测")
                        .values_list("pk", flat=True)[:WRITES])
            for state in (S.DRAFT, S.SUBMITTED, S.FILED, S.HANDLING, S.EVALUATING)}
    closed = list(Proposal.objects.filter(state=S.CLOSED).values_list("pk", flat=True)[:2000])
    session = Session.objects.filter(body__code="harbin").order_by("-number").first()
    unit = HandlingUnit.objects.get(body__code="harbin", name="市教育局")
    rng, api = random.Random(1), random.Random(2)
    ledger = f"/proposals/office/?tab=all&category=society&session={session.pk}&timing=congress"

    def post(name, pks, form=None):
        return [("POST", f"/proposals/{pk}/act/{name}/", form or {}) for pk in pks]

    return [
        Scenario("成员：我的提案列表", "weiyuan", [("GET", "/proposals/", None)] * READS),
        Scenario("提案委：筛选台账", "tianban",
                 [("GET", f"{ledger}&page={rng.randint(1, 20)}", None) for _ in range(READS)]),
        Scenario("提案详情页", "tianban",
                 [("GET", f"/proposals/{rng.choice(closed)}/", None) for _ in range(READS)]),
        # its API twin, for the phone apps (its own random stream: the others' stay as they were)
        Scenario("API：提案详情", "tianban", [("GET", f"/api/proposals/{api.choice(closed)}", None)
                                           for _ in range(READS)]),
        Scenario("提交", "weiyuan", post("submit", pool[S.DRAFT])),
        Scenario("立案", "tianban", post("file", pool[S.SUBMITTED])),
        Scenario("交办", "tianban", post("assign", pool[S.FILED],
                                       {"handling": "single", "units": str(unit.pk)})),
        Scenario("答复", "chengban", post("reply", pool[S.HANDLING],
                                        {"category": "A", "text": "已经办理完毕。"})),
        Scenario("评价", "weiyuan", post("evaluate", pool[S.EVALUATING],
                                       {"rating": "satisfied"})),
        *opinion_scenarios(rng),
        Scenario("履职考核：本政协考核表", "tianban", [
            ("GET", f"/duties/office/?page={rng.randint(1, 40)}", None) for _ in range(READS)]),
        *ledger_scenarios(rng),
        Scenario("检索：提案委全文搜索", "tianban", searches(rng)),
        Scenario("检索：委员全文搜索", "weiyuan", searches(rng)),
    ]


def searches(rng: random.Random) -> list[tuple]:
    return [("GET", f"/search/?q={urllib.parse.quote(rng.choice(SEARCHES))}", None)
            for _ in range(READS)]


SEARCHES = ["养老服务", "冰雪经济", "老旧小区 电梯", "营商环境", "职业教育", "托育",
            "垃圾分类", "黑土地", "公交", "无障碍"]


def ledger_scenarios(rng: random.Random) -> list[Scenario]:
    from lvzhi.ledgers.models import Ledger

    checklist = Ledger.objects.filter(body__code="harbin", kind="assignment",
                                      title__startswith="压测").first()
    if checklist is None:  # bench.ledgers not run
        return []
    return [
        Scenario("台账：督查室看板", "ducha", [
            ("GET", f"/ledgers/?page={rng.randint(1, 6)}", None) for _ in range(READS)]),
        Scenario("台账：本部门任务", "yanjiu", [("GET", "/ledgers/?mine=1", None)] * READS),
        Scenario("台账：交办矩阵", "ducha",
                 [("GET", f"/ledgers/assignments/{checklist.pk}/", None)] * READS),
    ]


def opinion_scenarios(rng: random.Random) -> list[Scenario]:
    from lvzhi.opinions.models import Report

    mine = Report.objects.filter(reporter__username="weiyuan", title__startswith="压测")
    drafts = list(mine.filter(state="draft").values_list("pk", flat=True)[:WRITES])
    waiting = list(mine.filter(state="submitted").values_list("pk", flat=True)[:WRITES])
    some = list(Report.objects.filter(state="published").values_list("pk", flat=True)[:2000])

    def post(name, pks):
        return [("POST", f"/opinions/{pk}/act/{name}/", {}) for pk in pks]

    return [
        Scenario("信息员：我的信息", "weiyuan", [("GET", "/opinions/", None)] * READS),
        Scenario("信息处理：筛选队列", "yanjiu", [
            ("GET", f"/opinions/office/?state=submitted&category=urban&page={rng.randint(1, 9)}",
             None) for _ in range(READS)]),
        Scenario("信息详情页", "yanjiu",
                 [("GET", f"/opinions/{rng.choice(some)}/", None) for _ in range(READS)]),
        Scenario("报送信息", "weiyuan", post("submit", drafts)),
        Scenario("录用信息", "yanjiu", post("adopt", waiting)),
    ]


def run(scenario: Scenario, session_key: str) -> None:
    work: queue.Queue = queue.Queue()
    for item in scenario.requests:
        work.put(item)
    lock = threading.Lock()
    deadline = time.monotonic() + TIME_LIMIT
    headers = {"Cookie": f"sessionid={session_key}; csrftoken={CSRF}", "X-CSRFToken": CSRF,
               "Content-Type": "application/x-www-form-urlencoded"}

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while time.monotonic() < deadline:
            try:
                method, path, form = work.get_nowait()
            except queue.Empty:
                break
            body = urllib.parse.urlencode(form) if form is not None else None
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            took = time.perf_counter() - started
            with lock:
                scenario.latencies.append(took)
                scenario.errors += not _succeeded(method, response)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    scenario.elapsed = time.perf_counter() - started


def warm_up(plan: list[Scenario], sessions: dict[str, str]) -> None:
    """A few untimed requests to every page first, so each worker has loaded its templates
    and translations: a freshly started worker's first requests are not what a running
    platform serves."""
    for scenario in plan:
        reads = [r for r in scenario.requests if r[0] == "GET"][:1] * (4 * int(WORKERS))
        if reads:
            run(Scenario(scenario.name, scenario.user, reads), sessions[scenario.user])


def _succeeded(method: str, response: http.client.HTTPResponse) -> bool:
    """A page is a 200; an action redirects to the proposal (a refusal re-renders with 4xx,
    and a lost session redirects to the login page, which must not count as success)."""
    if method == "GET":
        return response.status == 200
    location = response.getheader("Location") or ""
    return response.status == 302 and location.startswith(("/proposals/", "/opinions/"))


def serve() -> subprocess.Popen:
    env = {**os.environ, "WEB_CONCURRENCY": WORKERS}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lvzhi.wsgi", "--config", "lvzhi/gunicorn.conf.py",
         "--bind", f"{HOST}:{PORT}", "--access-logfile", "/dev/null"], env=env,
        stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def settle() -> None:
    """On PostgreSQL, what autovacuum does minutes after bench.duties, bench.ledgers and
    bench.search rewrote their tables (statistics, the visibility map that index-only scans
    need): measured at once, the pages ran on plans made for empty tables."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> None:
    settle()
    # Fresh sessions: staff are signed out after 30 idle minutes (IDLE_MINUTES_STAFF).
    from bench.generate import sessions_for_clients

    sessions_for_clients()
    path = os.environ.get("BENCH_SESSIONS", str(settings.VAR_DIR / "sessions.txt"))
    with open(path) as lines:
        sessions = dict(line.split() for line in lines)
    plan = [s for s in scenarios(sessions) if ONLY in s.name]
    pages.report(plan)
    if os.environ.get("BENCH_PAGES_ONLY"):  # the per-page table alone (compare scales)
        return
    server = serve()
    try:
        warm_up(plan, sessions)
        print(f"{CLIENTS} concurrent clients, gunicorn with "
              f"{WORKERS} workers × {os.environ.get('WEB_THREADS', '1')} threads, "
              f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"{'scenario':<16}{'n':>6}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'req/s':>8}")
        for scenario in plan:
            run(scenario, sessions[scenario.user])
            ms = sorted(x * 1000 for x in scenario.latencies)
            p95 = ms[max(0, int(len(ms) * 0.95) - 1)] if ms else 0
            rate = len(ms) / scenario.elapsed if scenario.elapsed else 0
            print(f"{scenario.name:<14}{len(ms):>6}{scenario.errors:>8}"
                  f"{statistics.median(ms) if ms else 0:>11.1f}{p95:>9.1f}{rate:>8.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
