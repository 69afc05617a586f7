"""Notices, registration, leave, check-in with rotating codes, attendance, ratings."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from lvzhi.activities import services, workflow
from lvzhi.activities.models import Activity, Invitation, Rating
from lvzhi.activities.tests.conftest import make_activity
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.models import Member, Notification
from lvzhi.duties.models import DutyFact

pytestmark = pytest.mark.django_db
I = Invitation  # noqa: E741


def started(a: Activity, minutes_ago: int = 5) -> Activity:
    """Move the activity so it began `minutes_ago` minutes ago (check-in is open)."""
    start = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Activity.objects.filter(pk=a.pk).update(starts_at=start,
                                            ends_at=start + datetime.timedelta(hours=3))
    a.refresh_from_db()
    return a


def test_notice_reaches_every_invited_member_and_is_late_inside_the_period(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        early = make_activity(world, kind="plenary", days=8)
        assert workflow.send_notice(world.zhou, early) is False
        late = make_activity(world, kind="plenary", days=6)
        assert workflow.send_notice(world.zhou, late) is True  # 7 days for a plenary
        other = make_activity(world, kind="research", days=4)
        assert workflow.send_notice(world.zhou, other) is False  # 3 days for others
    assert Notification.objects.filter(recipient=world.lin, title__startswith="活动通知").count() \
        == 3


def test_only_staff_of_the_body_manage_activities(world):
    with pytest.raises(Refusal, match="只有本政协的机关干部"):
        workflow.create(world.lin, world.city.body, {"kind": "research", "title": "x",
                                                     "starts_at": timezone.now()}, [])
    a = make_activity(world)
    for person in (world.lin, world.pan, world.ma):
        with pytest.raises(Refusal):
            workflow.send_notice(person, a)
    assert Activity.objects.get(pk=a.pk).state == Activity.State.PLANNED


def test_registration_fills_places_then_waiting_list_moves_up(
        world, django_capture_on_commit_callbacks):
    a = make_activity(world, capacity=1)
    workflow.send_notice(world.zhou, a)
    assert workflow.register(world.lin, a).registration == I.Registration.REGISTERED
    assert workflow.register(world.gao, a).registration == I.Registration.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        workflow.cancel_registration(world.lin, a)
    assert a.invitations.get(member__user=world.gao).registration == I.Registration.REGISTERED
    assert Notification.objects.filter(recipient=world.gao,
                                       title__startswith="候补转为正式报名").exists()


def test_leave_is_approved_by_the_secretary_general_for_research(world, sg, chair):
    a = make_activity(world, kind="research")
    workflow.send_notice(world.zhou, a)
    row = workflow.ask_leave(world.lin, a, "出差在外")
    with pytest.raises(Refusal, match="本类活动的请假由秘书长审批"):
        workflow.decide_leave(world.qin, row, True)  # a vice-chair
    assert workflow.decide_leave(sg, row, True).leave == I.Leave.APPROVED


def test_plenary_leave_is_approved_by_the_chair_only(world, sg, chair):
    a = make_activity(world, kind="plenary", days=10)
    workflow.send_notice(world.zhou, a)
    row = workflow.ask_leave(world.lin, a, "住院治疗")
    with pytest.raises(Refusal, match="本类活动的请假由主席审批"):
        workflow.decide_leave(sg, row, True)
    assert Invitation.objects.get(pk=row.pk).leave == I.Leave.PENDING
    assert workflow.decide_leave(chair, row, False).leave == I.Leave.REFUSED


def test_late_leave_request_is_refused(world):
    a = make_activity(world, days=1)  # starts tomorrow; leave needs two days
    workflow.send_notice(world.zhou, a)
    with pytest.raises(Refusal) as refused:
        workflow.ask_leave(world.lin, a, "临时有事")
    assert refused.value.code == "leave_late"
    assert "请假须在活动开始 2 天前" in refused.value.message
    assert a.invitations.get(member__user=world.lin).leave == I.Leave.NONE


def test_leave_needs_a_reason(world, activity):
    with pytest.raises(Refusal, match="请填写请假事由"):
        workflow.ask_leave(world.lin, activity, "  ")


def test_qr_token_rotates_and_stale_tokens_are_refused(world, activity):
    now = timezone.now()
    window = services.rules_for(activity.body_id).checkin_window_seconds
    token = services.checkin_token(activity, now)
    assert services.code_is_current(activity, token, now)
    later = now + datetime.timedelta(seconds=window)
    assert services.checkin_token(activity, later) != token
    assert services.code_is_current(activity, token, later)  # one window of grace
    much_later = now + datetime.timedelta(seconds=3 * window)
    assert not services.code_is_current(activity, token, much_later)
    assert not services.code_is_current(activity, services.short_code(activity, now),
                                        much_later)


def test_check_in_is_idempotent_and_refuses_stale_codes_and_strangers(world, activity):
    a = started(activity)
    with pytest.raises(Refusal, match="签到码已过期或不正确"):
        workflow.check_in(world.lin, a, "0000000000000000")
    assert workflow.check_in(world.lin, a, services.checkin_token(a)) is True
    assert workflow.check_in(world.lin, a, services.short_code(a)) is False
    assert a.invitations.filter(checked_in_at__isnull=False).count() == 1
    assert [e.action for e in history(a)].count("check_in") == 1
    with pytest.raises(Refusal) as refused:
        workflow.check_in(world.dong, a, services.checkin_token(a))  # a Daoli member
    assert refused.value.status in (403, 404)


def test_check_in_only_while_the_activity_is_open(world, activity):
    with pytest.raises(Refusal, match="签到时间为活动开始前两小时至活动结束"):
        workflow.check_in(world.lin, activity, services.checkin_token(activity))


def test_closing_attendance_gives_everyone_the_right_outcome(world, sg):
    from lvzhi.conftest import make_person, seat

    extra = make_person("late", "迟到委员", "13900001099")
    seat(extra, world.city)
    a = make_activity(world, days=10)
    workflow.send_notice(world.zhou, a)
    workflow.decide_leave(sg, workflow.ask_leave(world.gao, a, "出差"), True)
    a = started(a, minutes_ago=30)
    Invitation.objects.filter(activity=a, member__user=world.lin).update(
        checked_in_at=a.starts_at - datetime.timedelta(minutes=5))
    Invitation.objects.filter(activity=a, member__user=extra).update(
        checked_in_at=a.starts_at + datetime.timedelta(minutes=20))
    counts = workflow.close_attendance(world.zhou, a)
    outcome = dict(a.invitations.values_list("member__user__username", "attendance"))
    assert outcome == {"lin": "present", "gao": "on_leave", "qin": "absent", "late": "late",
                       "sg": "absent"}
    assert counts["present"] == 1 and counts["on_leave"] == 1 and counts["late"] == 1
    facts = DutyFact.objects.filter(member__user=world.lin, kind="activity_research_present")
    assert facts.count() == 1
    with pytest.raises(Refusal):
        workflow.close_attendance(world.zhou, a)  # closed once only
    assert set(DutyFact.objects.filter(member__user=world.lin).values_list("kind", flat=True)
               ) == {"activity_invited", "activity_research_present"}


def test_the_notice_records_invited_and_reopening_keeps_it(world):
    from lvzhi.conftest import make_person, seat
    from lvzhi.duties.services import backfill

    a = make_activity(world, days=10, members=[world.lin.memberships.get()])
    invited = DutyFact.objects.filter(kind="activity_invited")
    assert not invited.exists()  # not before the notice
    workflow.send_notice(world.zhou, a)
    fact = invited.get()
    assert fact.member.user == world.lin and fact.source == a
    assert fact.occurred_on == timezone.localdate(a.starts_at)
    later = make_person("later", "补邀委员", "13900001098")
    seat(later, world.city)
    workflow.invite(world.zhou, a, [later.memberships.get()])
    assert set(invited.values_list("member__user__username", flat=True)) == {"lin", "later"}
    a = started(a)
    workflow.close_attendance(world.zhou, a)
    workflow.reopen_attendance(world.zhou, a)
    assert invited.filter(withdrawn_at__isnull=True).count() == 2
    assert backfill() == 0 and invited.count() == 2  # recorded once, however often


def test_ratings_are_anonymous_and_once_per_member(world):
    a = make_activity(world, kind="topic", days=10)
    workflow.send_notice(world.zhou, a)
    a = started(a)
    workflow.check_in(world.lin, a, services.checkin_token(a))
    workflow.close_attendance(world.zhou, a)
    scores = {"topic": 5, "organisation": 4, "service": 5, "effect": 4}
    workflow.rate(world.lin, a, scores, "很有收获")
    with pytest.raises(Refusal, match="已评价过"):
        workflow.rate(world.lin, a, scores)
    with pytest.raises(Refusal, match="只有出席的委员可以评价"):
        workflow.rate(world.gao, a, scores)
    field_names = {f.name for f in Rating._meta.get_fields()}
    assert not field_names & {"member", "user", "created_at", "reporter"}
    assert Rating.objects.get().comment == "很有收获"


def test_out_of_range_rating_is_refused(world):
    a = make_activity(world, kind="topic", days=10)
    workflow.send_notice(world.zhou, a)
    a = started(a)
    workflow.check_in(world.lin, a, services.checkin_token(a))
    workflow.close_attendance(world.zhou, a)
    with pytest.raises(Refusal, match="每项评分为 1 至 5 分"):
        workflow.rate(world.lin, a, {"topic": 6, "organisation": 4, "service": 5, "effect": 4})
    assert not Rating.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_check_ins_loses_and_duplicates_nothing(world):
    from lvzhi.conftest import make_person, seat

    people = [make_person(f"m{i}", f"委员{i}", f"1390100{i:04d}") for i in range(24)]
    for p in people:
        seat(p, world.city)
    a = make_activity(world, kind="plenary", days=10,
                      members=list(Member.objects.filter(body=world.city.body)))
    workflow.send_notice(world.zhou, a)
    a = started(a)
    token = services.checkin_token(a)
    go = threading.Barrier(len(people))
    errors = []

    def arrive(user):
        try:
            go.wait()
            workflow.check_in(user, a.pk, token)
            workflow.check_in(user, a.pk, token)  # a double tap
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=arrive, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert a.invitations.filter(checked_in_at__isnull=False).count() == len(people)
    assert [e.action for e in history(a)].count("check_in") == len(people)


def test_check_in_codes_are_throttled_per_person_and_activity(world, activity, settings):
    settings.CHECKIN_FAILURE_LIMIT = 3
    activity.starts_at = timezone.now() + datetime.timedelta(minutes=30)
    activity.save(update_fields=["starts_at"])
    for _ in range(3):
        with pytest.raises(Refusal) as wrong:
            workflow.check_in(world.lin, activity, "000000")
        assert wrong.value.code == "stale_code"
    with pytest.raises(Refusal) as locked:
        workflow.check_in(world.lin, activity, services.short_code(activity))
    assert locked.value.status == 429 and "错误次数过多" in locked.value.message
    assert workflow.check_in(world.gao, activity, services.short_code(activity))  # not gao
