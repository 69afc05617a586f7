"""Activity operations that are not state changes: rules, notice periods, check-in codes."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from lvzhi.activities.models import CONSULTATIONS, Activity, ActivityRules, Invitation
from lvzhi.core import plain


def rules_for(body_id: int) -> ActivityRules:
    return plain.get_or_create(ActivityRules, body_id=body_id)


def notice_due(activity: Activity) -> datetime.datetime:
    """The latest moment the notice should go out."""
    days = rules_for(activity.body_id).notice_days(activity.kind)
    return activity.starts_at - datetime.timedelta(days=days)


def leave_deadline(activity: Activity) -> datetime.datetime:
    return activity.starts_at - datetime.timedelta(days=rules_for(activity.body_id).leave_days)


def _window(activity: Activity, at: datetime.datetime | None = None) -> int:
    seconds = rules_for(activity.body_id).checkin_window_seconds
    return int((at or timezone.now()).timestamp()) // seconds


def _digest(activity: Activity, window: int) -> bytes:
    key = f"{settings.SECRET_KEY}:{activity.checkin_secret}".encode()
    return hmac.new(key, f"{activity.pk}:{window}".encode(), hashlib.sha256).digest()


def checkin_token(activity: Activity, at: datetime.datetime | None = None) -> str:
    """The token in the QR code shown at the venue; it changes every window (default two
    minutes), so a photo sent to a friend stops working."""
    return _digest(activity, _window(activity, at)).hex()[:16]


def short_code(activity: Activity, at: datetime.datetime | None = None) -> str:
    """Six digits for typing in, rotating with the token."""
    return f"{int.from_bytes(_digest(activity, _window(activity, at))[:4], 'big') % 1_000_000:06d}"


def code_is_current(activity: Activity, code: str, at: datetime.datetime | None = None) -> bool:
    """The current window's token or short code, or the previous one's (a grace period for
    someone who scanned just before it changed)."""
    if not (isinstance(code, str) and code.isascii()):
        return False  # compare_digest takes ASCII text only; no code is anything else
    now = at or timezone.now()
    window = _window(activity, now)
    for w in (window, window - 1):
        digest = _digest(activity, w)
        token, digits = digest.hex()[:16], f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"
        if hmac.compare_digest(code, token) or hmac.compare_digest(code, digits):
            return True
    return False


def can_rate(activity: Activity, invitation: Invitation | None) -> bool:
    """A member who attended a consultation may rate it once it is over (DOMAIN.md)."""
    return bool(invitation) and activity.state == Activity.State.CLOSED \
        and activity.kind in CONSULTATIONS and invitation.attendance in (
            Invitation.Attendance.PRESENT, Invitation.Attendance.LATE)
