from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lvzhi.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = _("把一份备份恢复到空的数据库和空的 MEDIA_ROOT，并逐项核对。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(_("恢复完成：%(tables)s 张表，%(rows)s 行，%(files)s 个附件，均已核对。")
                          % {"tables": len(manifest["tables"]), "rows": rows,
                             "files": len(manifest["media"])})
