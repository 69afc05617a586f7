from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lvzhi.proposals.tasks import send_reminders


class Command(BaseCommand):
    help = _("发送（或交给任务队列发送）每天的提案提醒。")

    def handle(self, *args, **options) -> None:
        result = send_reminders.enqueue()
        if result.is_finished:
            value = result.return_value
            self.stdout.write(_("已发送提醒 %(sent)s 条，逾期未确认的联名人 %(dropped)s 位。")
                              % {"sent": len(value["sent"]),
                                 "dropped": value["dropped_cosigners"]})
        else:
            self.stdout.write(_("提醒任务已排队：%(id)s") % {"id": result.id})
