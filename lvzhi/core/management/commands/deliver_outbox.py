from django.core.management.base import BaseCommand

from lvzhi.core.outbox import deliver_due


class Command(BaseCommand):
    help = "Send the messages in the outbox that are due; run it every few minutes."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"已发送 {deliver_due()} 条消息。")
