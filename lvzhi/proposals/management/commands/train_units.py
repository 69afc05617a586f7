"""lvzhi train_units [body code …]: retrain the suggested-handling-unit model of each body."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lvzhi.core.models import Body
from lvzhi.proposals import units


class Command(BaseCommand):
    help = _("重新训练各政协的“建议承办单位”模型（可只训练某几个政协，按代码）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*")

    def handle(self, *args, codes: list[str], **options) -> None:
        bodies = Body.objects.filter(code__in=codes) if codes else Body.objects.all()
        if codes and len(bodies) != len(set(codes)):
            known = "、".join(Body.objects.values_list("code", flat=True))
            raise CommandError(_("未知的政协代码（现有：%(known)s）") % {"known": known})
        for body in bodies.order_by("pk"):
            started = time.monotonic()
            n = units.train(body.pk)
            if n:
                self.stdout.write(
                    _("%(body)s：已用 %(count)s 条交办记录训练，用时 %(seconds)s 秒。")
                    % {"body": body.short_name, "count": n,
                       "seconds": f"{time.monotonic() - started:.1f}"})
            else:
                self.stdout.write(_("%(body)s：交办记录不足 %(count)s 条，暂不训练。")
                                  % {"body": body.short_name, "count": units.MIN_EXAMPLES})
