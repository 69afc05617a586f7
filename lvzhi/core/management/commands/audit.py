"""`lvzhi audit verify` walks the security audit log's hash chain (and, with --archives,
every archive file) and reports each break; `lvzhi audit archive` moves rows older than
AUDIT_KEEP_DAYS to a file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lvzhi.core import audit, audit_archive
from lvzhi.core.models import AuditRecord


class Command(BaseCommand):
    help = _("检查（verify）或归档（archive）安全审计日志")

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["verify", "archive"])
        parser.add_argument("--archives", action="store_true",
                            help=_("同时检查归档目录中的每个归档文件"))

    def handle(self, *args, **options) -> None:
        if options["what"] == "archive":
            count, path = audit_archive.archive()
            self.stdout.write(
                _("已归档 %(count)s 条记录到 %(path)s。") % {"count": count, "path": path}
                if count else _("没有超过 %(days)s 天的记录需要归档。")
                % {"days": settings.AUDIT_KEEP_DAYS})
            return
        problems = audit.verify()
        files = sorted(Path(settings.AUDIT_ARCHIVE_DIR).glob("audit-*.jsonl.gz")) \
            if options["archives"] else []
        for path in files:
            problems += audit_archive.verify_file(path)
        if problems:
            raise CommandError(_("安全审计日志不完整：") + "\n" + "\n".join(problems))
        count = AuditRecord.objects.count()
        self.stdout.write(
            _("安全审计日志完整：共 %(count)s 条，另检查归档文件 %(files)s 个。")
            % {"count": count, "files": len(files)} if files else
            _("安全审计日志完整：共 %(count)s 条。") % {"count": count})
