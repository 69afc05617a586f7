from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lvzhi.core import backup


class Command(BaseCommand):
    help = _("写一份一致的备份（数据库、附件和清单）到 BACKUP_DIR；"
             "--queue 交给任务队列，--prune 删除过期的备份。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, default=None,
                            help=_("备份存放的目录（默认 BACKUP_DIR）"))
        parser.add_argument("--prune", action="store_true",
                            help=_("随后删除超过 BACKUP_KEEP_DAYS 天的备份"))
        parser.add_argument("--queue", action="store_true",
                            help=_("作为 daily_backup 任务交给任务队列运行"))

    def handle(self, *args, output: Path | None = None, queue: bool = False,
               **options) -> None:
        if queue:
            result = backup.daily_backup.enqueue()
            self.stdout.write(_("备份任务已排队：%(id)s") % {"id": result.id})
            return
        folder = output or Path(settings.BACKUP_DIR)
        try:
            archive = backup.create_backup(folder)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("备份完成：%(archive)s") % {"archive": archive})
        if options["prune"]:
            for gone in backup.prune(folder, settings.BACKUP_KEEP_DAYS):
                self.stdout.write(_("已删除过期备份：%(archive)s") % {"archive": gone})
