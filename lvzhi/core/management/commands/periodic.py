"""lvzhi periodic <job>: run a periodic job once for the current period (see core/periodic.py);
started by the systemd timers in deploy/ on every host."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core import periodic


class Command(BaseCommand):
    help = "运行一次定时任务（每个周期只运行一次，多台主机同时启动也一样）：" + \
        "、".join(f"{name}（{job.label}）" for name, job in periodic.JOBS.items())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job")

    def handle(self, *args, job: str, **options) -> None:
        if job not in periodic.JOBS:
            raise CommandError(f"未知的定时任务：{job}（可选：{'、'.join(periodic.JOBS)}）")
        row = periodic.run(job)
        if row is None:
            self.stdout.write(f"{job}：本周期已由其他主机运行，跳过。")
        else:
            self.stdout.write(f"{job}：{row.get_state_display()}。{row.output}")
