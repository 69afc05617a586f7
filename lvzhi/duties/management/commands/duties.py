"""`lvzhi duties backfill` records the duty facts of existing records again (idempotent);
`lvzhi duties evaluate` recomputes every body's open years now."""

from django.core.management.base import BaseCommand

from lvzhi.duties import services, tasks


class Command(BaseCommand):
    help = "履职档案：补录履职记录（backfill）或重新计算考核结果（evaluate）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("what", choices=["backfill", "evaluate"])

    def handle(self, *args, **options) -> None:
        if options["what"] == "backfill":
            added = services.backfill()
            self.stdout.write(f"已补录 {added} 条履职记录。")
        total = tasks.daily_evaluation.call()
        self.stdout.write(f"已重新计算 {total} 位委员的考核结果。")
