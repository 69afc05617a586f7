"""The plenary's opening: 600 members check in within a minute, against the real server.

Counts lost check-ins (a 200 answer without a row) and duplicates (more rows or events
than members), which must both be 0, and prints the p95 latency.

    python -m bench.checkin     (after bench.generate; see `make bench`)
"""

from __future__ import annotations

import datetime
import http.client
import os
import queue
import statistics
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.run import HOST, PORT, serve  # noqa: E402
from lvzhi.activities import services, workflow  # noqa: E402
from lvzhi.activities.models import Activity  # noqa: E402
from lvzhi.core.events import history  # noqa: E402
from lvzhi.core.models import Body, Member, User  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_CHECKINS", "600"))
CLIENTS = int(os.environ.get("BENCH_CHECKIN_CLIENTS", "16"))


def plenary() -> tuple[Activity, list[str]]:
    city = Body.objects.get(code="harbin")
    members = list(Member.objects.filter(body=city, term__is_current=True)
                   .select_related("user")[:MEMBERS])
    staff = User.objects.get(username="tianban")
    start = timezone.now() + datetime.timedelta(days=30)
    a = workflow.create(staff, city, {"kind": "plenary", "title": "全体会议（压测）",
                                      "starts_at": start, "place": "会堂"}, members)
    workflow.send_notice(staff, a)
    opened = timezone.now() - datetime.timedelta(minutes=1)
    Activity.objects.filter(pk=a.pk).update(starts_at=opened,
                                            ends_at=opened + datetime.timedelta(hours=3))
    a.refresh_from_db()
    keys = []
    for m in members:
        store = SessionStore()
        store["_auth_user_id"] = str(m.user.pk)
        store["_auth_user_backend"] = "lvzhi.core.auth.UsernameOrMobileBackend"
        store["_auth_user_hash"] = m.user.get_session_auth_hash()
        store.save()
        keys.append(store.session_key)
    return a, keys


def main() -> None:
    a, keys = plenary()
    work: queue.Queue = queue.Queue()
    for key in keys:
        work.put(key)
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.monotonic() + 60

    def client() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while time.monotonic() < deadline:
            try:
                key = work.get_nowait()
            except queue.Empty:
                break
            path = f"/activities/{a.pk}/checkin/?t={services.checkin_token(a)}"
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"sessionid={key}"})
            response = conn.getresponse()
            body = response.read().decode()
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                failures += not (response.status == 200 and "签到成功" in body)
        conn.close()

    server = serve()
    try:
        begun = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - begun
    finally:
        server.terminate()
        server.wait(timeout=10)
    rows = a.invitations.filter(checked_in_at__isnull=False).count()
    events = [e.action for e in history(a)].count("check_in")
    ms = sorted(x * 1000 for x in latencies)
    answered = len(ms) - failures
    print(f"plenary check-in: {len(keys)} members, {CLIENTS} concurrent clients, "
          f"{elapsed:.1f} s")
    print(f"answered 签到成功 {answered}, failed {failures}, rows {rows}, events {events}")
    duplicates = max(0, rows - len(keys)) + max(0, events - rows)
    print(f"lost {max(0, answered - rows)}, duplicates {duplicates}")
    print(f"median {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, "
          f"{len(ms) / elapsed:.1f} check-ins/s")


if __name__ == "__main__":
    main()
