"""Small core operations that are not workflows."""

from __future__ import annotations

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
