"""Daily reminders: before the deadline (10 and 3 working days) and when overdue, once per
stage; late co-signers drop off."""

import datetime

import pytest
from django.core.management import call_command

from lvzhi.core.models import Notification
from lvzhi.core.workdays import WorkCalendar
from lvzhi.proposals import reminders
from lvzhi.proposals.models import Assignment, Cosigner, Reminder
from lvzhi.proposals.services import today
from lvzhi.proposals.workflow import perform

# Notifications go out on commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def unit_notes(world) -> list[str]:
    return list(Notification.objects.filter(recipient=world.ma).exclude(
        title__startswith="新交办").values_list("title", flat=True))


def set_deadline(deadline):
    Assignment.objects.update(deadline=deadline)


def test_reminds_ten_then_three_working_days_before_and_when_overdue(world, handling):
    # A deadline after the 2022 National Day holiday: 10-08 (a make-up Saturday).
    set_deadline(D(2022, 10, 14))
    assert reminders.run(D(2022, 9, 20)).sent == []  # 13 working days left
    assert reminders.run(D(2022, 9, 28)).sent == [f"{Assignment.objects.get().pk}:"
                                                   "before-10:2022-10-14"]
    # 9-29, 9-30, 10-08, 10-09 … across the holiday: 3 working days left on 10-11.
    assert WorkCalendar().workdays_between(D(2022, 10, 11), D(2022, 10, 14)) == 3
    assert len(reminders.run(D(2022, 10, 11)).sent) == 1
    assert reminders.run(D(2022, 10, 15)).sent[0].endswith("overdue:2022-10-14")
    assert len(unit_notes(world)) == 3
    assert any(t.startswith("提案办理已逾期") for t in
               Notification.objects.filter(recipient=world.zhou).values_list("title", flat=True))


def test_running_twice_sends_nothing_twice(world, handling):
    set_deadline(today() + datetime.timedelta(days=3))
    first = reminders.run(today())
    assert len(first.sent) == 1
    assert reminders.run(today()).sent == []
    assert Reminder.objects.count() == 1
    assert len(unit_notes(world)) == 1


def test_an_extension_starts_new_stages(world, handling):
    set_deadline(today() + datetime.timedelta(days=2))
    reminders.run(today())
    set_deadline(today() + datetime.timedelta(days=40))
    set_deadline(today() + datetime.timedelta(days=3))  # a different deadline date
    assert len(reminders.run(today()).sent) == 1


def test_replied_assignments_are_not_reminded(world, handling):
    set_deadline(today() - datetime.timedelta(days=1))
    Assignment.objects.update(state=Assignment.State.REPLIED)
    assert reminders.run(today()).sent == []


def test_late_cosigners_drop_off(world, joint_draft):
    p = perform(joint_draft, "submit", world.lin)
    report = reminders.run(p.cosign_deadline + datetime.timedelta(days=1))
    assert report.dropped_cosigners == 1
    assert p.cosigners.get().state == Cosigner.State.DROPPED


def test_management_command_runs_the_task(world, handling, capsys):
    set_deadline(today())
    call_command("remind")
    assert "已发送提醒 1 条" in capsys.readouterr().out


def test_overdue_goes_by_sms_to_a_handler_who_asked_and_early_ones_do_not(world, handling):
    from lvzhi.core import sms
    from lvzhi.core.services import set_sms_urgent
    set_sms_urgent(world.ma, True)
    set_deadline(D(2022, 10, 14))
    reminders.run(D(2022, 9, 28))  # 10 working days before: the inbox only
    assert not sms.outbox
    reminders.run(D(2022, 10, 15))
    assert [m for m, _t in sms.outbox] == ["13900003001"]
    assert "提案办理已逾期" in sms.outbox[0][1]


def test_a_reminder_that_failed_is_not_marked_sent_and_goes_out_on_the_next_run(
        world, handling, monkeypatch):
    set_deadline(D(2022, 10, 14))
    real = reminders.notices.units

    def broken(*args, **kwargs):
        raise ConnectionError("短信网关无响应")

    monkeypatch.setattr(reminders.notices, "units", broken)
    with pytest.raises(reminders.RemindersFailed, match="1 reminders not sent"):
        reminders.run(D(2022, 9, 28))
    assert not Reminder.objects.exists() and unit_notes(world) == []
    monkeypatch.setattr(reminders.notices, "units", real)
    assert len(reminders.run(D(2022, 9, 28)).sent) == 1  # the same day: tried again
    assert Reminder.objects.count() == 1 and len(unit_notes(world)) == 1
