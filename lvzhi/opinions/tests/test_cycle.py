"""End to end: an information officer's report in Xiangfang, adopted there, forwarded to
the city, adopted again, forwarded to the national level and instructed on."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.models import Notification
from lvzhi.duties.models import DutyFact
from lvzhi.opinions import points
from lvzhi.opinions.models import PointsTable, Report
from lvzhi.opinions.tests.conftest import REPORT
from lvzhi.opinions.workflow import combine, perform, publish_issue, save_draft, today

pytestmark = pytest.mark.django_db(transaction=True)
S = Report.State


def submitted(user, body, **extra):
    return perform(save_draft(user, body, {**REPORT, **extra}), "submit", user)


def test_from_a_street_officer_to_a_national_instruction(world, xf_staff):
    han, xf, city = world.han, world.xiangfang.body, world.city.body
    r = submitted(han, xf)
    assert (r.state, r.affiliation, r.member) == (S.SUBMITTED, "和平路街道", None)
    r = perform(r, "adopt", xf_staff)
    assert (r.state, r.adopted_as, r.edited_title) == (S.ADOPTED, "single", REPORT["title"])
    perform(r, "edit", xf_staff, title="背街小巷积雪亟待清理", text="编辑后的正文。")
    assert Report.objects.get(pk=r.pk).situation == REPORT["situation"]  # original kept
    r = perform(r, "forward", xf_staff, level="city")
    copy = Report.objects.get(body=city)
    assert (copy.state, copy.forwarded_from, copy.reporter) == (S.SUBMITTED, r, han)
    assert copy.title == "背街小巷积雪亟待清理"
    # the city adopts it again and sends it on to the national level
    copy = perform(copy, "adopt", world.zhou)
    perform(copy, "forward", world.zhou, level="province")
    perform(copy, "forward", world.zhou, level="national")
    perform(copy, "record_outcome", world.zhou, level="national", adopted="1",
            comment="全国政协《社情民意信息》采用")
    perform(copy, "instruct", world.zhou, leader="国务院有关领导", level="national",
            date=today().isoformat(), text="请有关部门研究。")
    titles = list(Notification.objects.filter(recipient=han).values_list("title", flat=True))
    assert "您的信息已被香坊区政协录用" in titles
    assert "您的信息已被市政协录用" in titles
    assert "您的信息获国务院有关领导批示" in titles
    # each level's adoption is recorded separately, and the reporter is credited for all
    table = points.table_for(xf, today().year)
    [line] = points.ranking(xf, *points.period(today().year))
    expected = (table.submitted + table.adopted_single + table.adopted_city
                + table.adopted_national + table.instruction_national)
    assert line.raw == expected
    assert line.points == min(expected, table.yearly_cap)
    assert [e.action for e in history(copy)] == ["received", "adopt", "forward", "forward",
                                                 "record_outcome", "instruct"]


def test_member_report_records_duty_facts(world):
    r = submitted(world.lin, world.city.body)
    perform(r, "adopt", world.zhou)
    perform(r, "instruct", world.zhou, leader="市委书记", level="city",
            date=today().isoformat(), text="阅。")
    kinds = set(DutyFact.objects.filter(member__user=world.lin).values_list("kind", flat=True))
    assert kinds == {"opinion_submitted", "opinion_adopted", "opinion_instruction_city"}


def test_combined_report_keeps_every_reporters_credit(world):
    a = submitted(world.lin, world.city.body)
    b = submitted(world.gao, world.city.body, title="关于清雪的又一条反映")
    combined = combine([a, b], world.zhou, "冬季清雪问题综合反映", "综合正文。")
    assert combined.sources.count() == 2
    for r in (a, b):
        r.refresh_from_db()
        assert (r.state, r.adopted_as) == (S.ADOPTED, "combined")
    perform(combined, "instruct", world.zhou, leader="市长", level="city",
            date=today().isoformat(), text="请城管局落实。")
    lines = {line.name: line for line in points.ranking(world.city.body,
                                                        *points.period(today().year))}
    t = points.table_for(world.city.body, today().year)
    for name in ("林晓岚", "高振东"):
        assert lines[name].raw == t.submitted + t.adopted_combined + t.instruction_city
    issue = publish_issue(world.city.body, world.zhou, [combined], world.zhou, world.qin)
    assert (issue.year, issue.number) == (today().year, 1)
    a.refresh_from_db()
    assert (a.state, a.issue) == (S.PUBLISHED, issue)
    with pytest.raises(Refusal, match="已编入综合稿"):
        publish_issue(world.city.body, world.zhou, [b], world.zhou, world.qin)


def test_issue_numbers_run_per_year(world):
    reports = [perform(submitted(world.lin, world.city.body, title=f"信息{i}"), "adopt",
                       world.zhou) for i in range(3)]
    first = publish_issue(world.city.body, world.zhou, reports[:1], world.zhou, world.qin)
    second = publish_issue(world.city.body, world.zhou, reports[1:], world.zhou, world.qin)
    assert (first.number, second.number) == (1, 2)
    assert Report.objects.filter(issue=second).count() == 2


def test_points_are_capped_per_person_per_year(world):
    PointsTable.objects.create(body=world.city.body, year=today().year, yearly_cap=5)
    for i in range(3):
        perform(submitted(world.lin, world.city.body, title=f"信息{i}"), "adopt", world.zhou)
    [line] = points.ranking(world.city.body, *points.period(today().year))
    assert (line.submitted, line.adopted, line.raw, line.points) == (3, 3, 12, 5)


def test_bulletin_ranks_reporters_sectors_and_units(login, world):
    for i in range(2):
        perform(submitted(world.gao, world.city.body, title=f"高{i}"), "adopt", world.zhou)
    submitted(world.lin, world.city.body)
    client = login(world.zhou)
    page = client.get(f"/opinions/bulletin/?year={today().year}")
    assert [line.name for line in page.context["people"]] == ["高振东", "林晓岚"]
    assert [line.name for line in page.context["sectors"]] == ["经济界", "民盟"]
    month = client.get(f"/opinions/bulletin/?year={today().year}&month={today().month}")
    assert len(month.context["people"]) == 2
    other = today().month % 12 + 1  # another month of the year: nothing reported then
    assert client.get(f"/opinions/bulletin/?year={today().year}&month={other}")\
        .context["people"] == []
    xlsx = client.get(f"/opinions/bulletin.xlsx?year={today().year}")
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb["报送人"].iter_rows(values_only=True))
    assert rows[0] == ("名次", "报送人", "界别", "报送", "录用", "积分")
    assert rows[1][:5] == (1, "高振东", "经济界", 2, 2)
    assert client.get("/opinions/bulletin/?month=13").status_code == 302


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_issue_and_bulletin_pdfs(login, world):
    r = perform(submitted(world.lin, world.city.body), "adopt", world.zhou)
    issue = publish_issue(world.city.body, world.zhou, [r], world.zhou, world.qin)
    client = login(world.zhou)
    for url, words in ((f"/opinions/issues/{issue.pk}.pdf", ["社情民意", "背街小巷", "签发"]),
                       (f"/opinions/bulletin.pdf?year={today().year}", ["通报", "林晓岚"])):
        text = subprocess.run(["pdftotext", "-", "-"], input=client.get(url).content,
                              capture_output=True, check=True).stdout.decode()
        for word in words:
            assert word in text


def test_queue_export_and_filters(login, world, export_file):
    submitted(world.lin, world.city.body)
    submitted(world.gao, world.city.body, title="另一条", category="health")
    client = login(world.zhou)
    page = client.get("/opinions/office/?category=health")
    assert [r.title for r in page.context["page"]] == ["另一条"]
    page = client.get("/opinions/office/?reporter=林晓岚")
    assert [r.reporter for r in page.context["page"]] == ["林晓岚"]
    exported = export_file(client, "/opinions/office/export.xlsx")
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert {r[1] for r in rows[1:]} == {REPORT["title"], "另一条"}


def test_the_queue_counts_a_new_report_at_once(login, world):
    """The queue keeps its count until the body's next event: a submission is one."""
    submitted(world.lin, world.city.body)
    client = login(world.zhou)
    assert "共 1 篇" in client.get("/opinions/office/").content.decode()
    submitted(world.gao, world.city.body, title="另一条")
    assert "共 2 篇" in client.get("/opinions/office/").content.decode()
    submitted(world.han, world.xiangfang.body, title="区里的一条")  # another body's queue
    assert "共 2 篇" in client.get("/opinions/office/").content.decode()


def test_the_queue_rows_escape_what_members_wrote(login, world):
    submitted(world.lin, world.city.body, title='<img src=x onerror="alert(1)">路灯')
    html = login(world.zhou).get("/opinions/office/").content.decode()
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;路灯" in html
    assert "<img src=x" not in html


def test_city_oversight_sees_district_totals(login, world, xf_staff):
    perform(submitted(world.han, world.xiangfang.body), "adopt", xf_staff)
    page = login(world.yuan).get("/opinions/stats/")
    assert page.status_code == 200
    assert {row["body__short_name"]: row["adopted"] for row in page.context["per_body"]} == {
        "香坊区政协": 1}


def test_city_oversight_tells_the_districts_sectors_apart_in_the_queue(login, world):
    html = login(world.yuan).get("/opinions/office/").content.decode()
    assert f'<option value="{world.daoli.sector.pk}">民盟（道里区政协）</option>' in html
    assert f'<option value="{world.xiangfang.sector.pk}">民盟（香坊区政协）</option>' in html
    assert "民盟（" not in login(world.zhou).get("/opinions/office/").content.decode()
    ledger = login(world.yuan).get("/proposals/office/").content.decode()  # the same there
    assert f'<option value="{world.daoli.sector.pk}">民盟（道里区政协）</option>' in ledger


def test_stats_for_the_office(login, world):
    r = submitted(world.lin, world.city.body)
    perform(r, "adopt", world.zhou)
    submitted(world.gao, world.city.body)
    page = login(world.zhou).get("/opinions/stats/")
    assert (page.context["total"], page.context["adopted"], page.context["rate"]) == \
        (2, 1, "50.0%")




def test_the_reporter_sees_one_report_with_every_levels_outcome(login, world, xf_staff):
    """A Xiangfang member's report, forwarded to the city, adopted there and given a
    national instruction on the city's copy: all of it on the original, listed once."""
    from lvzhi.opinions.models import Report as R
    original = perform(perform(save_draft(world.wu, world.xiangfang.body, dict(REPORT)),
                               "submit", world.wu), "adopt", xf_staff)
    perform(original, "forward", xf_staff, level="city")
    copy = R.objects.get(forwarded_from=original)
    perform(copy, "adopt", world.zhou)
    perform(copy, "instruct", world.zhou, level="national", leader="某领导",
            date=today().isoformat(), text="请有关部门研究。")
    client = login(world.wu)
    page = client.get(f"/opinions/{original.pk}/").content.decode()
    assert "市政协：已录用" in page and "某领导" in page and "请有关部门研究。" in page
    mine = client.get("/opinions/").content.decode()
    assert mine.count(f"/opinions/{copy.pk}/") == 0 and f"/opinions/{original.pk}/" in mine
    outcomes = client.get(f"/api/opinions/{original.pk}").json()["outcomes"]
    assert {"level": "city", "level_label": "市级", "outcome": "adopted",
            "outcome_label": "已录用", "text": ""} in outcomes
    assert {"level": "national", "level_label": "全国", "outcome": "instruction",
            "outcome_label": "领导批示", "text": "某领导：请有关部门研究。"} in outcomes
    assert [r["id"] for r in client.get("/api/opinions/mine").json()["items"]] == \
        [original.pk]


def test_a_report_page_shows_co_reporters_sources_and_where_it_went(login, world):
    a = submitted(world.lin, world.city.body)
    a.co_reporters.add(world.gao.memberships.get())
    b = submitted(world.gao, world.city.body, title="关于清雪的又一条反映")
    combined = combine([a, b], world.zhou, "冬季清雪问题综合反映", "综合正文。")
    perform(combined, "instruct", world.zhou, leader="市长", level="city",
            date=today().isoformat(), text="请城管局落实。")
    client = login(world.zhou)
    page = client.get(f"/opinions/{a.pk}/").content.decode()
    assert "联名：高振东" in page and "编入综合稿：" in page and "冬季清雪问题综合反映" in page
    page = client.get(f"/opinions/{combined.pk}/").content.decode()
    assert page.count("综合来源：") == 2 and "（林晓岚）" in page and "（高振东）" in page
    assert "市长" in page and "请城管局落实。" in page and "联名：" not in page
