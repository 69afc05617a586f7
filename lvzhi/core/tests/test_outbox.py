"""The outbox: mail written with the action, sent after it, retried when SMTP fails."""

import datetime
import smtplib

import pytest
from django.utils import timezone

from lvzhi.core import outbox
from lvzhi.core.models import OutboxMessage
from lvzhi.core.notifications import Message, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_on(settings, world):
    settings.NOTIFICATION_CHANNELS = ["lvzhi.core.notifications.InboxChannel",
                                      "lvzhi.core.notifications.EmailChannel"]
    world.lin.email = "lin@example.org"
    world.lin.save()


def test_a_rolled_back_action_leaves_no_mail(world, email_on, mailoutbox):
    from django.db import transaction
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([world.lin], Message(world.city.body.pk, "不该发出"))
        raise RuntimeError
    assert not OutboxMessage.objects.exists() and mailoutbox == []


def test_smtp_down_keeps_the_mail_and_retries_later(world, email_on, mailoutbox, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "unavailable")
    monkeypatch.setattr(outbox, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.lin], Message(world.city.body.pk, "协商会通知", "周三下午"))
    row = OutboxMessage.objects.get()
    assert row.sent_at is None and row.attempts == 1 and "unavailable" in row.last_error
    assert outbox.deliver_due() == 0  # not due again yet
    monkeypatch.undo()
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(1))
    assert outbox.deliver_due() == 1
    row.refresh_from_db()
    assert row.sent_at and row.last_error == "" and row.attempts == 2
    assert [m.subject for m in mailoutbox] == ["协商会通知"]
    assert outbox.deliver_due() == 0  # never twice


def test_gives_up_after_the_last_attempt_and_stays_visible(world, email_on, login):
    OutboxMessage.objects.create(body=world.city.body, recipients=["x@example.org"],
                                 subject="失败的通知", attempts=outbox.MAX_ATTEMPTS,
                                 last_error="SMTP 拒绝")
    assert outbox.deliver_due() == 0
    page = login(world.zheng).get("/admin/core/outboxmessage/")
    assert page.status_code == 200 and "失败的通知" in page.content.decode()
    assert login(world.pan).get("/admin/core/outboxmessage/").status_code == 302
