"""Activity pages: the member's phone pages, the venue screen, attendance, plan, API."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lvzhi.activities import services, workflow
from lvzhi.activities.models import Activity, AnnualPlan, Invitation, PlanItem, Rating
from lvzhi.activities.tests.conftest import make_activity
from lvzhi.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def open_now(a):
    start = timezone.now() - datetime.timedelta(minutes=5)
    Activity.objects.filter(pk=a.pk).update(starts_at=start,
                                            ends_at=start + datetime.timedelta(hours=2))
    a.refresh_from_db()
    return a


def test_member_sees_their_activities_and_checks_in_by_scanning(login, world, activity):
    client = login(world.lin)
    assert activity.title in client.get("/activities/").content.decode()
    a = open_now(activity)
    response = client.get(f"/activities/{a.pk}/checkin/?t={services.checkin_token(a)}")
    assert response.status_code == 200
    assert "签到成功" in response.content.decode()
    again = client.get(f"/activities/{a.pk}/checkin/?t={services.checkin_token(a)}")
    assert "您已签到，无需重复签到" in again.content.decode()
    stale = client.get(f"/activities/{a.pk}/checkin/?t=0123456789abcdef")
    assert stale.status_code == 400


def test_check_in_by_short_code_on_the_page(login, world, activity):
    a = open_now(activity)
    response = login(world.gao).post(f"/activities/{a.pk}/act/checkin/",
                                     {"code": services.short_code(a)})
    assert response.status_code == 302
    assert a.invitations.get(member__user=world.gao).checked_in_at is not None


def test_stranger_cannot_open_or_check_in(login, world, activity):
    a = open_now(activity)
    client = login(world.dong)
    assert client.get(f"/activities/{a.pk}/").status_code == 404
    assert client.get(f"/activities/{a.pk}/checkin/?t={services.checkin_token(a)}")\
        .status_code == 404


def test_leave_request_on_the_page_then_approved_on_the_sheet(login, world, activity, sg):
    response = login(world.lin).post(f"/activities/{activity.pk}/act/leave/",
                                     {"reason": "出差"})
    assert response.status_code == 302
    sheet = login(sg).get(f"/activities/{activity.pk}/attendance/")
    assert sheet.status_code == 200 and "准假" in sheet.content.decode()
    row = activity.invitations.get(member__user=world.lin)
    login(sg).post(f"/activities/{activity.pk}/staff/leave_yes/",
                   {"invitation": row.pk, "back": "attendance"})
    row.refresh_from_db()
    assert row.leave == Invitation.Leave.APPROVED
    refused = login(world.lin).post(f"/activities/{activity.pk}/staff/leave_yes/",
                                    {"invitation": row.pk})
    assert refused.status_code == 403


def test_venue_screen_shows_a_qr_code_and_the_count(login, world, activity):
    a = open_now(activity)
    workflow.check_in(world.lin, a, services.checkin_token(a))
    page = login(world.zhou).get(f"/activities/{a.pk}/screen/").content.decode()
    assert "<svg" in page and services.short_code(a) in page
    live = login(world.zhou).get(f"/activities/{a.pk}/screen/live/")
    assert live.context["counts"]["checked"] == 1
    assert login(world.lin).get(f"/activities/{a.pk}/screen/").status_code == 404


def test_attendance_sheet_closes_and_exports(login, world, activity):
    a = open_now(activity)
    workflow.check_in(world.lin, a, services.checkin_token(a))
    client = login(world.zhou)
    client.post(f"/activities/{a.pk}/staff/close/", {"back": "attendance"})
    rows = list(load_workbook(io.BytesIO(
        client.get(f"/activities/{a.pk}/attendance.xlsx").content)).active.iter_rows(
        values_only=True))
    outcome = {r[0]: r[7] for r in rows[1:]}
    assert outcome["林晓岚"] == "出席" and outcome["高振东"] == "缺席"
    assert {r[0]: r[6] for r in rows[1:]}["林晓岚"] == "扫码或签到码"  # not the raw "qr"
    sheet = client.get(f"/activities/{a.pk}/attendance/").content.decode()
    assert "扫码或签到码" in sheet and ">qr<" not in sheet


def test_staff_create_an_activity_inviting_a_committee(login, world):
    client = login(world.zhou)
    starts = (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    response = client.post("/activities/manage/", {
        "title": "提案办理协商会", "kind": "proposal", "starts_at": starts, "place": "会议室",
        "invite": "some", "positions": ["vice_chair"]})
    assert response.status_code == 302
    a = Activity.objects.get()
    assert [i.member.user for i in a.invitations.all()] == [world.qin]
    assert login(world.lin).get("/activities/manage/").status_code == 404


def test_outcome_and_feedback_appear_on_the_plan(login, world):
    plan = AnnualPlan.objects.create(body=world.city.body, year=timezone.localdate().year,
                                     title="工作要点")
    item = PlanItem.objects.create(body=world.city.body, plan=plan, kind="topic",
                                   topic="优化营商环境", planned_month=1)
    a = make_activity(world)
    Activity.objects.filter(pk=a.pk).update(plan_item=item)
    client = login(world.zhou)
    client.post(f"/activities/{a.pk}/staff/outcome/", {"kind": "opinion", "title": "协商意见",
                                                      "text": "建议……"})
    outcome = a.outcomes.get()
    client.post(f"/activities/{a.pk}/staff/feedback/", {
        "outcome": outcome.pk, "kind": "adopted", "text": "已采纳",
        "date": timezone.localdate().isoformat()})
    page = client.get("/activities/plan/").content.decode()
    assert "优化营商环境" in page and "协商意见" in page and "采纳" in page


def test_staff_see_rating_averages_but_not_who(login, world):
    a = make_activity(world, kind="topic")
    workflow.send_notice(world.zhou, a)
    a = open_now(a)
    workflow.check_in(world.lin, a, services.checkin_token(a))
    workflow.close_attendance(world.zhou, a)
    login(world.lin).post(f"/activities/{a.pk}/act/rate/", {
        "topic": 5, "organisation": 4, "service": 5, "effect": 3, "comment": "好"})
    assert Rating.objects.count() == 1
    page = login(world.zhou).get(f"/activities/{a.pk}/")
    assert page.context["ratings"]["n"] == 1
    assert "林晓岚" not in str(page.context["ratings"])


def test_api_my_activities_leave_and_check_in(client, world, activity):
    token = client.post("/api/auth/token", {"login": "lin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    mine = client.get("/api/activities/mine", **auth).json()
    assert [m["id"] for m in mine["items"]] == [activity.pk]
    assert (mine["count"], mine["items"][0]["kind"]) == (1, activity.kind)  # a code
    assert mine["items"][0]["kind_label"] == activity.get_kind_display()
    leave = client.post(f"/api/activities/{activity.pk}/leave", {"reason": "出差"},
                        content_type="application/json", **auth)
    assert leave.json()["leave"] == "pending"
    a = open_now(activity)
    stale = client.post(f"/api/activities/{a.pk}/checkin", {"code": "000000x"},
                        content_type="application/json", **auth)
    assert (stale.status_code, stale.json()["code"]) == (400, "stale_code")
    ok = client.post(f"/api/activities/{a.pk}/checkin", {"code": services.short_code(a)},
                     content_type="application/json", **auth)
    assert ok.json() == {"checked_in": True, "already": False}


def _sheet(*rows):
    from openpyxl import Workbook

    from lvzhi.activities.plans import COLUMNS

    wb = Workbook()
    wb.active.append(COLUMNS)
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "要点.xlsx"
    return out


def test_plan_import_checks_every_row_and_saves_all_or_nothing(login, world):
    client = login(world.zhou)
    bad = client.post("/activities/plan/", {"file": _sheet(
        ["专题协商", "优化营商环境", "副主席", "提案委员会", "", 3],
        ["座谈", "", "", "不存在委员会", "", 13])})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "第 3 行：未知的类型“座谈”" in text and "第 3 行：缺少议题" in text
    assert "第 3 行：未知的专委会“不存在委员会”" in text and "计划月份应为 1–12" in text
    assert not PlanItem.objects.exists()
    good = client.post("/activities/plan/", {"file": _sheet(
        ["专题协商", "优化营商环境", "副主席", "提案委员会", "市发改委", 3],
        ["视察", "居家适老化改造建设情况", "", "", "", 6])})
    assert good.status_code == 302
    plan = AnnualPlan.objects.get()
    assert list(plan.items.values_list("topic", "planned_month")) == [
        ("优化营商环境", 3), ("居家适老化改造建设情况", 6)]
    rows = list(load_workbook(io.BytesIO(client.get(f"/activities/plan/{plan.pk}.xlsx")
                                         .content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("专题协商", "优化营商环境")
    assert login(world.lin).post("/activities/plan/", {"file": _sheet()}).status_code == 404


def test_a_speech_becomes_an_opinion_report(login, world):
    from lvzhi.opinions.models import Report

    a = make_activity(world, kind="plenary")
    client = login(world.zhou)
    client.post(f"/activities/{a.pk}/staff/outcome/", {
        "kind": "speech", "title": "关于发展冰雪经济的大会发言", "text": "发言全文……",
        "authors": [world.lin.memberships.get().pk]})
    outcome = a.outcomes.get()
    response = client.post(f"/activities/{a.pk}/staff/to_opinion/", {"outcome": outcome.pk})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.state, report.title) == (
        world.lin, "submitted", "关于发展冰雪经济的大会发言")
    # Through the opinions workflow: its event, the author's credit, a link back.
    from lvzhi.core.events import history
    from lvzhi.duties.models import DutyFact
    assert [e.action for e in history(report)] == ["converted_in"]
    assert DutyFact.objects.filter(kind="opinion_submitted", member__user=world.lin).exists()
    assert report.source == a and "大会发言" in report.source_label
    client.post(f"/activities/{a.pk}/staff/outcome/", {"kind": "report", "title": "调研报告"})
    other = a.outcomes.get(kind="report")
    refused = client.post(f"/activities/{a.pk}/staff/to_opinion/", {"outcome": other.pk})
    assert refused.status_code == 409
    assert Report.objects.count() == 1


def test_city_staff_invite_district_members_to_a_joint_activity(login, world):
    starts = (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    client = login(world.zhou)
    client.post("/activities/manage/", {"title": "市区联动视察", "kind": "inspection",
                                        "starts_at": starts, "invite": "some",
                                        "sectors": [world.city.sector.pk],
                                        "with_districts": "1"})
    a = Activity.objects.get()
    invited = {i.member.user.username for i in a.invitations.select_related("member__user")}
    assert invited == {"lin", "qin", "dong", "wu"}  # 民盟 seats in the city and districts


def test_leaders_follow_the_plan(login, world):
    assert "工作要点" in login(world.qin).get("/").content.decode()
    assert login(world.qin).get("/activities/plan/").status_code == 200


def test_staff_add_people_after_the_notice_and_they_are_told(login, world, activity,
                                                            django_capture_on_commit_callbacks):
    from lvzhi.conftest import make_person, seat
    from lvzhi.core.models import Notification

    late = make_person("newcomer", "新来委员", "13900001077")
    seat(late, world.city)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.zhou).post(f"/activities/{activity.pk}/staff/invite/",
                                          {"names": "新来委员、董建国"})
    assert response.status_code == 302
    assert activity.invitations.filter(member__user__in=[late, world.dong]).count() == 2
    assert Notification.objects.filter(recipient=late, title__startswith="活动通知").exists()
    refused = login(world.lin).post(f"/activities/{activity.pk}/staff/invite/",
                                    {"names": "路人甲"})
    assert refused.status_code == 403


def test_member_sees_their_outcomes(login, world):
    a = make_activity(world)
    workflow.add_outcome(world.zhou, a, {"kind": "report", "title": "冰雪产业调研报告"},
                         [world.lin.memberships.get()])
    page = login(world.lin).get("/activities/").content.decode()
    body = page[page.index("<main"):]
    assert "冰雪产业调研报告" in body and "我的成果" in body
    # the outcomes are listed in the page, not inside its <title>
    assert "<title>我的活动 · 政协履职</title>" in page


def test_materials_and_outcome_files_are_uploaded_and_served_to_the_invited(login, world,
                                                                             activity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lvzhi.core.models import Attachment

    pdf = b"%PDF-1.4\n" + b"0" * 40
    client = login(world.zhou)
    client.post(f"/activities/{activity.pk}/staff/material/",
                {"file": SimpleUploadedFile("议程.pdf", pdf)})
    client.post(f"/activities/{activity.pk}/staff/outcome/", {
        "kind": "report", "title": "调研报告", "file": SimpleUploadedFile("报告.pdf", pdf)})
    bad = client.post(f"/activities/{activity.pk}/staff/outcome/", {
        "kind": "report", "title": "坏文件", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400
    assert not activity.outcomes.filter(title="坏文件").exists()
    files = Attachment.objects.order_by("id")
    assert [f.original_name for f in files] == ["议程.pdf", "报告.pdf"]
    assert login(world.lin).get(f"/attachments/{files[0].pk}/").status_code == 200
    assert login(world.dong).get(f"/attachments/{files[1].pk}/").status_code == 404
    assert login(world.lin).post(f"/activities/{activity.pk}/staff/material/", {
        "file": SimpleUploadedFile("y.pdf", pdf)}).status_code == 403


def test_attendance_cannot_be_closed_before_the_activity_starts(login, world, activity):
    client = login(world.zhou)
    response = client.post(f"/activities/{activity.pk}/staff/close/")
    assert response.status_code == 409
    assert "活动尚未开始，不能结束考勤" in response.content.decode()
    activity.refresh_from_db()
    assert activity.state == Activity.State.NOTIFIED
    assert not activity.invitations.exclude(attendance="").exists()


def test_staff_reopen_a_closed_attendance_within_a_day(login, world, activity):
    from lvzhi.core.events import history
    from lvzhi.duties.models import DutyFact
    a = open_now(activity)
    client = login(world.zhou)
    client.post(f"/activities/{a.pk}/staff/close/")
    assert DutyFact.objects.filter(kind="activity_research_absent").exists()
    sheet = client.get(f"/activities/{a.pk}/attendance/").content.decode()
    assert "重新打开考勤" in sheet and "data-confirm" in sheet
    assert login(world.lin).post(f"/activities/{a.pk}/staff/reopen/").status_code == 403
    client = login(world.zhou)
    response = client.post(f"/activities/{a.pk}/staff/reopen/")
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == Activity.State.NOTIFIED
    assert not a.invitations.exclude(attendance="").exists()
    # Withdrawn, not deleted: the record keeps them, struck through.
    standing = DutyFact.objects.filter(kind__startswith="activity_", withdrawn_at__isnull=True)
    assert set(standing.values_list("kind", flat=True)) == {"activity_invited"}
    assert DutyFact.objects.filter(withdrawn_reason="考勤重新打开").count() == 3
    assert [e.action for e in history(a)][-2:] == ["close_attendance", "reopen_attendance"]


def test_reopening_after_a_day_is_refused(login, world, activity):
    from lvzhi.core.models import Event
    a = open_now(activity)
    client = login(world.zhou)
    client.post(f"/activities/{a.pk}/staff/close/")
    Event.objects.filter(action="close_attendance").update(
        created_at=timezone.now() - datetime.timedelta(hours=25))
    response = client.post(f"/activities/{a.pk}/staff/reopen/")
    assert response.status_code == 409 and "超过 24 小时" in response.content.decode()
    a.refresh_from_db()
    assert a.state == Activity.State.CLOSED
