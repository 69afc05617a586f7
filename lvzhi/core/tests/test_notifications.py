"""The inbox (in the action's transaction), e-mail after commit, and the event log."""

import pytest
from django.db import transaction

from lvzhi.core.events import history, record_event
from lvzhi.core.models import Event, Notification
from lvzhi.core.models.records import AppendOnlyError
from lvzhi.core.notifications import Message, notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_inbox_row_is_written_in_the_transaction_once_per_person(world):
    with transaction.atomic():
        notify([world.lin, world.lin], Message(world.city.body.pk, "提案已立案", "第1号"))
        # Part of the action's own transaction: no second write after commit.
        assert Notification.objects.filter(recipient=world.lin).count() == 1
    assert Notification.objects.filter(recipient=world.lin).count() == 1


def test_rolled_back_action_sends_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([world.lin], Message(world.city.body.pk, "不会送达"))
        raise RuntimeError
    assert Notification.objects.count() == 0


def test_inbox_shows_unread_count_and_marks_read(login, world):
    notify([world.lin], Message(world.city.body.pk, "请核对个人信息", url="/profile/"))
    client = login(world.lin)
    assert client.get("/").context["unread_count"] == 1
    note = Notification.objects.get(recipient=world.lin)
    response = client.get(f"/inbox/{note.pk}/")
    assert response.url == "/profile/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get("/").context["unread_count"] == 0


def test_someone_elses_notification_is_not_found(login, world):
    notify([world.gao], Message(world.city.body.pk, "私人通知"))
    note = Notification.objects.get()
    assert login(world.lin).get(f"/inbox/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(login, world):
    for i in range(3):
        notify([world.lin], Message(world.city.body.pk, f"通知{i}"))
    client = login(world.lin)
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(recipient=world.lin, read_at__isnull=True).exists()


def test_email_is_a_second_channel_behind_a_setting(world, settings, mailoutbox):
    world.lin.email = "lin@example.org"
    world.lin.save()
    settings.NOTIFICATION_CHANNELS = ["lvzhi.core.notifications.InboxChannel",
                                      "lvzhi.core.notifications.EmailChannel"]
    with transaction.atomic():
        notify([world.lin], Message(world.city.body.pk, "活动通知", "周五上午九点"))
        assert mailoutbox == []  # e-mail leaves only once the action has committed
    assert [m.subject for m in mailoutbox] == ["活动通知"]
    assert Notification.objects.count() == 1


def test_rolled_back_action_sends_no_email(world, settings, mailoutbox):
    world.lin.email = "lin@example.org"
    world.lin.save()
    settings.NOTIFICATION_CHANNELS = ["lvzhi.core.notifications.InboxChannel",
                                      "lvzhi.core.notifications.EmailChannel"]
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([world.lin], Message(world.city.body.pk, "不会送达"))
        raise RuntimeError
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_events_are_append_only_and_form_the_history(world):
    member = world.lin.memberships.get()
    first = record_event(member, "created", world.zhou, to_state="active")
    record_event(member, "updated", world.zhou, comment="更正工作单位")
    assert [e.action for e in history(member)] == ["created", "updated"]
    first.comment = "改写历史"
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    assert Event.objects.get(pk=first.pk).comment == ""


# --- urgent items by SMS, for those who asked -----------------------------------------------

def test_urgent_messages_go_by_sms_to_those_who_turned_it_on(
        world, django_capture_on_commit_callbacks):
    from lvzhi.core import sms
    from lvzhi.core.models import OutboxMessage
    from lvzhi.core.notifications import Message, notify
    from lvzhi.core.services import set_sms_urgent
    set_sms_urgent(world.lin, True)
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.lin, world.gao], Message(world.city.body.pk, "提案办理已逾期", "请尽快答复。",
                                               urgent=True))
        notify([world.lin], Message(world.city.body.pk, "普通通知"))
    assert sms.outbox == [("13900001001", "【政协履职平台】提案办理已逾期：请尽快答复。")]
    assert OutboxMessage.objects.get(channel="sms").sent_at is not None


def test_the_choice_is_made_on_the_profile_page_and_in_the_api(client, world):
    from lvzhi.core.models import Event
    client.force_login(world.lin)
    assert client.post("/profile/notifications/", {"sms_urgent": "on"}).status_code == 302
    world.lin.refresh_from_db()
    assert world.lin.sms_urgent
    assert Event.objects.filter(action="sms_urgent_on", object_id=world.lin.pk).exists()
    assert "已开启紧急事项短信提醒" in client.get("/profile/").content.decode()
    off = client.patch("/api/me", {"sms_urgent": False}, content_type="application/json")
    assert off.status_code == 200 and off.json()["sms_urgent"] is False
    world.lin.refresh_from_db()
    assert not world.lin.sms_urgent
    bad = client.patch("/api/me", {"sms_urgent": "maybe"}, content_type="application/json")
    assert bad.status_code == 422
    world.lin.refresh_from_db()
    assert not world.lin.sms_urgent
