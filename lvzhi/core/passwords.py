"""Password rules with their messages in Chinese.

Django's Chinese catalogue lacks the plural forms of the length messages, so they came out
in English ("This password is too short…"); the rule is Django's, the words are ours.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with the length the person's bodies ask for (at least the setting)."""

    def validate(self, password: str, user=None) -> None:
        needed = max(self.min_length, policy_for(user).min_length)
        if len(password) < needed:
            raise ValidationError(_("密码太短，至少需要 %(n)d 个字符。") % {"n": needed},
                                  code="password_too_short")

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(n)d 个字符。") % {"n": self.min_length}


class CharacterClassesValidator:
    """At least `min_classes` of the four kinds: capitals, small letters, digits, others
    (等保三级's complexity rule)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        kinds = [any(c.isupper() for c in password), any(c.islower() for c in password),
                 any(c.isdigit() for c in password),
                 any(not c.isalnum() for c in password)]
        if sum(kinds) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、其他符号中的至少 %(n)d 种。") % {
            "n": self.min_classes}


class NoPersonalDataValidator:
    """Not the person's username or mobile number inside the password."""

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        for value in (getattr(user, "username", ""), getattr(user, "mobile", "") or ""):
            if len(value) >= 3 and value.lower() in lowered:
                raise ValidationError(self.get_help_text(), code="password_has_personal_data")

    def get_help_text(self) -> str:
        return _("密码不能包含用户名或手机号。")


class NotRecentValidator:
    """Not one of the person's last five passwords (等保三级)."""

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from lvzhi.core.models.people import PasswordHistory

        for row in PasswordHistory.objects.filter(user=user)[:5]:
            if check_password(password, row.password):
                raise ValidationError(self.get_help_text(), code="password_recently_used")

    def get_help_text(self) -> str:
        return _("新密码不能与最近 5 次用过的密码相同。")


# Who counts as staff for the expiry rule: those whose pages hold a whole body's data.
STAFF_KINDS = {"staff", "leader", "oversight", "body_admin", "security_admin", "auditor"}
MIN_LENGTH = 8


@dataclass(frozen=True)
class Policy:
    min_length: int
    expiry_days_staff: int
    expiry_days: int


def policy_for(user) -> Policy:
    """The strictest policy of the bodies the person has a role or a seat in: the longest
    minimum length, the shortest expiry (0, no expiry, only if no body sets one)."""
    from lvzhi.core.models import Member, PasswordPolicy, Role

    default = Policy(MIN_LENGTH, settings.PASSWORD_EXPIRY_DAYS_STAFF,
                     settings.PASSWORD_EXPIRY_DAYS)
    if user is None or user.pk is None:
        return default
    bodies = set(Role.objects.filter(user=user).values_list("body_id", flat=True)) | set(
        Member.objects.filter(user=user, term__is_current=True).values_list("body_id",
                                                                              flat=True))
    rows = [Policy(r.min_length, r.expiry_days_staff, r.expiry_days)
            for r in PasswordPolicy.objects.filter(body_id__in=bodies)]
    if len(rows) < len(bodies) or not bodies:
        rows.append(default)
    return Policy(max(r.min_length for r in rows),
                  _shortest([r.expiry_days_staff for r in rows]),
                  _shortest([r.expiry_days for r in rows]))


def _shortest(days: list[int]) -> int:
    return min((d for d in days if d > 0), default=0)


def expires_at(user) -> datetime.datetime | None:
    """When the person's password must be changed; None when it never must (or its date
    is unknown: set before dates were kept)."""
    from lvzhi.core.access import actor_for

    changed = getattr(user, "password_changed_at", None)
    if changed is None:
        return None
    policy = policy_for(user)
    staff = user.is_superuser or user.is_staff or bool(
        actor_for(user).role_kinds() & STAFF_KINDS)
    days = policy.expiry_days_staff if staff else policy.expiry_days
    return changed + datetime.timedelta(days=days) if days else None


def expired(user) -> bool:
    at = expires_at(user)
    return at is not None and timezone.now() > at
