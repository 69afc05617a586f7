from django.core.management.base import BaseCommand

from lvzhi.core import demo


class Command(BaseCommand):
    help = "Load the demo organisation and people (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        logins = demo.load()
        self.stdout.write(f"\n演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.name}  {login.role}")
        self.stdout.write("")
