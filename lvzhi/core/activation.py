"""Activation (账号激活): how a new term's imported members get in without an admin setting
a single password.

Staff choose members who have not activated and issue each an activation code, printed on
a letter (one A4 page per member, with the platform's address as a QR code) or sent by SMS.
The member enters mobile number and code on /activate/ and sets a password
(`password_codes.set_password`, which checks codes of both kinds with the same throttles).
A code is eight digits, valid ACTIVATION_DAYS, single-use and stored as a keyed digest;
issuing again voids the earlier one (reissue after a lost letter).
"""

from __future__ import annotations

import base64
import datetime
import io
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from lvzhi.core import audit
from lvzhi.core.access import bodies_with
from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.models import Member, PasswordCode, User
from lvzhi.core.password_codes import code_digest
from lvzhi.core.sms import send_sms
from lvzhi.core.templatetags.lvzhi import cn_date

K = PasswordCode.Kind


@dataclass
class Issued:
    member: Member
    code: str  # shown once: on the letter or in the SMS, never stored
    expires_at: datetime.datetime

    @property
    def grouped(self) -> str:
        return f"{self.code[:4]} {self.code[4:]}"


def activating_bodies(user: User) -> set[int]:
    return bodies_with(user, "people.activate", write=True)


def members_for(user: User, state: str = "") -> QuerySet:
    """Current seats in the bodies where `user` issues activation codes, each with
    `activated` and `open_code_until` (the newest unused activation code's expiry)."""
    now = timezone.now()
    open_codes = PasswordCode.objects.filter(
        user=OuterRef("user"), kind=K.ACTIVATION, used_at__isnull=True, expires_at__gt=now)
    rows = Member.objects.filter(
        body_id__in=activating_bodies(user), term__is_current=True, is_active=True,
    ).select_related("user", "body", "sector").annotate(
        has_open_code=Exists(open_codes),
        activated=~Exists(User.objects.filter(pk=OuterRef("user"), password__startswith="!")),
    )
    if state == "pending":
        rows = rows.filter(activated=False)
    elif state == "activated":
        rows = rows.filter(activated=True)
    return rows


def issue(staff: User, member_ids: list[int], request=None) -> tuple[list[Issued], list[str]]:
    """A new activation code for each chosen member who has not activated; the names
    skipped (already activated, no mobile number on file) with the reason, in Chinese."""
    chosen = list(members_for(staff).filter(pk__in=member_ids))
    if not chosen:
        raise Refusal("nothing_chosen", _("请至少选择一位本政协的未激活委员。"))
    issued, skipped, now = [], [], timezone.now()
    expires = now + datetime.timedelta(days=settings.ACTIVATION_DAYS)
    with transaction.atomic():
        for member in chosen:
            if member.activated:
                skipped.append(_("%(name)s（已激活）") % {"name": member.user.full_name})
            elif not member.user.mobile:
                skipped.append(_("%(name)s（未登记手机号）") % {"name": member.user.full_name})
            else:
                issued.append(_issue_one(staff, member, expires, request))
    return issued, skipped


def _issue_one(staff: User, member: Member, expires, request) -> Issued:
    code = f"{secrets.randbelow(10 ** 8):08d}"
    user = member.user
    PasswordCode.objects.filter(user=user, kind=K.ACTIVATION, used_at__isnull=True).delete()
    PasswordCode.objects.create(user=user, kind=K.ACTIVATION, issued_by=staff,
                                digest=code_digest(user.pk, code), expires_at=expires)
    record_event(user, "activation_issued", staff, body_id=member.body_id)
    audit.record(request, "activation_issued", actor=staff, target=f"user:{user.pk}")
    return Issued(member, code, expires)


def send_codes(issued: list[Issued], address: str) -> None:
    for one in issued:
        send_sms(one.member.user.mobile, _(
            "【政协履职平台】%(name)s委员您好，您的账号激活码是 %(code)s，%(date)s 前有效。"
            "请用手机打开 %(url)s ，填写手机号和激活码并设置密码。")
            % {"name": one.member.user.full_name, "code": one.grouped,
               "date": _chinese_date(one.expires_at), "url": address})


def letters_pdf(issued: list[Issued], address: str) -> bytes:
    """One A4 page per member: name, the address and its QR code, the code, its expiry."""
    svg = io.BytesIO()
    segno.make(address, error="m").save(svg, kind="svg", scale=6, border=2, omitsize=True)
    qr = "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode()
    pages = [{"one": one, "until": _chinese_date(one.expires_at)} for one in issued]
    html = render_to_string("core/pdf/activation.html", {
        "pages": pages, "address": address, "qr": qr})
    return HTML(string=html).write_pdf()


def _chinese_date(moment: datetime.datetime) -> str:
    day = timezone.localtime(moment).date()
    return cn_date(day)
