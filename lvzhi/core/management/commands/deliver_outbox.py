from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lvzhi.core.outbox import deliver_due


class Command(BaseCommand):
    help = _("发送发件箱中到期的消息；每隔几分钟运行一次。")

    def handle(self, *args, **options) -> None:
        self.stdout.write(_("已发送 %(count)s 条消息。") % {"count": deliver_due()})
