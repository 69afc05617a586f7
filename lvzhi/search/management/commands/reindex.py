"""lvzhi reindex [kind …]: rebuild the search index from the data."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.search.index import KINDS, reindex


class Command(BaseCommand):
    help = "重建全文检索索引（可只重建某几类：proposal report activity task problem person）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*")

    def handle(self, *args, kinds: list[str], **options) -> None:
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise CommandError(f"未知的类别：{'、'.join(unknown)}（可选：{'、'.join(KINDS)}）")
        started = time.monotonic()
        n = reindex(kinds or None)
        self.stdout.write(f"已重建检索索引：{n} 条，用时 {time.monotonic() - started:.1f} 秒。")
