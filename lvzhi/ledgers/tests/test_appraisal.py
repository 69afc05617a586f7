"""考核评价: the city's yearly evaluation of its districts — the scheme, self-assessment,
the city's scoring with the platform's figures, the extra-points cap, approval, ranking,
the 通报 letter, and who may see and do what."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from django.utils import timezone

from lvzhi.core.models import Body, Notification
from lvzhi.ledgers import appraisal as A
from lvzhi.ledgers.models import DistrictAppraisal, DistrictScore, Ledger, Task

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
SCHEME = "任务交办完成情况 | 60 | checklist_done | 100\n自身建设 | 40 | |"


def start(login, world, scheme=SCHEME, cap="20"):
    return login(world.zhou).post("/ledgers/appraisals/", {
        "year": YEAR, "scheme": scheme, "extra_cap": cap, "self_until": f"{YEAR}-12-20"})


@pytest.fixture
def appraisal(login, world) -> DistrictAppraisal:
    assert start(login, world).status_code == 302
    return DistrictAppraisal.objects.get()


def sheet(world, appraisal, district) -> DistrictScore:
    return appraisal.scores.get(body=getattr(world, district).body)


def test_the_city_starts_the_year_and_every_district_is_asked(world, appraisal):
    assert appraisal.items == [
        {"code": "i1", "label": "任务交办完成情况", "points": 60.0, "figure": "checklist_done",
         "target": 100.0},
        {"code": "i2", "label": "自身建设", "points": 40.0, "figure": "", "target": 0.0}]
    assert appraisal.scores.count() == 2  # 道里, 香坊
    assert Notification.objects.filter(recipient=world.pan, title__contains="自评").exists()


@pytest.mark.parametrize("scheme, message", [
    ("任务交办 | 60 | checklist_done | 100\n自身建设 | 30", "合计应为 100 分"),
    ("任务交办 | 60 | no_such_figure | 100\n自身建设 | 40", "平台数据“no_such_figure”不存在"),
    ("任务交办 | 60 | checklist_done\n自身建设 | 40", "须填写目标值"),
    ("任务交办六十分", "第 1 行应为"),
])
def test_a_bad_scheme_is_refused_with_what_was_typed(login, world, scheme, message):
    response = start(login, world, scheme)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert scheme.splitlines()[0] in page  # kept as typed
    assert not DistrictAppraisal.objects.exists()


def test_a_cap_out_of_range_and_a_second_start_are_refused(login, world, appraisal):
    response = start(login, world, cap="-5")
    page = response.content.decode()
    assert response.status_code == 400 and "加分上限应在 0 到 100 分之间" in page
    assert "已经开始" in page
    assert DistrictAppraisal.objects.count() == 1


def test_only_the_city_office_starts_one(login, world):
    for who in ("pan", "lin", "qin"):
        response = login(getattr(world, who)).post("/ledgers/appraisals/", {
            "year": YEAR, "scheme": SCHEME, "extra_cap": "20"})
        assert response.status_code == 404
    assert not DistrictAppraisal.objects.exists()


def test_the_whole_year_from_self_assessment_to_the_letter(login, world, appraisal):
    # Daoli finished one of the two items the city assigned it: 50 % of the checklist.
    ledger = Ledger.objects.create(body=world.daoli.body, year=YEAR, title="交办",
                                   kind=Ledger.LedgerKind.ASSIGNMENT)
    for n, state in enumerate((Task.State.DONE, Task.State.OPEN), 1):
        source = Task.objects.create(body=world.city.body, ledger=ledger, number=n,
                                     title=f"事项{n}", category="research")
        Task.objects.create(body=world.daoli.body, ledger=ledger, number=n, title=f"事项{n}",
                            category="research", source=source, state=state)
    daoli, xiangfang = sheet(world, appraisal, "daoli"), sheet(world, appraisal, "xiangfang")
    response = login(world.pan).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/self_assess/", {
        "self_i1": "55", "self_i2": "38", "self_extra": "6", "self_note": "全年完成交办事项"})
    assert response.status_code == 302
    page = login(world.pan).get(f"/ledgers/appraisals/sheets/{daoli.pk}/").content.decode()
    assert "99" in page and "全年完成交办事项" in page
    login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/start_scoring/")
    # The self-assessment is closed now.
    late = login(world.pan).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/self_assess/", {
        "self_i1": "60", "self_i2": "40", "self_extra": "0"})
    assert late.status_code == 409 and "自评已结束" in late.content.decode()
    page = login(world.zhou).get(f"/ledgers/appraisals/sheets/{daoli.pk}/").content.decode()
    assert "交办事项完成率：50%" in page and "建议 30 分" in page  # 50 % of 60 points
    login(world.zhou).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/score/", {
        "score_i1": "30", "score_i2": "36", "note_i2": "宣传工作有亮点", "extra": "20",
        "extra_note": "获全国表彰"})
    login(world.zhou).post(f"/ledgers/appraisals/sheets/{xiangfang.pk}/act/score/", {
        "score_i1": "60", "score_i2": "26", "extra": "0"})
    # Approval: every district scored, the meeting named; it ranks the districts.
    refused = login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/approve/", {
        "meeting": "", "approved_on": str(timezone.localdate())})
    assert refused.status_code == 400 and "请填写审定的会议" in refused.content.decode()
    login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/approve/", {
        "meeting": "市政协主席会议", "approved_on": str(timezone.localdate()),
        "document": "哈政协发〔2026〕9号"})
    daoli.refresh_from_db()
    xiangfang.refresh_from_db()
    assert (daoli.total, daoli.rank, xiangfang.total, xiangfang.rank) == (86, 1, 86, 1)
    assert daoli.figures == {"checklist_done": 50.0}
    # Before the 通报 a district sees neither the city's scores nor its letter.
    before = login(world.pan).get(f"/ledgers/appraisals/sheets/{daoli.pk}/").content.decode()
    assert "宣传工作有亮点" not in before and "结果通报" not in before
    letter_url = f"/ledgers/appraisals/sheets/{daoli.pk}/letter.pdf"
    assert login(world.pan).get(letter_url).status_code == 404
    login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/publish/")
    assert Notification.objects.filter(recipient=world.pan, title__contains="已通报").exists()
    after = login(world.pan).get(f"/ledgers/appraisals/sheets/{daoli.pk}/").content.decode()
    assert "宣传工作有亮点" in after and "第 1 名" in after
    ranking = login(world.pan).get(f"/ledgers/appraisals/{appraisal.pk}/").content.decode()
    assert "香坊区政协" in ranking  # the ranking, once published
    letter = login(world.pan).get(f"/ledgers/appraisals/sheets/{daoli.pk}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):  # poppler-utils: installed by .ci/run
        text = subprocess.run(["pdftotext", "-", "-"], input=letter.content,
                              capture_output=True, check=True).stdout.decode()
        assert "中共道里区委" in text and "第 1 名" in text and "哈政协发" in text


def test_scores_are_held_to_each_item_and_the_extras_to_the_cap(login, world, appraisal):
    daoli = sheet(world, appraisal, "daoli")
    response = login(world.pan).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/self_assess/", {
        "self_i1": "60.5", "self_i2": "abc", "self_extra": "20.1", "self_note": "说明"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“任务交办完成情况”的得分应在 0 到 60 分之间" in page
    assert "“自身建设”的得分应在 0 到 40 分之间" in page and "加分应在 0 到 20 分之间" in page
    assert 'value="60.5"' in page and 'value="abc"' in page  # as typed
    daoli.refresh_from_db()
    assert daoli.state == DistrictScore.State.PENDING and daoli.self_scores == {}
    # Exactly at the edges is fine.
    login(world.pan).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/self_assess/", {
        "self_i1": "60", "self_i2": "0", "self_extra": "20"})
    daoli.refresh_from_db()
    assert A.total(appraisal, daoli.self_scores, daoli.self_extra) == 80


def test_districts_see_only_their_own_sheet_and_cannot_score(login, world, appraisal):
    daoli, xiangfang = sheet(world, appraisal, "daoli"), sheet(world, appraisal, "xiangfang")
    assert login(world.pan).get(f"/ledgers/appraisals/sheets/{xiangfang.pk}/").status_code == 404
    assert login(world.pan).post(f"/ledgers/appraisals/sheets/{xiangfang.pk}/act/self_assess/", {
        "self_i1": "1", "self_i2": "1", "self_extra": "0"}).status_code == 404
    page = login(world.pan).get(f"/ledgers/appraisals/{appraisal.pk}/").content.decode()
    assert "香坊区政协" not in page  # no ranking before the 通报
    login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/start_scoring/")
    refused = login(world.pan).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/score/", {
        "score_i1": "60", "score_i2": "40", "extra": "20"})
    assert refused.status_code == 403
    approve = f"/ledgers/appraisals/{appraisal.pk}/act/approve/"
    assert login(world.pan).post(approve).status_code == 403
    # The city's office cannot self-assess for a district either.
    assert login(world.zhou).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/self_assess/", {
        "self_i1": "60", "self_i2": "40", "self_extra": "0"}).status_code == 403
    daoli.refresh_from_db()
    assert daoli.scores == {} and daoli.self_scores == {}
    # A city member without a role reads nothing.
    assert login(world.lin).get(f"/ledgers/appraisals/{appraisal.pk}/").status_code == 404


def test_approval_waits_for_every_district(login, world, appraisal):
    login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/start_scoring/")
    daoli = sheet(world, appraisal, "daoli")
    login(world.zhou).post(f"/ledgers/appraisals/sheets/{daoli.pk}/act/score/",
                           {"score_i1": "50", "score_i2": "30", "extra": "0"})
    response = login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/approve/", {
        "meeting": "主席会议", "approved_on": str(timezone.localdate())})
    assert response.status_code == 409 and "香坊区政协" in response.content.decode()
    future = login(world.zhou).post(f"/ledgers/appraisals/{appraisal.pk}/act/approve/", {
        "meeting": "主席会议", "approved_on": str(timezone.localdate()
                                                + datetime.timedelta(days=3))})
    assert future.status_code == 409  # still waiting for 香坊 before the date is looked at
    appraisal.refresh_from_db()
    assert appraisal.state == DistrictAppraisal.State.SCORING


def test_ranks_share_a_place_and_skip_the_next(world, appraisal):
    totals = [90, 85, 85, 70]
    extra = [Body.objects.create(code=f"d{i}", name=f"区{i}", short_name=f"区{i}",
                                 level=Body.Level.DISTRICT, parent=world.city.body)
             for i in range(2)]
    for body in extra:
        DistrictScore.objects.create(body=body, appraisal=appraisal)
    for row, total in zip(appraisal.scores.order_by("pk"), totals, strict=True):
        row.total = total
        row.save()
    A.rank(appraisal)
    assert list(appraisal.scores.order_by("-total").values_list("rank", flat=True)) == [
        1, 2, 2, 4]


def test_the_figures_come_from_each_app(world):
    from lvzhi.core import figures
    assert {"proposals_filed", "proposals_replied", "reports_adopted", "reports_forwarded",
            "activities_held", "attendance", "checklist_done"} <= set(figures.FIGURES)
    values = figures.figures_of(world.daoli.body.pk, YEAR)
    assert all(v == 0 for v in values.values())  # nothing yet, and no division by zero
