"""lvzhi periodic <job>: run a periodic job once for the current period (see core/periodic.py);
started by the systemd timers in deploy/ on every host."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lvzhi.core import periodic


class Command(BaseCommand):
    help = _("运行一次定时任务（每个周期只运行一次，多台主机同时启动也一样）：") + \
        "、".join(f"{name}（{job.label}）" for name, job in periodic.JOBS.items())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job")

    def handle(self, *args, job: str, **options) -> None:
        if job not in periodic.JOBS:
            raise CommandError(_("未知的定时任务：%(job)s（可选：%(jobs)s）")
                               % {"job": job, "jobs": "、".join(periodic.JOBS)})
        row = periodic.run(job)
        if row is None:
            self.stdout.write(_("%(job)s：本周期已由其他主机运行，跳过。") % {"job": job})
        else:
            self.stdout.write(_("%(job)s：%(state)s。%(output)s") % {
                "job": job, "state": row.get_state_display(), "output": row.output})
