"""Periodic jobs run once per period however many hosts start them, are recorded, retried
in the same period after a failure, and tell the administrators of failures and of runs
that stopped coming."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lvzhi.core import periodic
from lvzhi.core.models import Notification, PeriodicRun

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Calls(list):
    job = None


@pytest.fixture
def calls(monkeypatch):
    made = Calls()

    def job(name, every, fail=False):
        def run():
            made.append(name)
            if fail and len(made) == 1:
                raise RuntimeError("网关无响应")
            return f"{name} ok"
        monkeypatch.setitem(periodic.JOBS, name, periodic.Job(name, "测试任务", every, run))
    made.job = job
    return made


def test_a_period_runs_once_however_many_hosts_start_it(world, calls):
    calls.job("daily", datetime.timedelta(days=1))
    assert periodic.run("daily", NOON).state == "done"
    assert periodic.run("daily", NOON + datetime.timedelta(hours=3)) is None  # another host
    assert calls == ["daily"]
    assert periodic.run("daily", NOON + datetime.timedelta(days=1)).state == "done"
    assert calls == ["daily", "daily"]
    five = periodic.Job("x", "", datetime.timedelta(minutes=5), lambda: "")
    assert periodic.period_of(five, NOON) != periodic.period_of(
        five, NOON + datetime.timedelta(minutes=5))
    assert periodic.period_of(five, NOON) == periodic.period_of(
        five, NOON + datetime.timedelta(minutes=4))


def test_a_failed_run_is_recorded_reported_and_retried_in_the_same_period(world, calls):
    calls.job("flaky", datetime.timedelta(days=1), fail=True)
    with pytest.raises(RuntimeError):
        periodic.run("flaky", NOON)
    row = PeriodicRun.objects.get(job="flaky")
    assert row.state == "failed" and "网关无响应" in row.output and row.finished_at
    note = Notification.objects.get(recipient=world.zheng)  # the system administrator
    assert note.title == "定时任务失败：测试任务" and note.url == "/admin/core/periodicrun/"
    assert periodic.run("flaky", NOON + datetime.timedelta(minutes=30)).state == "done"
    assert PeriodicRun.objects.get(job="flaky").state == "done"  # the same row, taken over
    assert not Notification.objects.filter(recipient=world.lin).exists()  # not members


def test_runs_that_stopped_coming_are_reported(world, calls):
    calls.job("daily", datetime.timedelta(days=1))
    calls.job("often", datetime.timedelta(minutes=5))
    periodic.run("daily", NOON - datetime.timedelta(days=3))
    PeriodicRun.objects.filter(job="daily").update(
        finished_at=NOON - datetime.timedelta(days=3))
    assert [job.name for job in periodic.missed(NOON)] == ["daily"]
    periodic.run("often", NOON)
    late = Notification.objects.filter(recipient=world.zheng, title="定时任务逾期未运行：测试任务")
    assert late.count() == 1
    periodic.run("often", NOON + datetime.timedelta(minutes=5))  # once a day, not each run
    assert late.count() == 1


def test_the_command_runs_a_known_job_and_refuses_others(world):
    out = io.StringIO()
    call_command("periodic", "deliver_outbox", stdout=out)
    assert "deliver_outbox：成功" in out.getvalue()
    call_command("periodic", "deliver_outbox", stdout=out)
    assert "已由其他主机运行" in out.getvalue()
    with pytest.raises(CommandError, match="未知的定时任务"):
        call_command("periodic", "rm-rf")


def test_the_runs_page_is_for_administrators(login, world):
    PeriodicRun.objects.create(job="remind", period="2026-11-30", state="done",
                               finished_at=timezone.now() - datetime.timedelta(days=3))
    page = login(world.zheng).get("/admin/core/periodicrun/", follow=True)
    assert page.status_code == 200 and "逾期未运行：提案提醒" in page.content.decode()
    for who in (world.zhou, world.lin):
        assert login(who).get("/admin/core/periodicrun/").status_code in (302, 403)
