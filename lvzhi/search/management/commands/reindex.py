"""lvzhi reindex [kind …]: rebuild the search index from the data."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lvzhi.search.index import KINDS, reindex


class Command(BaseCommand):
    help = _("重建全文检索索引（可只重建某几类：proposal report activity task problem person）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*")

    def handle(self, *args, kinds: list[str], **options) -> None:
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise CommandError(_("未知的类别：%(unknown)s（可选：%(kinds)s）")
                               % {"unknown": "、".join(unknown), "kinds": "、".join(KINDS)})
        started = time.monotonic()
        n = reindex(kinds or None)
        self.stdout.write(_("已重建检索索引：%(count)s 条，用时 %(seconds)s 秒。")
                          % {"count": n, "seconds": f"{time.monotonic() - started:.1f}"})
