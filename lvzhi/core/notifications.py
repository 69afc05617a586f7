"""Notifications: the in-app inbox always, e-mail behind a setting, SMS for urgent items.

`notify` is called inside an action's transaction. The inbox row and the e-mail's outbox
row are written there and then, so they roll back with a refused action and are never lost
with a committed one; the outbox is delivered after the commit (`core.outbox`). A channel
without `in_transaction` delivers on commit instead.
Channels are classes named in settings.NOTIFICATION_CHANNELS; urgent messages also go by
SMS (through the same outbox) to those who asked for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from lvzhi.core import every_request, outbox
from lvzhi.core.models import Notification, OutboxMessage, User


@dataclass(frozen=True)
class Message:
    body_id: int
    title: str
    text: str = ""
    url: str = ""
    urgent: bool = False  # also by SMS to those who asked for it (deadline overdue, …)


class InboxChannel:
    in_transaction = True

    def deliver(self, recipients: list[User], message: Message) -> None:
        Notification.objects.bulk_create(
            Notification(body_id=message.body_id, recipient=user, title=message.title,
                         text=message.text, url=message.url)
            for user in recipients
        )


class EmailChannel:
    """E-mail through the outbox: the row is written with the action, sent after it."""

    in_transaction = True

    def deliver(self, recipients: list[User], message: Message) -> None:
        addresses = [user.email for user in recipients if user.email]
        if addresses:
            OutboxMessage.objects.create(body_id=message.body_id, channel="email",
                                         recipients=addresses, subject=message.title[:200],
                                         text=message.text)
            outbox.kick_on_commit()


class SmsChannel:
    """Urgent messages by SMS, to each recipient who turned it on (个人信息) and has a
    mobile number; one outbox row each, so a failed number is retried alone."""

    in_transaction = True

    def deliver(self, recipients: list[User], message: Message) -> None:
        if not message.urgent:
            return
        mobiles = [user.mobile for user in recipients if user.sms_urgent and user.mobile]
        OutboxMessage.objects.bulk_create(
            OutboxMessage(body_id=message.body_id, channel="sms", recipients=[mobile],
                          subject=message.title[:200], text=message.text)
            for mobile in mobiles)
        if mobiles:
            outbox.kick_on_commit()


def notify(recipients: Iterable[User], message: Message) -> None:
    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return

    later = []
    for channel in (import_string(path)() for path in settings.NOTIFICATION_CHANNELS):
        if getattr(channel, "in_transaction", False):
            channel.deliver(users, message)
        else:
            later.append(channel)

    def deliver() -> None:
        for channel in later:
            channel.deliver(users, message)

    if later:
        transaction.on_commit(deliver)


def unread_count(user: User) -> int:
    """On every page (the bell in the menu): plain SQL, see core/every_request.py."""
    return every_request.unread_count(user.pk)
