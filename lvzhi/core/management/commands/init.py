"""lvzhi init: the first run of a real deployment — the first body, its current term and
session, its system administrator and its security administrator (三员分立: two people).
The administrators then go on in the pages: units, committees, the roster import.

Interactive (asks what is missing), or unattended: every option also comes from the
environment as LVZHI_INIT_<OPTION> (e.g. LVZHI_INIT_CODE=harbin), and `--no-input` fails
instead of asking. Passwords only from the prompt or LVZHI_INIT_ADMIN_PASSWORD /
LVZHI_INIT_SECURITY_PASSWORD; without one, the administrator sets it by SMS code at
/password/code/ (their mobile number is their login).
"""

from __future__ import annotations

import datetime
import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core import audit
from lvzhi.core.models import Body, Role, RoleKind, Session, Term, User

FIELDS = [  # option, question, required
    ("code", _("政协代码（英文字母，如 harbin）"), True),
    ("name", _("全称（如 中国人民政治协商会议哈尔滨市委员会）"), True),
    ("short_name", _("简称（如 市政协）"), True),
    ("term_number", _("本届届次（数字，如 15）"), True),
    ("term_start", _("本届开始日期（如 2022-01-05）"), True),
    ("session_number", _("本届当前会次（数字，如 5）"), True),
    ("session_start", _("本次全会开幕日期（如 2026-01-10）"), True),
    ("session_end", _("本次全会闭幕日期"), True),
    ("admin_name", _("系统管理员姓名"), True),
    ("admin_mobile", _("系统管理员手机号（即登录名）"), True),
    ("security_name", _("安全管理员姓名"), True),
    ("security_mobile", _("安全管理员手机号（即登录名）"), True),
]
WHO = {"admin": _("系统管理员"), "security": _("安全管理员")}


class Command(BaseCommand):
    help = _("首次部署：建立第一个政协、本届、本次会议，以及系统管理员和安全管理员。")

    def add_arguments(self, parser: CommandParser) -> None:
        for option, question, _required in FIELDS:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        parser.add_argument("--level", choices=[v for v, _l in Body.Level.choices],
                            default=os.environ.get("LVZHI_INIT_LEVEL", Body.Level.CITY))
        parser.add_argument("--no-input", action="store_true", dest="no_input",
                            help=_("不提问：缺少的项直接报错（配合 LVZHI_INIT_* 环境变量）"))

    def handle(self, *args: Any, **options: Any) -> None:
        if Body.objects.exists():
            raise CommandError(_("已经初始化过（库里已有政协）。再添加政协请在“系统配置”中操作。"))
        values = {option: self._value(option, question, options)
                  for option, question, _required in FIELDS}
        plan = _checked(values)
        passwords = {who: self._password(who, options["no_input"]) for who in ("admin",
                                                                             "security")}
        with transaction.atomic():
            body = _create(plan, options["level"], passwords)
        audit.record(None, "init", target=body.code[:80],
                     detail=_("%(body)s：系统管理员 %(admin)s，安全管理员 %(security)s") % {
                         "body": body.name, "admin": plan["admin_mobile"],
                         "security": plan["security_mobile"]})
        self.stdout.write(self.style.SUCCESS(_("已建立 %(name)s（%(code)s）。")
                                             % {"name": body.name, "code": body.code}))
        for who, label in WHO.items():
            how = _("已设密码") if passwords[who] else \
                _("请用手机号在 /password/code/ 以短信验证码设置密码")
            self.stdout.write("  " + _("%(role)s：%(name)s，登录名 %(login)s（%(how)s；"
                                       "首次登录须绑定动态口令）") % {
                "role": label, "name": plan[who + "_name"], "login": plan[who + "_mobile"],
                "how": how})
        self.stdout.write(_("下一步：系统管理员登录后在“系统配置”中添加界别、专门委员会、承办单位，"
                            "安全管理员导入委员名册并发放激活通知。"))

    def _value(self, option: str, question: str, options: dict) -> str:
        value = options.get(option) or os.environ.get(f"LVZHI_INIT_{option.upper()}", "")
        if value:
            return value.strip()
        if options["no_input"]:
            raise CommandError(_("缺少 %(option)s（%(question)s）。") % {
                "option": f"--{option.replace('_', '-')}", "question": question})
        return input(_("%(question)s：") % {"question": question}).strip()

    def _password(self, who: str, no_input: bool) -> str:
        value = os.environ.get(f"LVZHI_INIT_{who.upper()}_PASSWORD", "")
        if value or no_input:
            return value
        return getpass.getpass(_("%(role)s的密码（直接回车则由本人以短信验证码设置）：")
                               % {"role": WHO[who]})


def _date(value: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(label)s应写成 2026-01-10 这样的日期，收到的是“%(value)s”。")
                           % {"label": label, "value": value}) from None


def _number(value: str, label: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 100:
        raise CommandError(_("%(label)s应是 1 到 99 的数字，收到的是“%(value)s”。")
                           % {"label": label, "value": value})
    return int(value)


def _checked(v: dict[str, str]) -> dict[str, Any]:
    plan: dict[str, Any] = dict(v)
    plan["term_number"] = _number(v["term_number"], _("届次"))
    plan["session_number"] = _number(v["session_number"], _("会次"))
    for key, label in (("term_start", _("本届开始日期")), ("session_start", _("开幕日期")),
                       ("session_end", _("闭幕日期"))):
        plan[key] = _date(v[key], label)
    if plan["session_end"] < plan["session_start"]:
        raise CommandError(_("闭幕日期不能早于开幕日期。"))
    if v["admin_mobile"] == v["security_mobile"]:
        raise CommandError(_("系统管理员和安全管理员须是两个人（三员分立）。"))
    for key in ("admin_mobile", "security_mobile"):
        if not (v[key].isdigit() and len(v[key]) == 11 and v[key].startswith("1")):
            raise CommandError(_("手机号应是 11 位数字，收到的是“%(value)s”。")
                               % {"value": v[key]})
        if User.objects.filter(mobile=v[key]).exists():
            raise CommandError(_("手机号 %(mobile)s 已有账号。") % {"mobile": v[key]})
    if Body.objects.filter(code=v["code"]).exists() or not v["code"].isascii():
        raise CommandError(_("政协代码须是英文字母、数字或连字符，且未被使用。"))
    return plan


def _create(plan: dict[str, Any], level: str, passwords: dict[str, str]) -> Body:
    body = Body(code=plan["code"], name=plan["name"], short_name=plan["short_name"],
                level=level)
    try:
        body.full_clean()
    except ValidationError as error:
        raise CommandError("；".join(m for ms in error.message_dict.values() for m in ms)) \
            from None
    body.save()
    start = plan["term_start"]
    term = Term.objects.create(body=body, number=plan["term_number"], start_date=start,
                               end_date=start.replace(year=start.year + 5), is_current=True)
    opening = plan["session_start"]
    Session.objects.create(
        body=body, term=term, number=plan["session_number"], start_date=opening,
        end_date=plan["session_end"],
        proposal_window_start=opening - datetime.timedelta(days=60),
        proposal_window_end=plan["session_end"])
    for who, kind in (("admin", RoleKind.BODY_ADMIN), ("security", RoleKind.SECURITY_ADMIN)):
        user = User(username=plan[f"{who}_mobile"], mobile=plan[f"{who}_mobile"],
                    full_name=plan[f"{who}_name"], is_staff=True)
        if passwords[who]:
            try:
                validate_password(passwords[who], user)
            except ValidationError as error:
                raise CommandError(_("密码不合要求：") + "".join(error.messages)) from None
            user.set_password(passwords[who])
        else:
            user.set_unusable_password()
        user.save()
        Role.objects.create(user=user, body=body, kind=kind)
    return body
