"""Setting a password with a code sent by SMS: how an imported member gets in for the first
time (no admin sets passwords for hundreds of members) and how anyone resets a forgotten one.

The answer to "send me a code" is the same whether the number is on file or not, so the page
cannot be used to learn who is a member. Codes are six digits, single-use, valid for
CODE_MINUTES, stored as a keyed digest, and void after MAX_ATTEMPTS wrong tries; a number can
ask again only after RESEND_SECONDS.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.access import actor_for
from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event
from lvzhi.core.models import PasswordCode, User
from lvzhi.core.sms import send_sms
from lvzhi.core.throttle import call

CODE_MINUTES = 10
RESEND_SECONDS = 60
MAX_ATTEMPTS = 5
K = PasswordCode.Kind


def code_digest(user_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def normalize(code: str) -> str:
    """A printed code is read off paper in groups ("1234 5678"): spaces and dashes go."""
    return "".join(ch for ch in (code or "") if ch not in " -\u3000")


def _mobile(raw: str) -> str:
    mobile = (raw or "").strip()
    if not (mobile.isascii() and mobile.isdigit() and len(mobile) == 11):
        raise Refusal("bad_mobile", _("请填写 11 位手机号。"), fields={
            "mobile": _("请填写 11 位手机号。")})
    return mobile


def _account(raw: str) -> tuple[str, User | None]:
    """The number or e-mail address typed, and the one active account that has it."""
    text = (raw or "").strip()
    if "@" not in text:
        mobile = _mobile(text)
        return mobile, User.objects.filter(mobile=mobile, is_active=True).first()
    try:
        validate_email(text)
    except ValidationError:
        message = _("请填写正确的电子邮箱地址。")
        raise Refusal("bad_email", message, fields={"mobile": message}) from None
    found = list(User.objects.filter(email__iexact=text, is_active=True)[:2])
    return text.lower(), found[0] if len(found) == 1 else None  # a shared address: no one


def request_code(raw: str) -> None:
    """Send a code to the number (by SMS) or the e-mail address if one active account has
    it; the caller answers the same either way. Refused (429) when the same number or
    address asked within RESEND_SECONDS."""
    key, user = _account(raw)
    if not call(lambda c: c.add(f"password-code:{key}", 1, RESEND_SECONDS)):
        raise Refusal("code_too_soon", _("验证码已发送，请 %(s)s 秒后再重新获取。")
                      % {"s": RESEND_SECONDS}, status=429, retry_after=RESEND_SECONDS)
    if user is None:
        return
    code = f"{secrets.randbelow(10 ** 6):06d}"
    with transaction.atomic():
        # One SMS code at a time; a staff-issued activation code stays valid beside it.
        PasswordCode.objects.filter(user=user, kind=K.SMS, used_at__isnull=True).delete()
        PasswordCode.objects.create(
            user=user, digest=code_digest(user.pk, code),
            expires_at=timezone.now() + datetime.timedelta(minutes=CODE_MINUTES))
        text = _("【政协履职平台】您的验证码是 %(code)s，%(m)s 分钟内有效，"
                 "用于设置登录密码。如非本人操作，请忽略。") % {
                     "code": code, "m": CODE_MINUTES}
        if "@" in key:
            _mail(key, text)
        else:
            send_sms(key, text)


def _mail(address: str, text: str) -> None:
    try:
        send_mail(_("政协履职平台：设置登录密码的验证码"), text, None, [address],
                  fail_silently=False)
    except OSError:  # the mail server refused or could not be reached
        raise Refusal("mail_failed", _("邮件发送失败，请稍后再试或改用手机号。"),
                      status=503) from None


def set_password(raw_mobile: str, code: str, password1: str, password2: str) -> User:
    """Check the code and set the password, or refuse with every field at fault at once.
    A changed password also signs out every phone (the API's tokens) and web session."""
    errors: dict[str, tuple[str, str]] = {}
    try:
        _key, user = _account(raw_mobile)
    except Refusal as refusal:
        errors["mobile"] = (refusal.code, refusal.message)
        user = None
    code = normalize(code)
    if not code:
        errors["code"] = ("missing_code", _("请填写验证码或激活码。"))
    if not password1:
        errors["password1"] = ("missing_password", _("请设置新密码。"))
    elif password1 != password2:
        errors["password2"] = ("password_mismatch", _("两次输入的密码不一致。"))
    if password1 and "password2" not in errors:
        try:
            password_validation.validate_password(password1, user)
        except ValidationError as invalid:
            errors["password1"] = ("weak_password", "".join(invalid.messages))
    refuse_fields(errors)
    rows = list(PasswordCode.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=timezone.now())) if user else []
    row = _check(rows, code)  # outside a transaction: a wrong try must stay counted
    with transaction.atomic():
        # The same code sent twice at once: only one of them uses it.
        if not PasswordCode.objects.filter(pk=row.pk, used_at__isnull=True).update(
                used_at=timezone.now()):
            raise Refusal("bad_code", _("验证码不正确或已失效，请重新获取。"))
        action = "activated" if row.kind == K.ACTIVATION else "password_set_by_code"
        user.set_password(password1)
        user.audit_action = action  # the audit log's row for the new password says how
        user.save()
        # In each body the person has a role in, so that body's admins see it.
        for body_id in sorted(actor_for(user).body_ids):
            record_event(user, action, user, body_id=body_id)
    return user


def _check(rows: list[PasswordCode], code: str) -> PasswordCode:
    """The row the code matches. A wrong try counts against every open code of the account,
    so holding both a letter and an SMS code gives no extra guesses."""
    wrong = _("验证码不正确或已失效，请重新获取。")
    live = [row for row in rows if row.attempts < MAX_ATTEMPTS]
    if rows and not live:
        raise Refusal("code_locked", _("验证码错误次数过多，请重新获取。"), status=429,
                      fields={"code": _("验证码错误次数过多，请重新获取。")})
    for row in live:
        if hmac.compare_digest(row.digest, code_digest(row.user_id, code)):
            return row
    PasswordCode.objects.filter(pk__in=[row.pk for row in live]).update(
        attempts=F("attempts") + 1)
    raise Refusal("bad_code", wrong, fields={"code": wrong})
