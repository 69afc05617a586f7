"""Two-factor sign-in (双因素认证) for administrators: a TOTP app on the phone, enrolled
by scanning a QR code, with ten one-time recovery codes for a lost phone (django-otp).

Who must use it: superusers, the three administrators (system, security, audit), and staff
and leaders too when OTP_FOR_STAFF is set. Once enrolled, sign-in asks for the code after
the password; until enrolled, such a person can do nothing but enrol
(`TwoFactorRequiredMiddleware`). A security administrator resets a lost phone.
"""

from __future__ import annotations

import io
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.core import audit
from lvzhi.core.access import actor_for
from lvzhi.core.errors import Refusal
from lvzhi.core.models import RoleKind

ADMIN_KINDS = {RoleKind.BODY_ADMIN, RoleKind.SECURITY_ADMIN, RoleKind.AUDITOR}
STAFF_KINDS = {RoleKind.STAFF, RoleKind.LEADER, RoleKind.OVERSIGHT}
RECOVERY_CODES = 10


def required(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    kinds = actor_for(user).role_kinds()
    return bool(kinds & ADMIN_KINDS) or (settings.OTP_FOR_STAFF and bool(kinds & STAFF_KINDS))


def totp_device(user: Any, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_enrolment(user: Any) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows (the same one on a
    reload, so the QR code scanned first still works)."""
    device = totp_device(user, confirmed=False)
    return device or TOTPDevice.objects.create(user=user, name=_("手机动态码"),
                                               confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    svg = io.BytesIO()
    segno.make(device.config_url, error="m").save(svg, kind="svg", scale=5, border=2,
                                                  omitsize=True)
    return svg.getvalue().decode()


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed, in groups of four."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def confirm(user: Any, token: str, request=None) -> list[str]:
    """Confirm the enrolment with a first code from the app; the recovery codes, shown once."""
    device = totp_device(user, confirmed=False)
    token = _clean(token)
    if device is None or not (token.isdigit() and device.verify_token(token)):
        audit.record(request, "otp_failed", "failure", actor=user)
        raise Refusal("bad_otp", _("动态验证码不正确，请查看手机应用上当前的 6 位数字。"),
                      fields={"token": _("动态验证码不正确，请查看手机应用上当前的 6 位数字。")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save()
        codes = new_recovery_codes(user)
    audit.record(request, "otp_enrolled", actor=user, target=f"user:{user.pk}")
    if request is not None:
        django_otp.login(request, device)
    return codes


def new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("备用恢复码"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def verify(user: Any, token: str, request=None):
    """The device that accepts the code (the app's six digits, or a recovery code), or a
    refusal. Wrong codes slow the device down (django-otp's throttling)."""
    token = _clean(token)
    kind = TOTPDevice if token.isdigit() else StaticDevice
    device = kind.objects.filter(user=user, confirmed=True).first()
    if device is not None and token:
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            raise Refusal("otp_throttled", _("动态验证码错误次数过多，请稍候再试。"),
                          status=429, fields={"token": _("动态验证码错误次数过多，请稍候再试。")})
        matched = django_otp.verify_token(user, device.persistent_id, token)
        if matched is not None:
            return matched
    audit.record(request, "otp_failed", "failure", actor=user)
    raise Refusal("bad_otp", _("动态验证码不正确。"), fields={"token": _("动态验证码不正确。")})


def reset(user: Any, request=None) -> None:
    """A lost phone: the security administrator removes the devices; the person enrols
    again at the next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(request, "otp_reset", target=f"user:{user.pk}")


def _clean(token: str) -> str:
    return "".join((token or "").split())
