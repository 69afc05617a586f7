"""民主监督: a topic and its group, problems found and reported from a phone, the office's
decisions, rectification items as ledger tasks of the unit followed to closure (销号) with
evidence, the party-ledger mark, duty facts, and who is refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.conftest import make_person, role
from lvzhi.core.models import HandlingUnit, Notification, RoleKind
from lvzhi.duties.models import DutyFact
from lvzhi.ledgers.models import Task
from lvzhi.supervision.models import GroupMember, Problem, Topic

pytestmark = pytest.mark.django_db
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
       b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SOON = str(timezone.localdate() + datetime.timedelta(days=30))


@pytest.fixture
def topic(login, world) -> Topic:
    client = login(world.zhou)
    response = client.post("/supervision/", {
        "title": "老旧小区改造民主监督", "form": "专项监督", "units": [world.city.unit.pk],
        "issuers": "市委办公厅"})
    assert response.status_code == 302
    t = Topic.objects.get()
    client.post(f"/supervision/topics/{t.pk}/act/group/", {"names": "林晓岚、高振东",
                                                           "leader": ""})
    return t


def test_the_whole_cycle_from_a_finding_to_closure(login, world, topic):
    assert set(topic.group.values_list("member__user__username", flat=True)) == {"lin", "gao"}
    lin_seat = world.lin.memberships.get()
    assert DutyFact.objects.filter(member=lin_seat, kind="supervision_group").count() == 1
    # A group member writes a finding with a photo.
    response = login(world.lin).post(f"/supervision/topics/{topic.pk}/act/problem/", {
        "description": "部分小区雨污管网未同步改造", "place": "道里区",
        "photos": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]})
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert problem.reporter == lin_seat and problem.topic == topic
    # The office turns it into a rectification item for the unit.
    office = login(world.zhou)
    bad = office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "due_on": "2000-01-01"})
    assert bad.status_code == 400 and "整改期限" in bad.content.decode()
    problem.refresh_from_db()
    assert problem.state == "reported" and problem.item is None
    office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "due_on": SOON, "severity": "serious"})
    problem.refresh_from_db()
    item = problem.item
    assert problem.state == "accepted" and item.unit == world.city.unit
    assert item.ledger.kind == "rectification" and item.milestones.get().due_on.isoformat() == SOON
    assert Notification.objects.filter(recipient=world.ma, title__startswith="整改事项").exists()
    assert DutyFact.objects.filter(member=lin_seat, kind="supervision_problem").count() == 1
    # The unit sees it among its tasks and answers; closing needs evidence first.
    unit = login(world.ma)
    assert [t["id"] for t in unit.get("/api/ledgers/tasks?mine=false").json()["items"]] == [
        item.pk]
    assert "本单位的整改事项" in unit.get("/").content.decode()
    assert item.title in unit.get("/ledgers/mine/").content.decode()
    unit.post(f"/ledgers/tasks/{item.pk}/act/report/", {"text": "已制定整改措施，正在施工。"})
    early = login(world.zhou).post(f"/ledgers/tasks/{item.pk}/act/complete/")
    assert early.status_code == 409 and "佐证材料" in early.content.decode()
    login(world.ma).post(f"/ledgers/tasks/{item.pk}/act/report/", {
        "text": "管网改造完成", "files": [SimpleUploadedFile("验收.pdf", PDF)]})
    assert login(world.zhou).post(f"/ledgers/tasks/{item.pk}/act/complete/"
                                  ).status_code == 302
    item.refresh_from_db()
    assert item.state == Task.State.DONE
    page = login(world.lin).get(problem.get_absolute_url()).content.decode()
    assert "已完成" in page  # the reporter follows it


def test_a_member_reports_from_a_phone_and_the_office_takes_it_into_a_topic(
        login, world, topic):
    client = login(world.gao)
    refused = client.post("/supervision/report/", {"description": "短"})
    assert refused.status_code == 400 and "至少5个字" in refused.content.decode()
    assert client.post("/supervision/report/", {
        "description": "公交站台无障碍坡道被占用", "place": "中央大街",
        "photos": [SimpleUploadedFile("坡道.png", PNG, content_type="image/png")]}
    ).status_code == 302
    problem = Problem.objects.get()
    assert problem.topic is None and problem.reporter.user == world.gao
    office = login(world.zhou)
    assert "公交站台无障碍坡道被占用" in office.get("/supervision/").content.decode()
    missing = office.post(f"/supervision/problems/{problem.pk}/act/accept/", {"due_on": SOON})
    page = missing.content.decode()
    assert missing.status_code == 400
    assert "请选择列入的监督议题" in page and "请选择责任单位" in page
    office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "topic": topic.pk, "unit": world.city.unit.pk, "due_on": SOON})
    problem.refresh_from_db()
    assert problem.topic == topic and problem.item is not None
    # Into the party committee's ledger, then followed as before.
    office.post(f"/supervision/problems/{problem.pk}/act/mark_party/", {
        "party_ref": "市委督办〔2026〕12号", "party_on": str(timezone.localdate())})
    problem.refresh_from_db()
    assert problem.party_ref == "市委督办〔2026〕12号"


def test_refusals(login, world, topic):
    other_unit = HandlingUnit.objects.create(body=world.city.body, name="市住房和城乡建设局")
    other_handler = make_person("zhujian", "住建承办人", "13900003009")
    role(other_handler, world.city, RoleKind.UNIT_HANDLER, handling_unit=other_unit)
    problem = Problem.objects.create(body=world.city.body, topic=topic, description="问题描述五字",
                                     written_by=world.zhou)
    login(world.zhou).post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "due_on": SOON})
    item = Problem.objects.get().item
    # Another unit reads nothing of it; another body's staff nothing of the topic.
    assert login(other_handler).get(item.get_absolute_url()).status_code == 404
    assert login(other_handler).post(f"/ledgers/tasks/{item.pk}/act/report/", {
        "text": "越权"}).status_code == 404
    assert login(world.pan).get(topic.get_absolute_url()).status_code == 404
    # A member outside the group cannot write on the topic; a unit cannot decide.
    assert login(world.qin).post(f"/supervision/topics/{topic.pk}/act/problem/", {
        "description": "组外委员写的问题"}).status_code in (403, 404)
    assert login(world.ma).post(f"/supervision/problems/{problem.pk}/act/decline/", {
        "reason": "x"}).status_code == 404
    # Declining needs a reason; a topic needs a title and a form.
    second = Problem.objects.create(body=world.city.body, topic=topic, description="另一个问题",
                                    written_by=world.zhou)
    response = login(world.zhou).post(f"/supervision/problems/{second.pk}/act/decline/")
    assert response.status_code == 400 and "请填写不予采纳的理由" in response.content.decode()
    response = login(world.zhou).post("/supervision/", {"title": "", "form": ""})
    assert response.status_code == 400 and "请填写监督议题" in response.content.decode()
    assert "请选择监督形式" in response.content.decode()
    assert Topic.objects.count() == 1 and Problem.objects.filter(state="declined").count() == 0
    # Only staff build groups.
    login(world.lin).post(f"/supervision/topics/{topic.pk}/act/group/", {"names": "秦文远"})
    assert not GroupMember.objects.filter(member__user=world.qin).exists()


def test_a_member_reports_and_follows_from_a_phone(login, world):
    client = login(world.lin)
    created = client.post("/api/supervision/problems", {
        "description": "小区门口路灯长期不亮", "place": "南岗区",
        "photos": [SimpleUploadedFile("路灯.png", PNG, content_type="image/png")]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "reported" and body["photos"][0]["name"] == "路灯.png"
    assert [p["id"] for p in client.get("/api/supervision/problems").json()["items"]] == [
        body["id"]]
    short = client.post("/api/supervision/problems", {"description": "短"})
    assert short.status_code == 400 and "description" in short.json()["fields"]
    # Someone with no seat has nothing to report from.
    assert login(world.zhou).post("/api/supervision/problems", {
        "description": "机关干部不是委员"}).status_code == 404
    assert Problem.objects.count() == 1


def test_the_report_and_the_figures(login, world, topic):
    import io
    import shutil
    import subprocess

    from openpyxl import load_workbook
    problem = Problem.objects.create(body=world.city.body, topic=topic, unit=world.city.unit,
                                     description="校门口缺少接送等候区", written_by=world.zhou)
    Problem.objects.create(body=world.city.body, topic=topic, description="另一个问题已澄清",
                           written_by=world.zhou, state="declined", reason="已解决")
    office = login(world.zhou)
    office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "due_on": SOON})
    refused = office.post(f"/supervision/topics/{topic.pk}/act/report/", {
        "recommendations": "", "report_to": ""})
    assert refused.status_code == 400 and "请填写意见建议" in refused.content.decode()
    office.post(f"/supervision/topics/{topic.pk}/act/report/", {
        "recommendations": "建立校门口接送区建设长效机制。", "report_to": "市委、市政府"})
    topic.refresh_from_db()
    assert topic.report_to == "市委、市政府" and topic.report_sent_on == timezone.localdate()
    assert "报送监督报告" in office.get(topic.get_absolute_url()).content.decode()
    pdf = office.get(f"/supervision/topics/{topic.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True,
                              check=True).stdout.decode()
        assert "民主监督情况的报告" in text and "校门口缺少接送等候区" in text
        assert "建立校门口接送区建设长效机制" in text
    page = login(world.qin).get("/supervision/figures/").content.decode()
    assert "老旧小区改造民主监督" in page and world.city.unit.name in page
    sheet = load_workbook(io.BytesIO(login(world.qin).get("/supervision/figures.xlsx").content))
    rows = list(sheet["按议题"].iter_rows(values_only=True))
    assert rows[1] == ("老旧小区改造民主监督", 2, 1, 0, 0, 1)
    # Members read no figures; the group member reads the report of their topic.
    assert login(world.gao).get("/supervision/figures/").status_code == 404
    assert login(world.gao).get(f"/supervision/topics/{topic.pk}/report.pdf").status_code == 200
    assert login(world.pan).get(f"/supervision/topics/{topic.pk}/report.pdf").status_code == 404


def test_a_democratic_supervisor_reports_and_the_unit_answers(login, world):
    from lvzhi.supervision.models import Supervisor
    office = login(world.zhou)
    bad = office.post("/supervision/supervisors/", {"name": "不存在的人", "unit": "",
                                                    "starts_on": "2026-01-01",
                                                    "ends_on": "2025-01-01"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "请填写本政协委员的姓名" in page
    assert "请选择监督单位" in page and "聘任起止日期" in page and "不存在的人" in page
    assert office.post("/supervision/supervisors/", {
        "name": "林晓岚", "unit": world.city.unit.pk, "starts_on": "2026-01-01",
        "ends_on": "2027-12-31"}).status_code == 302
    post = Supervisor.objects.get()
    url = f"/supervision/supervisors/{post.pk}/act/"
    assert login(world.gao).post(url + "report/", {"text": "不是监督员本人"}
                                 ).status_code == 404
    assert "我的民主监督员聘任" in login(world.lin).get("/supervision/").content.decode()
    assert login(world.lin).post(url + "report/", {"text": "窗口服务时间应延长至午间"}
                                 ).status_code == 302
    report = post.reports.get()
    assert Notification.objects.filter(recipient=world.ma,
                                       title__startswith="民主监督员意见").exists()
    assert DutyFact.objects.filter(kind="supervisor_report", member__user=world.lin).count() == 1
    assert login(world.lin).post(url + "feedback/", {"report": report.pk, "feedback": "自己答"}
                                 ).status_code == 403
    assert login(world.ma).post(url + "feedback/", {"report": report.pk,
                                                    "feedback": "已实行午间不打烊"}
                                ).status_code == 302
    again = login(world.ma).post(url + "feedback/", {"report": report.pk, "feedback": "再答"})
    assert again.status_code == 409
    report.refresh_from_db()
    assert report.feedback == "已实行午间不打烊" and report.feedback_by == world.ma


def test_the_plan_goes_out_to_excel_and_comes_back_checked(login, world, topic):
    import io

    from openpyxl import Workbook, load_workbook
    office = login(world.zhou)
    sheet = load_workbook(io.BytesIO(office.get("/supervision/plan.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "监督议题" and rows[1][:3] == ("老旧小区改造民主监督", "专项监督",
                                                      world.city.unit.name)

    def upload(*lines):
        wb = Workbook()
        wb.active.append(list(rows[0]))
        for line in lines:
            wb.active.append(list(line))
        out = io.BytesIO()
        wb.save(out)
        return SimpleUploadedFile("计划.xlsx", out.getvalue())

    bad = office.post("/supervision/plan/import/", {"file": upload(
        ("营商环境监督", "暗访", "市不存在局", "", "2026-03-01", "2026-02-01", ""),
        ("", "专项监督", "", "", "", "", ""))})
    page = bad.content.decode()
    assert bad.status_code == 400 and "未知的监督形式“暗访”" in page
    assert "未知的被监督单位“市不存在局”" in page and "第 3 行：缺少监督议题" in page
    assert Topic.objects.count() == 1
    assert office.post("/supervision/plan/import/", {"file": upload(
        ("营商环境监督", "联动监督", world.city.unit.name, "", "2026-03-01", "2026-10-31",
         "市纪委监委"))}).status_code == 302
    added = Topic.objects.get(title="营商环境监督")
    assert added.form == "联动监督" and list(added.units.all()) == [world.city.unit]
    assert login(world.qin).post("/supervision/plan/import/", {"file": upload(
        ("领导导入", "专项监督", "", "", "", "", ""))}).status_code == 404


@pytest.mark.parametrize(("today", "limit", "unit", "due"), [
    # 2026: 9-25 (Mid-Autumn) and 10-01…10-07 are off; 10-08 is a working day again.
    (datetime.date(2026, 9, 24), "5", "workdays", datetime.date(2026, 10, 9)),
    (datetime.date(2026, 9, 1), "1", "months", datetime.date(2026, 10, 8)),
])
def test_a_deadline_in_working_days_or_months_skips_the_holidays_and_is_overdue_after(
        login, world, topic, monkeypatch, today, limit, unit, due):
    from lvzhi.ledgers import services
    problem = Problem.objects.create(body=world.city.body, topic=topic,
                                     description="小区加装电梯进度缓慢", written_by=world.zhou)
    monkeypatch.setattr(timezone, "localdate", lambda *a: today)
    office = login(world.zhou)
    for bad in ({"limit": "0"}, {"limit": "五"}, {"limit": "40", "limit_unit": "months"},
                {"limit": "5", "limit_unit": "weeks"}, {}):
        refused = office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
            "unit": world.city.unit.pk, **bad})
        assert refused.status_code == 400 and "整改期限" in refused.content.decode()
        assert 'aria-invalid="true" aria-describedby="lz-limit-error"' in \
            refused.content.decode()
    assert not Task.objects.exists()
    office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "limit": limit, "limit_unit": unit})
    item = Problem.objects.get().item
    assert item.milestones.get().due_on == due
    assert services.status(item, due) == "on_time"
    assert services.status(item, due + datetime.timedelta(days=1)) == "behind"


def test_the_group_leader_checks_and_closes_an_item_a_plain_member_cannot(
        login, world, topic):
    GroupMember.objects.filter(topic=topic, member__user=world.lin).update(is_leader=True)
    problem = Problem.objects.create(body=world.city.body, topic=topic,
                                     description="社区养老食堂覆盖不足", written_by=world.zhou)
    login(world.zhou).post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "due_on": SOON})
    item = Problem.objects.get().item
    login(world.ma).post(f"/ledgers/tasks/{item.pk}/act/report/", {"text": "新建助餐点两处"})
    # gao is in the group but does not lead it: the item is not theirs to see or close
    gao = login(world.gao)
    assert gao.get(item.get_absolute_url()).status_code == 404
    assert gao.post(f"/ledgers/tasks/{item.pk}/act/complete/").status_code == 404
    leader = login(world.lin)
    page = leader.get(item.get_absolute_url()).content.decode()
    assert "整改核查" in page and "核查通过，销号" in page and "催办" not in page
    assert leader.post(f"/ledgers/tasks/{item.pk}/act/cancel/", {"reason": "x"}
                       ).status_code == 403
    no_evidence = leader.post(f"/ledgers/tasks/{item.pk}/act/complete/")
    assert no_evidence.status_code == 409
    back = leader.post(f"/ledgers/tasks/{item.pk}/act/return_report/", {"reason": "缺少佐证"})
    assert back.status_code == 302 and item.reports.get().returned
    login(world.ma).post(f"/ledgers/tasks/{item.pk}/act/report/", {
        "text": "助餐点已运营", "files": [SimpleUploadedFile("照片.pdf", PDF)]})
    assert login(world.lin).post(f"/ledgers/tasks/{item.pk}/act/complete/").status_code == 302
    item.refresh_from_db()
    assert item.state == Task.State.DONE
    assert item.events.filter(action="complete", actor=world.lin).exists() if hasattr(
        item, "events") else True


def test_staff_invite_the_whole_group_to_a_visit_and_the_topic_lists_it(login, world, topic):
    from lvzhi.activities import workflow as activities
    from lvzhi.activities.models import GroupInvitation
    visit = activities.create(world.zhou, world.city.body, {
        "kind": "inspection", "title": "老旧小区改造现场视察", "place": "道里区安静小区",
        "starts_at": timezone.now() + datetime.timedelta(days=7)}, [])
    staff = login(world.zhou)
    page = staff.get(visit.get_absolute_url()).content.decode()
    choice = f"supervision_group:{topic.pk}"
    assert f'<option value="{choice}">民主监督小组：{topic.year}年 老旧小区改造民主监督' in page
    other = Topic.objects.create(body=world.daoli.body, year=topic.year, title="区级议题",
                                 form="专项监督")
    for bad in (f"supervision_group:{other.pk}", "supervision_group:x", "nothing:1"):
        refused = staff.post(f"/activities/{visit.pk}/staff/invite/", {"groups": [bad]})
        assert refused.status_code == 400 and "请选择本政协的小组" in refused.content.decode()
    assert not visit.invitations.exists() and not GroupInvitation.objects.exists()
    assert staff.post(f"/activities/{visit.pk}/staff/invite/", {"groups": [choice]}
                      ).status_code == 302
    assert {i.member.user.username for i in visit.invitations.all()} == {"lin", "gao"}
    # Twice is once; the topic's page lists the visit for the office and the group.
    staff.post(f"/activities/{visit.pk}/staff/invite/", {"groups": [choice]})
    assert GroupInvitation.objects.filter(activity=visit).count() == 1
    for who in (world.zhou, world.lin):
        assert "老旧小区改造现场视察" in login(who).get(topic.get_absolute_url()).content.decode()
    # A district's staff cannot invite the city's group to their own activity.
    district = activities.create(world.pan, world.daoli.body, {
        "kind": "inspection", "title": "区级视察", "place": "道里区",
        "starts_at": timezone.now() + datetime.timedelta(days=7)}, [])
    assert login(world.pan).post(f"/activities/{district.pk}/staff/invite/", {
        "groups": [choice]}).status_code == 400
    assert not district.invitations.exists()


def test_the_party_ledger_deadline_becomes_a_time_node_followed_to_closure(
        login, world, topic):
    from lvzhi.ledgers import services
    problem = Problem.objects.create(body=world.city.body, topic=topic,
                                     description="背街小巷路灯长期不亮", written_by=world.zhou)
    office = login(world.zhou)
    office.post(f"/supervision/problems/{problem.pk}/act/accept/", {
        "unit": world.city.unit.pk, "due_on": SOON})
    item = Problem.objects.get().item
    today = timezone.localdate()
    refused = office.post(f"/supervision/problems/{problem.pk}/act/mark_party/", {
        "party_ref": "", "party_on": str(today + datetime.timedelta(days=1)),
        "party_due": "2000-01-01"})
    page = refused.content.decode()
    assert refused.status_code == 400
    for message in ("请填写党委督办台账的编号", "请填写列入日期", "督办期限须是今天以后的日期"):
        assert message in page
    assert page.count('aria-invalid="true"') >= 3 and 'value="2000-01-01"' in page
    problem.refresh_from_db()
    assert problem.party_ref == "" and item.milestones.count() == 1
    party_due = today + datetime.timedelta(days=10)
    office.post(f"/supervision/problems/{problem.pk}/act/mark_party/", {
        "party_ref": "市委督办〔2026〕7号", "party_on": str(today),
        "party_due": str(party_due)})
    problem.refresh_from_db()
    assert problem.party_due == party_due
    node = item.milestones.get(due_on=party_due)
    assert "市委督办〔2026〕7号" in node.what
    told = Notification.objects.filter(recipient=world.ma, title__startswith="新增时间节点")
    d = party_due  # as Chinese users write a date: 2026年12月9日, no leading zeros
    assert f"期限{d.year}年{d.month}月{d.day}日" in told.get().text
    # Followed there: behind once the party deadline passes without a report…
    assert services.status(item, party_due + datetime.timedelta(days=1)) == "behind"
    board = office.get("/supervision/?party=1").content.decode()
    assert "背街小巷路灯长期不亮" in board and "市委督办〔2026〕7号" in board
    # …and its reminder goes once, like any time node.
    before = services.remind(party_due + datetime.timedelta(days=1))
    assert before >= 1 and services.remind(party_due + datetime.timedelta(days=1)) == 0
    # Another body's office cannot mark it.
    assert login(world.pan).post(f"/supervision/problems/{problem.pk}/act/mark_party/", {
        "party_ref": "x", "party_on": str(today)}).status_code == 404


def test_a_body_keeps_its_own_list_of_forms(login, world):
    from lvzhi.supervision.models import SupervisionRules
    admin = login(world.zheng)
    response = admin.post("/admin/supervision/supervisionrules/add/", {
        "body": world.city.body.pk, "forms": "专项监督\n界别协商监督\n\n专项监督"})
    assert response.status_code == 302
    rules = SupervisionRules.objects.get(body=world.city.body)
    assert rules.form_list() == ["专项监督", "界别协商监督"]
    # Not for another body's list.
    other = admin.post("/admin/supervision/supervisionrules/add/", {
        "body": world.daoli.body.pk, "forms": "暗访"})
    assert other.status_code == 200 and not SupervisionRules.objects.filter(
        body=world.daoli.body).exists()
    office = login(world.zhou)
    page = office.get("/supervision/").content.decode()
    assert "<option>界别协商监督</option>" in page and "<option>询问</option>" not in page
    refused = office.post("/supervision/", {"title": "政协委员询问会", "form": "询问"})
    assert refused.status_code == 400 and "请选择本政协设定的监督形式" in refused.content.decode()
    assert not Topic.objects.exists()
    assert office.post("/supervision/", {"title": "界别协商中的监督",
                                         "form": "界别协商监督"}).status_code == 302
    assert Topic.objects.get().form == "界别协商监督"
    # A district with no list of its own has the ready nine.
    district = login(world.pan).get("/supervision/").content.decode()
    assert "<option>询问</option>" in district and "界别协商监督" not in district


def test_an_outside_expert_joins_the_group_and_comes_to_its_visit(login, world, topic):
    from lvzhi.activities import workflow as activities
    from lvzhi.activities.models import ExpertInvitation
    from lvzhi.duties.models import Expert
    prof = Expert.objects.create(body=world.city.body, name="王建华", employer="哈尔滨工业大学")
    Expert.objects.create(body=world.daoli.body, name="区里专家")
    office = login(world.zhou)
    url = f"/supervision/topics/{topic.pk}/act/group/"
    refused = office.post(url, {"names": "王建华、区里专家、无此人"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "找不到：区里专家、无此人" in page
    assert 'value="王建华、区里专家、无此人"' in page and topic.group.count() == 2
    assert office.post(url, {"names": "王建华"}).status_code == 302
    row = topic.group.get(expert=prof)
    assert row.member is None and row.name == "王建华"
    assert "特邀专家" in office.get(topic.get_absolute_url()).content.decode()
    assert not DutyFact.objects.filter(kind="supervision_group").exclude(
        member__user__username__in=["lin", "gao"]).exists()  # no fact for a non-member
    visit = activities.create(world.zhou, world.city.body, {
        "kind": "inspection", "title": "加装电梯现场视察", "place": "南岗区",
        "starts_at": timezone.now() + datetime.timedelta(days=7)}, [])
    office.post(f"/activities/{visit.pk}/staff/invite/",
                {"groups": [f"supervision_group:{topic.pk}"]})
    assert visit.invitations.count() == 2
    assert list(ExpertInvitation.objects.filter(activity=visit).values_list(
        "expert__name", flat=True)) == ["王建华"]
