"""Periodic work, once per period however many hosts start it.

The systemd timers in deploy/ start `lvzhi periodic <job>` on every web host; the first to
insert the (job, period) row runs the job, the others find the row and stand down. Each run
is recorded (系统配置 → 定时任务运行记录); a failed run is retried at the next start of the
same period (its row is taken over), and tells the administrators; a job whose last success
is older than twice its period is reported as missed by the next run of any job, and again
each day it stays missed (not every five minutes).
"""

from __future__ import annotations

import datetime
import io
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.models import Body, Notification, PeriodicRun, Role, RoleKind, User
from lvzhi.core.notifications import Message, notify


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    every: datetime.timedelta
    run: Callable[[], str]


def _command(*args: str) -> Callable[[], str]:
    def run() -> str:
        out = io.StringIO()
        call_command(*args, stdout=out)
        return out.getvalue().strip()
    return run


JOBS: dict[str, Job] = {job.name: job for job in (
    Job("deliver_outbox", gettext_lazy("发送待发消息"), datetime.timedelta(minutes=5),
        _command("deliver_outbox")),
    Job("remind", gettext_lazy("提案提醒"), datetime.timedelta(days=1), _command("remind")),
    Job("backup", gettext_lazy("每日备份"), datetime.timedelta(days=1),
        _command("backup", "--queue")),
    Job("train_units", gettext_lazy("训练建议承办单位"), datetime.timedelta(days=1),
        _command("train_units")),
)}


def period_of(job: Job, now: datetime.datetime) -> str:
    """The period `now` falls in: a local date for daily jobs, else its slot of the day."""
    local = timezone.localtime(now)
    if job.every >= datetime.timedelta(days=1):
        return local.date().isoformat()
    slot = int((local.hour * 3600 + local.minute * 60) // job.every.total_seconds())
    return f"{local.date().isoformat()}#{slot}"


def run(name: str, now: datetime.datetime | None = None) -> PeriodicRun | None:
    """Run job `name` for the current period unless another host has (None then)."""
    job = JOBS[name]
    row = _claim(job, period_of(job, now or timezone.now()))
    if row is None:
        return None
    try:
        output = job.run()
    except Exception as error:
        _finish(row, PeriodicRun.State.FAILED, f"{type(error).__name__}: {error}")
        _alert(_("定时任务失败：%(job)s") % {"job": job.label}, row.output)
        raise
    _finish(row, PeriodicRun.State.DONE, output)
    for late in missed(now):
        _alert_missed(late)
    return row


def _claim(job: Job, period: str) -> PeriodicRun | None:
    host = socket.gethostname()[:80]
    try:
        with transaction.atomic():
            return PeriodicRun.objects.create(job=job.name, period=period, host=host)
    except IntegrityError:
        pass
    # Taken: stand down, unless the earlier try of this period failed — then take it over.
    taken = PeriodicRun.objects.filter(job=job.name, period=period,
                                       state=PeriodicRun.State.FAILED).update(
        state=PeriodicRun.State.RUNNING, host=host, started_at=timezone.now(),
        finished_at=None, output="")
    return PeriodicRun.objects.get(job=job.name, period=period) if taken else None


def _finish(row: PeriodicRun, state: str, output: str) -> None:
    row.state, row.output, row.finished_at = state, output[:500], timezone.now()
    row.save(update_fields=["state", "output", "finished_at"])


def missed(now: datetime.datetime | None = None) -> list[Job]:
    """Jobs that have run before but not successfully within twice their period."""
    now = now or timezone.now()
    last = dict(PeriodicRun.objects.filter(state=PeriodicRun.State.DONE,
                                           finished_at__isnull=False).values("job")
                .annotate(at=Max("finished_at")).values_list("job", "at"))
    return [job for name, job in JOBS.items()
            if name in last and now - last[name] > 2 * job.every]


def _alert_missed(job: Job) -> None:
    title = _("定时任务逾期未运行：%(job)s") % {"job": job.label}
    # Notification times are the clock's, so the window is the clock's too.
    if not Notification.objects.filter(
            title=title, created_at__gte=timezone.now() - datetime.timedelta(days=1)).exists():
        _alert(title, _("请检查定时器（systemd timer）是否在运行。"))


def _alert(title: str, text: str) -> None:
    """To the superusers and every body's system administrators."""
    admins = set(Role.objects.filter(kind=RoleKind.BODY_ADMIN).values_list("user_id",
                                                                            flat=True))
    people = list(User.objects.filter(is_active=True).filter(
        pk__in=admins) | User.objects.filter(is_active=True, is_superuser=True))
    body = Body.objects.order_by("pk").first()
    if people and body:
        notify(people, Message(body.pk, title, text, "/admin/core/periodicrun/"))
