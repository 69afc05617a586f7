"""Delivering the outbox: e-mail and SMS sent after the action that wrote it.

`EmailChannel` writes an `OutboxMessage` inside the action's transaction; on commit it
asks the task queue to deliver. If the queue (Redis) is down, the action still answers
success and the row waits: `lvzhi deliver_outbox`, run every few minutes by the scheduler,
delivers whatever is due. A failed send is retried with growing pauses, then left with its
error for the admin to see (系统配置 → 待发消息).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lvzhi.core.models import OutboxMessage
from lvzhi.core.sms import send_sms

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 1, 2, 4 … 64 minutes apart: about two hours of retries


def due() -> Q:
    return Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))


def deliver_due(limit: int = 200) -> int:
    """Send what is due; returns how many were sent."""
    sent = 0
    for row in OutboxMessage.objects.filter(due()).order_by("id")[:limit]:
        if _claim(row):
            sent += _send(row)
    return sent


def _claim(row: OutboxMessage) -> bool:
    # Whoever moves the attempt counter first sends; a second worker finds it moved.
    pause = datetime.timedelta(minutes=2 ** row.attempts)
    return bool(OutboxMessage.objects.filter(pk=row.pk, attempts=row.attempts,
                                             sent_at__isnull=True).update(
        attempts=F("attempts") + 1, next_attempt_at=timezone.now() + pause))


def _send(row: OutboxMessage) -> int:
    try:
        if row.channel == "sms":
            text = (_("【政协履职平台】%(subject)s：%(text)s") if row.text else
                    _("【政协履职平台】%(subject)s")) % {"subject": row.subject, "text": row.text}
            send_sms(row.recipients[0], text)
        else:
            send_mail(row.subject, row.text, settings.DEFAULT_FROM_EMAIL, row.recipients)
    except Exception as exc:  # SMTP or the SMS gateway refused, unreachable, timed out …
        log.warning("outbox: message %s not sent (%s); will retry", row.pk, exc)
        OutboxMessage.objects.filter(pk=row.pk).update(last_error=str(exc)[:1000])
        return 0
    OutboxMessage.objects.filter(pk=row.pk).update(sent_at=timezone.now(), last_error="")
    return 1


@task()
def deliver_outbox() -> int:
    return deliver_due()


def kick() -> None:
    """After a commit: ask a worker to deliver now. Failing to ask is no failure of the
    action — the scheduled `deliver_outbox` command picks the rows up."""
    try:
        deliver_outbox.enqueue()
    except Exception as exc:  # the queue's Redis is down
        log.warning("outbox: could not queue delivery (%s); the scheduler will", exc)


def kick_on_commit() -> None:
    transaction.on_commit(kick)
