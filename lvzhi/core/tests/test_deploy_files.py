"""The files in deploy/ say what the code does: every periodic job has its timer and every
timer a job, the units start real commands, the proxy overwrites X-Forwarded-For; and the
production settings (mail) come from the environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from lvzhi.core import periodic

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_every_periodic_job_has_a_timer_and_every_timer_a_job():
    timers = {p.name.removeprefix("lvzhi-periodic-").removesuffix(".timer")
              for p in (DEPLOY / "systemd").glob("lvzhi-periodic-*.timer")}
    assert timers == set(periodic.JOBS)
    for job in timers:
        text = (DEPLOY / "systemd" / f"lvzhi-periodic-{job}.timer").read_text()
        assert f"Unit=lvzhi-periodic@{job}.service" in text and "OnCalendar=" in text
    service = (DEPLOY / "systemd" / "lvzhi-periodic@.service").read_text()
    assert "ExecStart=/opt/lvzhi/.venv/bin/lvzhi periodic %i" in service


def test_the_units_read_one_environment_file_and_restart():
    for unit in ("lvzhi-web.service", "lvzhi-worker@.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "EnvironmentFile=/etc/lvzhi/lvzhi.env" in text
        assert re.search(r"^Restart=(on-failure|always)$", text, re.M)
        assert "MemoryMax=" in text
    web = (DEPLOY / "systemd" / "lvzhi-web.service").read_text()
    assert "--config lvzhi/gunicorn.conf.py" in web


def test_a_task_worker_takes_only_the_cpu_the_pages_leave():
    # A service runs in a session and a cgroup of its own: a nice value alone does not put
    # it below the web service (docs/performance.md, bench.exporting).
    worker = (DEPLOY / "systemd" / "lvzhi-worker@.service").read_text()
    assert re.search(r"^CPUWeight=idle$", worker, re.M)
    assert re.search(r"^Nice=19$", worker, re.M)
    assert "CPUWeight" not in (DEPLOY / "systemd" / "lvzhi-web.service").read_text()


def test_the_proxy_overwrites_the_client_address_and_passes_the_scheme():
    text = (DEPLOY / "nginx-lvzhi.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "$proxy_add_x_forwarded_for" not in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "client_max_body_size 21m;" in text and "proxy_buffering on;" in text


def _setting(name: str, env: dict) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    base = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    run = subprocess.run([sys.executable, "-c", "import django, os; "
                          "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lvzhi.settings'); "
                          f"django.setup(); {code}"],
                         env={**base, "SECRET_KEY": "t", **env}, capture_output=True, text=True,
                         check=False)
    return run.stdout.strip() or run.stderr


def test_mail_is_configured_from_the_environment():
    assert _setting("EMAIL_BACKEND", {}) == "django.core.mail.backends.smtp.EmailBackend"
    assert _setting("EMAIL_BACKEND", {"EMAIL_BACKEND": "console"}).endswith("console.EmailBackend")
    assert _setting("EMAIL_TIMEOUT", {"EMAIL_TIMEOUT": "7"}) == "7"
    assert "EMAIL_BACKEND must be" in _setting("EMAIL_BACKEND", {"EMAIL_BACKEND": "pigeon"})


def test_the_production_install_leaves_the_test_tools_out():
    makefile = (DEPLOY.parent / "Makefile").read_text()
    recipe = makefile.split("\ninstall:", 1)[1].split("\n\n", 1)[0]
    assert "-c requirements.lock -e ." in recipe and "[test]" not in recipe
    assert "system-deps" in recipe.splitlines()[0]  # Pango and the CJK fonts for PDFs
