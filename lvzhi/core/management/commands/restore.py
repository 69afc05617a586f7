from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty MEDIA_ROOT, checked."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"恢复完成：{len(manifest['tables'])} 张表，{rows} 行，"
                          f"{len(manifest['media'])} 个附件，均已核对。")
