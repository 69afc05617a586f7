"""`lvzhi duties backfill` records the duty facts of existing records again (idempotent);
`lvzhi duties evaluate` recomputes every body's open years now."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lvzhi.duties import services, tasks


class Command(BaseCommand):
    help = _("履职档案：补录履职记录（backfill）或重新计算考核结果（evaluate）")

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["backfill", "evaluate"])

    def handle(self, *args, **options) -> None:
        if options["what"] == "backfill":
            added = services.backfill()
            self.stdout.write(_("已补录 %(count)s 条履职记录。") % {"count": added})
        total = tasks.daily_evaluation.call()
        self.stdout.write(_("已重新计算 %(count)s 位委员的考核结果。") % {"count": total})
