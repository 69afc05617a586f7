"""`lvzhi audit verify`: walk the security audit log's hash chain and report every break."""

from django.core.management.base import BaseCommand, CommandError

from lvzhi.core import audit
from lvzhi.core.models import AuditRecord


class Command(BaseCommand):
    help = "检查安全审计日志是否完整（哈希链）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["verify"])

    def handle(self, *args, **options) -> None:
        problems = audit.verify()
        if problems:
            raise CommandError("安全审计日志不完整：\n" + "\n".join(problems))
        self.stdout.write(f"安全审计日志完整：共 {AuditRecord.objects.count()} 条。")
