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
