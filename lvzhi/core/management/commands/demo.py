"""lvzhi demo --demo: load the demo organisation and people (idempotent), print the logins.

Demo accounts share a published password, so the loader refuses unless asked plainly
(`--demo`, or DEBUG on a developer's machine), and refuses any database that already holds
an organisation of its own. Only in development (DEBUG) is there a superuser `admin`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lvzhi.core import demo
from lvzhi.core.models import Body, User


class Command(BaseCommand):
    help = _("载入演示数据（仅用于演示和开发；须加 --demo 确认），并列出演示账号。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true",
                            help=_("确认这是演示或开发用的数据库（演示账号的密码是公开的）"))

    def handle(self, *args, **options) -> None:
        if not (options["demo"] or settings.DEBUG):
            raise CommandError(_("演示数据只用于演示和开发，账号密码是公开的。"
                                 "确认这是演示用的数据库，请加 --demo 再运行；"
                                 "正式部署请用 lvzhi init 建立第一个政协。"))
        if Body.objects.exists() and not is_demo_database():
            raise CommandError(_("这个数据库里已经有正式数据（政协、账号），不能载入演示数据。"))
        logins = demo.load()
        self.stdout.write("\n" + _("演示账号（密码均为 %(password)s）：")
                          % {"password": demo.DEMO_PASSWORD})
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.name}  {login.role}")
        self.stdout.write("")


def is_demo_database() -> bool:
    """The demo's own system administrator, with its made-up mobile number, is there."""
    return User.objects.filter(username="guanli", mobile="13900007001").exists()
