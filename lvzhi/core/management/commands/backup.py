from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core import backup


class Command(BaseCommand):
    help = ("Write a consistent backup (database + uploads + manifest) into BACKUP_DIR; "
            "--queue hands it to the task queue, --prune deletes old archives.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, default=None,
                            help="folder for the archive (default BACKUP_DIR)")
        parser.add_argument("--prune", action="store_true",
                            help="then delete archives older than BACKUP_KEEP_DAYS")
        parser.add_argument("--queue", action="store_true",
                            help="run as the daily_backup task on the task queue")

    def handle(self, *args, output: Path | None = None, queue: bool = False,
               **options) -> None:
        if queue:
            result = backup.daily_backup.enqueue()
            self.stdout.write(f"备份任务已排队：{result.id}")
            return
        folder = output or Path(settings.BACKUP_DIR)
        try:
            archive = backup.create_backup(folder)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"备份完成：{archive}")
        if options["prune"]:
            for gone in backup.prune(folder, settings.BACKUP_KEEP_DAYS):
                self.stdout.write(f"已删除过期备份：{gone}")
