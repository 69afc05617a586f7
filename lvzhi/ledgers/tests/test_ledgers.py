"""工作台账: the breakdown from Excel (all or nothing), how a task stands against its
milestones, reminders once, progress reports, the office's review and urges, refusals."""

from __future__ import annotations

import datetime
import io
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lvzhi.core.events import history
from lvzhi.core.models import Department, Export, Notification
from lvzhi.ledgers import breakdown, services
from lvzhi.ledgers.models import Ledger, Milestone, ProgressReport, Task
from lvzhi.ledgers.workflow import perform

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026


def sheet(*rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(breakdown.COLUMNS)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("分解表.xlsx", out.getvalue())


NODES = f"{YEAR}-03-31 完成调研\n{YEAR}-06-30 形成报告"


def good_row(world, title="开展冰雪经济专题调研", nodes=NODES):
    return (1, title, "调研", "王副主席", world.city.department.name, "市文旅局", "李处长",
            nodes)


@pytest.fixture
def task(world):
    ledger = Ledger.objects.create(body=world.city.body, year=YEAR, title="任务分解")
    t = Task.objects.create(body=world.city.body, ledger=ledger, number=1, title="专题调研",
                            category="research", department=world.city.department)
    Milestone.objects.bulk_create([Milestone(task=t, due_on=D(YEAR, 9, 30), what="完成调研"),
                                   Milestone(task=t, due_on=D(YEAR, 10, 9), what="形成报告")])
    return t


def test_the_office_imports_the_breakdown_and_exports_it_back(login, world, export_file):
    client = login(world.zhou)
    response = client.post(f"/ledgers/import/?year={YEAR}", {
        "file": sheet(good_row(world), good_row(world, "召开专题协商会", f"{YEAR}-05-20"))})
    assert response.status_code == 302
    tasks = list(Task.objects.order_by("number"))
    assert [t.title for t in tasks] == ["开展冰雪经济专题调研", "召开专题协商会"]
    assert [(m.due_on, m.what) for m in tasks[0].milestones.all()] == [
        (D(YEAR, 3, 31), "完成调研"), (D(YEAR, 6, 30), "形成报告")]
    assert tasks[1].milestones.get().what == "报告进展"
    export = export_file(client, "/ledgers/export.xlsx", {"year": YEAR})
    assert f"{YEAR}年工作任务分解表.xlsx" in unquote(export["Content-Disposition"])
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "开展冰雪经济专题调研" and "2026-06-30 形成报告" in rows[1][7]


def test_an_import_with_any_bad_row_saves_nothing_and_names_every_problem(login, world):
    response = login(world.zhou).post(f"/ledgers/import/?year={YEAR}", {"file": sheet(
        good_row(world),
        (2, "走访企业", "调研", "", "不存在的部门", "", "", f"{YEAR}-02-30 走访"),
        (3, "年终总结", "总结", "", world.city.department.name, "", "", f"{YEAR + 1}-01-10 总结"))})
    page = response.content.decode()
    assert response.status_code == 400 and not Task.objects.exists()
    assert "不存在的部门" in page and "日期不正确" in page
    assert f"不在 {YEAR} 年内" in page and "类别“总结”不在列表中" in page


def test_only_the_reviewing_office_imports(login, world):
    Department.objects.create(body=world.city.body, name="督查考评办公室")
    rules = services.rules_for(world.city.body.pk)
    rules.office = Department.objects.get(name="督查考评办公室")
    rules.save()
    assert login(world.zhou).get("/ledgers/import/").status_code == 404
    assert login(world.qin).get("/ledgers/import/").status_code == 404


@pytest.mark.parametrize(("today", "reports", "expected"), [
    (D(YEAR, 9, 30), [], "on_time"),         # due today: not yet passed
    (D(YEAR, 10, 1), [], "behind"),          # passed with no report
    (D(YEAR, 10, 1), [D(YEAR, 9, 30)], "on_time"),
    (D(YEAR, 10, 10), [D(YEAR, 9, 30)], "behind"),  # none since the first milestone
    (D(YEAR, 10, 10), [D(YEAR, 9, 30), D(YEAR, 10, 8)], "on_time"),
])
def test_status_at_milestone_edges(world, task, today, reports, expected):
    for day in reports:
        row = ProgressReport.objects.create(body=task.body, task=task, author=world.zhou,
                                            text="进展")
        ProgressReport.objects.filter(pk=row.pk).update(
            created_at=datetime.datetime(day.year, day.month, day.day, 10,
                                         tzinfo=datetime.UTC))
    assert services.status(task, today) == expected


def test_reminders_count_working_days_across_the_holiday_and_go_once(world, task):
    # 2026: 9-25 (Mid-Autumn) and 10-01…10-07 are off, 9-20 (a Sunday) is a make-up workday.
    assert services.remind(D(YEAR, 9, 21)) == 0  # 6 working days before 9-30
    assert services.remind(D(YEAR, 9, 22)) == 1  # 5: the 9-30 milestone
    assert services.remind(D(YEAR, 9, 22)) == 0  # never twice
    assert services.remind(D(YEAR, 9, 23)) == 0  # 10-09 is still 6 working days away
    assert services.remind(D(YEAR, 9, 24)) == 1  # 5, though 15 calendar days, for 10-09
    notes = Notification.objects.filter(recipient=world.zhou, title__startswith="时间节点将到")
    assert notes.count() == 2
    assert services.remind(D(YEAR, 10, 1)) == 1  # 9-30 passed with no report
    assert services.remind(D(YEAR, 10, 2)) == 0


def test_the_department_reports_with_a_file_and_the_office_reviews(login, world, task):
    staff = login(world.zhou)
    done = staff.post(f"/ledgers/tasks/{task.pk}/act/report/", {
        "text": "已赴三家企业调研。", "figures": "调研 3 次",
        "files": [SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n")]})
    assert done.status_code == 302
    report = task.reports.get()
    assert report.figures == "调研 3 次"
    assert "纪要.pdf" in staff.get(task.get_absolute_url()).content.decode()
    staff.post(f"/ledgers/tasks/{task.pk}/act/return_report/", {"reason": "缺少数据"})
    report.refresh_from_db()
    assert report.returned and report.return_reason == "缺少数据"
    staff.post(f"/ledgers/tasks/{task.pk}/act/urge/", {"comment": "请本周内报送"})
    assert Notification.objects.filter(title__startswith="催办").exists()
    bare = staff.post(f"/ledgers/tasks/{task.pk}/act/cancel/", {"reason": ""})
    assert bare.status_code == 400
    staff.post(f"/ledgers/tasks/{task.pk}/act/complete/")
    task.refresh_from_db()
    assert task.state == "done" and services.status(task) == "done"
    late = staff.post(f"/ledgers/tasks/{task.pk}/act/report/", {"text": "补充"})
    assert late.status_code == 409


def test_another_department_and_another_body_are_refused(login, world, task):
    other = Department.objects.create(body=world.city.body, name="研究室")
    Task.objects.filter(pk=task.pk).update(department=other)
    refused = login(world.zhou).post(f"/ledgers/tasks/{task.pk}/act/report/", {"text": "x"})
    assert refused.status_code == 403 and not task.reports.exists()
    for who in (world.pan, world.lin, world.ma):
        client = login(who)
        assert client.get(task.get_absolute_url()).status_code == 404
        assert client.post(f"/ledgers/tasks/{task.pk}/act/urge/").status_code == 404
    assert login(world.qin).post(f"/ledgers/tasks/{task.pk}/act/complete/").status_code == 403
    task.refresh_from_db()
    assert task.state == "open"


def test_the_board_counts_and_filters(login, world, task):
    page = login(world.qin).get(f"/ledgers/?year={YEAR}&status=behind")
    assert page.status_code == 200
    assert [t.pk for t in page.context["page"]] == [task.pk]  # both milestones passed


def test_the_boards_counts_follow_each_report_and_completion(login, world, task):
    """The statuses behind the counts are kept until the body's next event: each action
    leaves one, so the next look at the board tells the new state."""
    board = login(world.qin)

    def counts() -> dict:
        page = board.get(f"/ledgers/?year={YEAR}")
        return {code: n for code, _label, n in page.context["counts"] if n}

    assert counts() == {"behind": 1}
    perform(task, "report", world.zhou, text="完成三次调研")
    assert counts() == {"on_time": 1}
    perform(task, "return_report", world.zhou, reason="缺少数据")
    assert counts() == {"behind": 1}
    perform(task, "complete", world.zhou)
    assert counts() == {"done": 1}


def test_a_department_reports_from_a_phone(login, world, task):
    client = login(world.zhou)
    listed = client.get(f"/api/ledgers/tasks?mine=true&year={YEAR}").json()["items"]
    assert [t["id"] for t in listed] == [task.pk]
    done = client.post(f"/api/ledgers/tasks/{task.pk}/report", {
        "text": "完成三次调研", "files": [SimpleUploadedFile("照片.pdf", b"%PDF-1.4\n%%EOF\n")]})
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["reports"][0]["files"][0]["name"] == "照片.pdf"
    assert "report" in body["allowed_actions"]
    missing = client.post(f"/api/ledgers/tasks/{task.pk}/report", {"figures": "1"})
    assert missing.status_code == 422
    leader = login(world.qin).post(f"/api/ledgers/tasks/{task.pk}/report", {"text": "x"})
    assert leader.status_code == 403
    other = login(world.pan).get(f"/api/ledgers/tasks/{task.pk}")
    assert other.status_code == 404
    assert task.reports.count() == 1


# --- city → districts ----------------------------------------------------------------------------

NEXT = timezone.localdate().year + 1  # deadlines still ahead, whatever day the tests run


def _assign(client, world, **over):
    return client.post("/ledgers/assignments/new/", {
        "year": NEXT, "title": f"{NEXT}年市县联动工作清单",
        "items": f"联合开展冰雪经济专题调研 | 调研 | {NEXT}-09-30\n"
                 f"报送社情民意信息不少于20篇 | 其他 | {NEXT}-11-30",
        "districts": [world.daoli.body.pk, world.xiangfang.body.pk], **over})


def test_the_city_assigns_a_checklist_and_each_district_gets_its_copy(login, world):
    response = _assign(login(world.zhou), world)
    assert response.status_code == 302
    for district in (world.daoli.body, world.xiangfang.body):
        copies = Task.objects.filter(body=district).order_by("number")
        assert [t.title for t in copies] == ["联合开展冰雪经济专题调研",
                                             "报送社情民意信息不少于20篇"]
        assert all(t.source.body == world.city.body and t.department is None for t in copies)
    assert Notification.objects.filter(recipient=world.pan, title__startswith="市政协交办").exists()


def test_a_district_reports_and_the_city_sees_the_matrix(login, world):
    _assign(login(world.zhou), world)
    copy = Task.objects.get(body=world.daoli.body, number=1)
    district = login(world.pan)
    assert district.post(f"/ledgers/tasks/{copy.pk}/act/report/", {
        "text": "已完成联合调研", "figures": "调研 2 次"}).status_code == 302
    # pan cannot see another district's copy, nor confirm their own as done
    other = Task.objects.get(body=world.xiangfang.body, number=1)
    assert district.get(other.get_absolute_url()).status_code == 404
    assert district.post(f"/ledgers/tasks/{copy.pk}/act/complete/").status_code == 403
    city = login(world.zhou)
    checklist = Ledger.objects.get(body=world.city.body, kind="assignment")
    page = city.get(f"/ledgers/assignments/{checklist.pk}/")
    daoli = dict(page.context["lines"])["道里区政协"]
    assert daoli.index(">推进中</a>") < daoli.index(">未报告</a>")  # item 1 reported, 2 not
    assert page.context["counts"]["not_started"] == 3
    html = page.content.decode()
    assert f'<a href="/ledgers/tasks/{copy.pk}/" class="badge text-bg-primary' in html
    assert html.count(">未报告</a>") == 3
    assert "已完成联合调研" in city.get(copy.get_absolute_url()).content.decode()
    # the city confirms, urges; it has no way to change the district's report
    city.post(f"/ledgers/tasks/{copy.pk}/act/complete/")
    copy.refresh_from_db()
    assert copy.state == "done"
    page = city.get(f"/ledgers/assignments/{checklist.pk}/")  # the kept matrix follows
    assert f'<a href="/ledgers/tasks/{copy.pk}/" class="badge text-bg-success' in \
        page.content.decode() and page.context["counts"]["done"] == 1
    export = city.get(f"/ledgers/assignments/{checklist.pk}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "道里区政协" and rows[1][1] == "已完成"


def test_a_bad_checklist_is_refused_whole(login, world):
    client = login(world.zhou)
    bad = _assign(client, world, items=f"调研 | 考察 | {NEXT}-02-30", title="")
    page = bad.content.decode()
    assert bad.status_code == 400 and "第 1 行应为" in page
    assert _assign(client, world, districts=[]).status_code == 400
    assert not Ledger.objects.exists()
    assert login(world.pan).get("/ledgers/assignments/new/").status_code == 404


def test_a_leader_sees_the_tasks_they_lead_by_name_or_title(login, world, task):
    from lvzhi.core.models import Role, RoleKind
    Task.objects.filter(pk=task.pk).update(leader="秦文远")
    by_title = Task.objects.create(body=world.city.body, ledger=task.ledger, number=2,
                                   title="编发信息专报", category="other", leader="秘书长")
    other = Task.objects.create(body=world.city.body, ledger=task.ledger, number=3,
                                title="举办大讲堂", category="meeting", leader="庞志远")
    client = login(world.qin)
    page = client.get(f"/ledgers/?year={YEAR}&led=1").content.decode()
    assert "我牵头的任务" in page and "专题调研" in page
    assert "编发信息专报" not in page and "举办大讲堂" not in page
    assert "我牵头的进行中任务" in client.get("/").content.decode()
    Role.objects.filter(user=world.qin, kind=RoleKind.LEADER).update(title="秘书长")
    listed = client.get(f"/api/ledgers/tasks?year={YEAR}&led=true").json()["items"]
    assert {t["id"] for t in listed} == {task.pk, by_title.pk}
    assert other.pk not in {t["id"] for t in listed}
    # Staff who lead nothing get no such filter, and the API lists nothing for them.
    staff = login(world.zhou)
    assert "我牵头的任务" not in staff.get(f"/ledgers/?year={YEAR}").content.decode()
    assert staff.get(f"/api/ledgers/tasks?year={YEAR}&led=true").json()["items"] == []


def test_the_progress_table_of_a_month_and_a_quarter(login, world, task, export_file,
                                                    django_capture_on_commit_callbacks):
    from lvzhi.ledgers import progress
    assert (progress.period(f"{YEAR}-Q4").start, progress.period(f"{YEAR}-Q4").end) == (
        D(YEAR, 10, 1), D(YEAR, 12, 31))
    assert progress.period(f"{YEAR}-02").end == D(YEAR, 2, 28)
    assert progress.period("2026-13").code == f"{timezone.localdate():%Y-%m}"  # malformed
    report = ProgressReport.objects.create(body=task.body, task=task, author=world.zhou,
                                           text="完成实地调研三次", figures="调研 3 次")
    ProgressReport.objects.filter(pk=report.pk).update(
        created_at=datetime.datetime(YEAR, 9, 20, 2, tzinfo=datetime.UTC))
    sent_back = ProgressReport.objects.create(body=task.body, task=task, author=world.zhou,
                                              text="退回的报告", returned=True)
    ProgressReport.objects.filter(pk=sent_back.pk).update(
        created_at=datetime.datetime(YEAR, 9, 21, 2, tzinfo=datetime.UTC))
    client = login(world.qin)
    page = client.get(f"/ledgers/progress/?period={YEAR}-Q3").content.decode()
    assert "第三季度" in page and "完成实地调研三次" in page and "9月30日 完成调研" in page
    assert "退回的报告" not in page
    october = client.get(f"/ledgers/progress/?period={YEAR}-10").content.decode()
    assert "完成实地调研三次" not in october and "10月9日 形成报告" in october
    # The Excel and PDF are written in the background (a city's year runs to hundreds of
    # pages): the button queues, the export's page shows it, the requester downloads.
    assert client.get("/ledgers/progress.pdf").status_code == 405  # the button posts
    sheet = load_workbook(io.BytesIO(export_file(
        client, "/ledgers/progress.xlsx", {"period": f"{YEAR}-Q3"}).content)).active
    assert [c.value for c in sheet[1]][:2] == ["序号", "工作任务"]
    assert "完成实地调研三次（调研 3 次）" in sheet.cell(2, 7).value
    pdf = export_file(client, "/ledgers/progress.pdf", {"period": f"{YEAR}-Q3"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "第三季度" in unquote(pdf["Content-Disposition"])
    # Members have none to ask for; another person cannot fetch this one.
    with django_capture_on_commit_callbacks(execute=True):
        assert login(world.lin).post("/ledgers/progress.pdf").status_code == 404
    assert Export.objects.count() == 2  # the Excel and the PDF above, nothing for lin
    mine = Export.objects.filter(kind="ledgers.progress_pdf").get()
    assert login(world.pan).get(f"/exports/{mine.pk}/download/").status_code == 404
    # Members and other bodies' staff have no table of the city's.
    assert login(world.lin).get("/ledgers/progress/").status_code == 404
    pan_page = login(world.pan).get(f"/ledgers/progress/?period={YEAR}-Q3").content.decode()
    assert "完成实地调研三次" not in pan_page


def test_a_district_asks_to_move_a_deadline_and_the_city_decides(login, world):
    from lvzhi.ledgers.models import DeadlineRequest
    _assign(login(world.zhou), world)
    copy = Task.objects.get(body=world.daoli.body, number=1)
    milestone = copy.milestones.get()
    Milestone.objects.filter(pk=milestone.pk).update(reminded_at=timezone.now())
    url = f"/ledgers/tasks/{copy.pk}/act/"
    bad = login(world.pan).post(url + "ask_deadline/", {
        "milestone": milestone.pk, "new_due_on": f"{NEXT + 1}-01-15", "reason": ""})
    page = bad.content.decode()
    assert bad.status_code == 400 and f"在{NEXT}年内" in page and "请填写申请调整的理由" in page
    assert f'value="{NEXT + 1}-01-15"' in page  # kept as typed
    assert not DeadlineRequest.objects.exists()
    # Another district's staff and the city's office cannot ask for Daoli.
    for who in (world.zhou,):
        assert login(who).post(url + "ask_deadline/", {
            "milestone": milestone.pk, "new_due_on": f"{NEXT}-10-31",
            "reason": "x"}).status_code == 403
    assert login(world.pan).post(url + "ask_deadline/", {
        "milestone": milestone.pk, "new_due_on": f"{NEXT}-10-31",
        "reason": "联合调研需等市里统一安排"}).status_code == 302
    assert Notification.objects.filter(recipient=world.zhou,
                                       title__startswith="申请调整时间节点").exists()
    again = login(world.pan).post(url + "ask_deadline/", {
        "milestone": milestone.pk, "new_due_on": f"{NEXT}-11-30", "reason": "再调"})
    assert again.status_code == 409
    # The district cannot approve its own request; the city refuses only with a reason.
    assert login(world.pan).post(url + "decide_deadline/", {"approve": "1"}).status_code == 403
    city = login(world.zhou)
    assert city.post(url + "decide_deadline/", {"approve": "0"}).status_code == 400
    assert city.post(url + "decide_deadline/", {"approve": "1", "answer": "同意"}
                     ).status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == D(NEXT, 10, 31) and milestone.reminded_at is None
    assert DeadlineRequest.objects.get().state == "approved"
    assert Notification.objects.filter(recipient=world.pan,
                                       title__startswith="同意调整时间节点").exists()
    assert [e.action for e in history(copy)][-2:] == ["ask_deadline", "decide_deadline"]


def test_a_deadline_change_from_a_phone(login, world):
    _assign(login(world.zhou), world)
    copy = Task.objects.get(body=world.daoli.body, number=2)
    milestone = copy.milestones.get()
    client = login(world.pan)
    response = client.post(f"/api/ledgers/tasks/{copy.pk}/deadline", {
        "milestone_id": milestone.pk, "new_due_on": f"{NEXT}-12-20", "reason": "信息报送延后"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    wrong = client.post(f"/api/ledgers/tasks/{copy.pk}/deadline", {
        "milestone_id": 999999, "new_due_on": f"{NEXT}-12-20", "reason": "x"},
        content_type="application/json")
    assert wrong.status_code == 400 and "请选择本任务的时间节点" in wrong.json()["message"]


def test_departments_are_scored_ranked_and_exported(login, world, task):
    from lvzhi.ledgers.models import DepartmentScore
    other = Department.objects.create(body=world.city.body, name="研究室")
    Task.objects.create(body=world.city.body, ledger=task.ledger, number=2, title="编发专报",
                        category="other", department=other, state=Task.State.DONE)
    Task.objects.create(body=world.city.body, ledger=task.ledger, number=3, title="取消的",
                        category="other", department=other, state=Task.State.CANCELLED)
    # The task fixture's department: one task, open, both milestones in the past -> behind.
    Milestone.objects.filter(task=task).update(due_on=D(YEAR, 1, 5))
    dept = world.city.department
    client = login(world.zhou)
    url = f"/ledgers/departments/?year={YEAR}"
    bad = client.post(url, {f"quality_{dept.pk}": "41", f"instructions_{dept.pk}": "x",
                            f"quality_{other.pk}": "30", f"note_{other.pk}": "材料扎实"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "工作质量分应在 0 到 40 之间" in page
    assert "领导批示或表扬项数应为" in page and 'value="41"' in page and "材料扎实" in page
    assert not DepartmentScore.objects.exists()
    assert client.post(url, {f"quality_{dept.pk}": "35", f"instructions_{dept.pk}": "7",
                             f"quality_{other.pk}": "30", f"instructions_{other.pk}": "1",
                             f"note_{other.pk}": "材料扎实"}).status_code == 302
    scores = {s.department_id: s for s in DepartmentScore.objects.all()}
    # dept: 0 of 1 done -> 0; quality 35; bonus min(10, 7 × 2) = 10; one behind -> -2: 43
    # other: 1 of 1 done (the cancelled left out) -> 60; 30; 2; 0: 92
    assert (scores[dept.pk].total, scores[dept.pk].rank) == (43, 2)
    assert (scores[other.pk].total, scores[other.pk].rank, scores[other.pk].tasks) == (92, 1, 1)
    sheet = load_workbook(io.BytesIO(client.get(
        f"/ledgers/departments.xlsx?year={YEAR}").content)).active
    assert [c.value for c in sheet[2]][:2] == [1, "研究室"]
    pdf = client.get(f"/ledgers/departments.pdf?year={YEAR}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Leaders read it; they and other bodies' staff cannot score.
    assert "材料扎实" in login(world.qin).get(url).content.decode()
    assert login(world.qin).post(url, {f"quality_{dept.pk}": "40"}).status_code == 404
    login(world.pan).post(url, {f"quality_{dept.pk}": "40"})
    assert DepartmentScore.objects.get(department=dept).quality == 35


def test_the_office_links_a_task_to_plan_items_and_activities_and_attaches_files(
        login, world, task):
    from lvzhi.activities.models import AnnualPlan, PlanItem
    from lvzhi.activities.tests.conftest import make_activity
    plan = AnnualPlan.objects.create(body=world.city.body, year=YEAR, title="协商计划")
    item = PlanItem.objects.create(body=world.city.body, plan=plan, kind="research",
                                   topic="冰雪经济发展")
    other_plan = AnnualPlan.objects.create(body=world.daoli.body, year=YEAR, title="道里计划")
    foreign = PlanItem.objects.create(body=world.daoli.body, plan=other_plan, kind="research",
                                      topic="道里议题")
    url = f"/ledgers/tasks/{task.pk}/act/"
    client = login(world.zhou)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "冰雪经济发展" in page and "道里议题" not in page
    assert client.post(url + "link/", {"choice": f"plan_item:{item.pk}"}).status_code == 302
    refused = client.post(url + "link/", {"choice": f"plan_item:{foreign.pk}"})
    assert refused.status_code == 400 and "本政协本年度的年度工作要点事项" in \
        refused.content.decode()
    assert client.post(url + "link/", {"choice": f"plan_item:{item.pk}"}).status_code == 409
    assert client.post(url + "link/", {"choice": "nothing:1"}).status_code == 400
    activity = make_activity(world)
    if activity.starts_at.year == YEAR:
        client.post(url + "link/", {"choice": f"activity:{activity.pk}"})
    page = client.get(task.get_absolute_url()).content.decode()
    assert "冰雪经济发展" in page and "取消关联冰雪经济发展" in page
    response = client.post(url + "attach/", {"files": [
        SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4\n%%EOF\n")]})
    assert response.status_code == 302
    assert "实施方案.pdf" in client.get(task.get_absolute_url()).content.decode()
    # A member and another body's staff can do neither.
    for who in (world.lin, world.pan):
        login(who).post(url + "link/", {"choice": f"activity:{activity.pk}"})
        login(who).post(url + "unlink/", {"link": task.links.first().pk})
    assert task.links.count() == (2 if activity.starts_at.year == YEAR else 1)
    link = task.links.get(content_type__model="planitem")
    client = login(world.zhou)
    client.post(url + "unlink/", {"link": link.pk})
    assert not task.links.filter(pk=link.pk).exists()
    assert [e.action for e in history(task)][-1] == "unlink"
