"""The deployment as docs/deploy.md describes it, as real processes on this machine: a
PostgreSQL database set up by `lvzhi init`, two gunicorn instances (as two hosts) with the
production gunicorn config, a task worker on a Redis of its own, an SMTP server, the
periodic command started twice at once.

Both instances are ready; a member signs in on one and submits on the other (sessions and
CSRF are shared); the office files the proposal over HTTP; the proposer's mail waits in the
outbox and the queue until a worker runs, then arrives at the SMTP server; the metrics of
the instance count the filing; the reminder job runs once; /readyz fails on both when Redis
is gone.

`make test-deploy` runs it (CI too); it needs PostgreSQL on 127.0.0.1 and redis-server.
"""

from __future__ import annotations

import email.header
import http.client
import http.cookies
import json
import mailbox
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.deploy
ROOT = Path(__file__).resolve().parents[3]
PG = "postgresql://postgres@127.0.0.1:5432/"
DB = "lvzhi_deploy_check"

SEED = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
import django
django.setup()
from lvzhi.core.models import Body, HandlingUnit, Member, Role, RoleKind, Sector, Term, User
from lvzhi.proposals.workflow import save_draft
body = Body.objects.get(code="suihua")
sector = Sector.objects.create(body=body, name="民盟")
HandlingUnit.objects.create(body=body, name="市教育局")
def person(mobile, name, email=""):
    user = User(username=mobile, mobile=mobile, full_name=name, email=email)
    user.set_password("Hanbei-2026-" + mobile[-2:])
    user.save()
    return user
user = person("13800000011", "孙文博", "sunwenbo@example.gov.cn")
seat = Member.objects.create(user=user, body=body, term=Term.objects.get(body=body),
                             sector=sector, position="member", party="cdl")
staff = person("13800000012", "周静怡")
Role.objects.create(user=staff, body=body, kind=RoleKind.STAFF)
p = save_draft(seat, user, {"title": "关于推进寒地城市公交优先的建议",
                            "situation": "冬季公交准点率低。", "suggestions": "增设公交专用道。",
                            "category": "economy"})
print(p.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up")


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read().decode()


class Browser:
    """One person's cookies, carried from host to host as a load balancer would."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), response.read().decode()

    def sign_in(self, port: int, mobile: str) -> None:
        self.request(port, "GET", "/login/")
        status, location, _ = self.request(port, "POST", "/login/", {
            "login": mobile, "password": "Hanbei-2026-" + mobile[-2:]})
        assert status == 302 and "sessionid" in self.cookies, (status, location)


@pytest.fixture
def cluster(tmp_path):
    import psycopg

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    try:
        admin = psycopg.connect(PG + "postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("PostgreSQL is not reachable")
    admin.execute(f"DROP DATABASE IF EXISTS {DB}")
    admin.execute(f"CREATE DATABASE {DB}")
    redis_port, smtp_port = _free_port(), _free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "",
                              "--appendonly", "no", "--bind", "127.0.0.1"],
                             stdout=subprocess.DEVNULL)
    # The city's mail server: every message it accepts lands in a maildir.
    smtp = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l",
                             f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Mailbox",
                             str(tmp_path / "maildir")], stdout=subprocess.DEVNULL)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("EMAIL", "DEBUG"))},
           "SECRET_KEY": "deploy-check-secret-0123456789abcdefghijklmnopqrstuvwxyz",
           "DATABASE_URL": PG + DB, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
           "TASKS_BACKEND": "rq", "LVZHI_VAR_DIR": str(tmp_path / "var"),
           "MEDIA_ROOT": str(tmp_path / "shared-media"), "ALLOWED_HOSTS": "127.0.0.1",
           "EMAIL_NOTIFICATIONS": "true", "EMAIL_BACKEND": "smtp", "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp_port), "WEB_CONCURRENCY": "1",
           "METRICS_TOKEN": "deploy-check-metrics-token",
           "LVZHI_INIT_ADMIN_PASSWORD": "Suihua-2026-admin"}
    processes = [redis, smtp]

    def lvzhi(*args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lvzhi", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600, **kw)

    def start(*args: str, **extra: str) -> subprocess.Popen:
        process = subprocess.Popen(args, env={**env, **extra}, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        return process

    try:
        _wait(lambda: subprocess.run(["redis-cli", "-p", str(redis_port), "ping"],
                                     capture_output=True).returncode == 0, "redis")
        _wait(lambda: socket.create_connection(("127.0.0.1", smtp_port), 1).close() or True,
              "smtp")
        yield {"env": env, "lvzhi": lvzhi, "start": start, "redis": redis,
               "maildir": mailbox.Maildir(tmp_path / "maildir", create=True)}
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        admin.close()


def test_the_documented_deployment_works_end_to_end(cluster, tmp_path):
    lvzhi, start, env = cluster["lvzhi"], cluster["start"], cluster["env"]
    for args in (("migrate", "--noinput", "-v0"), ("createcachetable",),
                 ("collectstatic", "--noinput", "-v0")):
        assert lvzhi(*args).returncode == 0, args
    init = lvzhi("init", "--no-input", "--code", "suihua", "--name",
                 "中国人民政治协商会议绥化市委员会", "--short-name", "市政协",
                 "--term-number", "5", "--term-start", "2022-01-05", "--session-number", "5",
                 "--session-start", "2026-01-10", "--session-end", "2026-12-31",
                 "--admin-name", "赵明远", "--admin-mobile", "13800000001",
                 "--security-name", "钱若兰", "--security-mobile", "13800000002")
    assert init.returncode == 0, init.stderr
    refused = lvzhi("demo", "--demo")
    assert refused.returncode != 0 and "已经有正式数据" in refused.stderr
    # Two web instances, as two hosts, with the production gunicorn config; the first has
    # two workers whose counts the metrics add up.
    ports = [_free_port(), _free_port()]
    for n, port in enumerate(ports):
        start(sys.executable, "-m", "gunicorn", "lvzhi.wsgi", "--config",
              "lvzhi/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
              WEB_CONCURRENCY=str(2 - n), PROMETHEUS_MULTIPROC_DIR=str(tmp_path / f"prom{n}"))
    for port in ports:
        _wait(lambda port=port: _get(port, "/healthz")[0] == 200, f"web on {port}")
        status, body = _get(port, "/readyz")
        assert status == 200 and json.loads(body)["task_queue"] == "ok", body
    seeded = subprocess.run([sys.executable, "-c", SEED], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    pk = int(seeded.stdout.split()[-1])
    # The member signs in on one host and submits on the other; the office files on a host.
    member, office = Browser(), Browser()
    member.sign_in(ports[0], "13800000011")
    status, location, _ = member.request(ports[1], "POST", f"/proposals/{pk}/act/submit/", {})
    assert status == 302 and location == f"/proposals/{pk}/", (status, location)
    office.sign_in(ports[1], "13800000012")
    status, location, _ = office.request(ports[0], "POST", f"/proposals/{pk}/act/file/", {})
    assert status == 302, (status, location)
    _, _, page = office.request(ports[1], "GET", f"/proposals/{pk}/")
    assert "已立案" in page
    # The proposer's mail waits in the outbox and the queue until a worker runs.
    maildir = cluster["maildir"]
    assert len(maildir) == 0
    worker = start(sys.executable, "-m", "lvzhi", "rqworker", "default", "--job-class",
                   "django_tasks_rq.backend.Job", "--burst")
    worker.wait(timeout=120)
    sent = list(maildir)
    subjects = [str(email.header.make_header(email.header.decode_header(m["Subject"])))
                for m in sent]
    assert any("已立案" in s for s in subjects), subjects
    assert all(m["To"] == "sunwenbo@example.gov.cn" for m in sent), [m["To"] for m in sent]
    assert any("关于推进寒地城市公交优先的建议" in part.get_payload(decode=True).decode()
               for m in sent for part in m.walk() if not part.is_multipart())
    # The metrics of the first host: both workers' requests, the filing among them.
    assert _get(ports[0], "/metrics")[0] == 404
    status, metrics = _get(ports[0], "/metrics",
                           {"Authorization": "Bearer deploy-check-metrics-token"})
    assert status == 200
    assert re.search(r'lvzhi_requests_total\{method="POST",status="3xx",'
                     r'view="proposals:act"\} 1\.0', metrics), metrics[:3000]
    healthz = re.search(r'lvzhi_requests_total\{method="GET",status="2xx",'
                        r'view="healthz"\} (\d+)', metrics)
    assert healthz and int(healthz.group(1)) >= 1, metrics[:3000]
    # The periodic job, started on two hosts at once, runs once.
    runs = [subprocess.Popen([sys.executable, "-m", "lvzhi", "periodic", "remind"], env=env,
                             cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert sum("已由其他主机运行" in out for out in outputs) == 1, outputs
    check = lvzhi("shell", "-c", "from lvzhi.core.models import PeriodicRun; "
                  "print(PeriodicRun.objects.filter(job='remind').count())")
    assert check.stdout.strip().splitlines()[-1] == "1", check.stdout + check.stderr
    # Redis gone: both instances say they are not ready, and why.
    cluster["redis"].terminate()
    cluster["redis"].wait(timeout=15)
    for port in ports:
        status, body = _get(port, "/readyz")
        assert status == 503 and json.loads(body)["task_queue"] == "unavailable", body
