from django.core.management.base import BaseCommand

from lvzhi.proposals.tasks import send_reminders


class Command(BaseCommand):
    help = "Queue (or, with the immediate backend, run) the daily proposal reminders."

    def handle(self, *args, **options) -> None:
        result = send_reminders.enqueue()
        if result.is_finished:
            value = result.return_value
            self.stdout.write(f"已发送提醒 {len(value['sent'])} 条，"
                              f"逾期未确认的联名人 {value['dropped_cosigners']} 位。")
        else:
            self.stdout.write(f"提醒任务已排队：{result.id}")
