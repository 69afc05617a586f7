"""Small core operations that are not workflows."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from lvzhi.core.models import Notification, User


def mark_read(note: Notification) -> None:
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Sent when an account signs out everywhere; apps holding their own credentials for it
# (the API's tokens) drop them.
signed_out_everywhere = Signal()


def sign_out_everywhere(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    signed_out_everywhere.send(sender=User, user=user)


def set_sms_urgent(user: User, on: bool) -> None:
    """The person's choice of SMS for urgent items, in each of their bodies' history."""
    from lvzhi.core.access import actor_for
    from lvzhi.core.events import record_event

    if user.sms_urgent == on:
        return
    User.objects.filter(pk=user.pk).update(sms_urgent=on)
    user.sms_urgent = on
    for body_id in sorted(actor_for(user).body_ids):
        record_event(user, "sms_urgent_on" if on else "sms_urgent_off", user, body_id=body_id)
