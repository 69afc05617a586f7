"""The duty record end to end: facts from the apps and their withdrawal, declarations,
the office's table and rules, at-risk notices, corrections and the year close."""

from __future__ import annotations

import datetime
import html
import io
import re
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from lvzhi.core.models import Notification
from lvzhi.duties import kinds, services
from lvzhi.duties.models import (
    Declaration,
    DutyFact,
    EvaluationYear,
    MemberEvaluation,
    RuleSet,
)
from lvzhi.proposals.workflow import perform

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = timezone.localdate()


def seat(user):
    return user.memberships.get()


def year_of(user) -> int:
    return services.year_of(seat(user).body_id, TODAY)


def _declare(client, **over):
    data = {"kind": "article", "title": "发表文章", "occurred_on": TODAY.isoformat(),
            "files": [SimpleUploadedFile("证明.pdf", PDF)], **over}
    return client.post("/duties/declare/", data)


def test_a_withdrawn_proposal_takes_its_fact_back_and_the_record_keeps_it(world, proposal):
    lin = seat(world.lin)
    fact = DutyFact.objects.get(member=lin, kind="proposal_submitted")
    assert fact.data["title"] == proposal.title
    perform(proposal, "withdraw", world.lin)
    fact.refresh_from_db()
    assert fact.withdrawn_at is not None and fact.withdrawn_reason == "提案已撤回"
    services.recompute(lin.body_id, year_of(world.lin))
    result = MemberEvaluation.objects.get(member=lin, year=year_of(world.lin))
    assert "proposals" not in result.categories


def test_the_member_sees_their_standing_every_fact_and_its_source(login, world, proposal):
    page = login(world.lin).get("/duties/").content.decode()
    assert "我的履职" in page and "基本履职要求" in page
    assert "提交提案" in page and proposal.title in page
    assert proposal.get_absolute_url() in page


def test_a_declared_duty_counts_once_the_office_confirms_it(login, world):
    member = login(world.lin)
    assert _declare(member).status_code == 302
    row = Declaration.objects.get()
    assert row.state == "pending" and not DutyFact.objects.filter(kind="declared_article")
    office = login(world.zhou)
    assert "发表文章" in office.get("/duties/office/declarations/").content.decode()
    office.post(f"/duties/declarations/{row.pk}/act/confirm/")
    row.refresh_from_db()
    assert row.state == "confirmed"
    assert DutyFact.objects.filter(kind="declared_article", member=seat(world.lin)).exists()
    assert Notification.objects.filter(recipient=world.lin,
                                       title__startswith="履职申报已确认").exists()


def test_the_office_table_counts_what_waits_and_offers_a_new_committee_at_once(login, world):
    """The waiting declarations and the committee options are kept between views (until
    the body's next event, until the setup changes): a new declaration, its confirmation
    and a new committee show on the next view."""
    from lvzhi.core.models import SpecialCommittee

    assert login(world.zhou).get("/duties/office/").context["pending"] == 0
    _declare(login(world.lin))
    office = login(world.zhou)
    assert office.get("/duties/office/").context["pending"] == 1
    office.post(f"/duties/declarations/{Declaration.objects.get().pk}/act/confirm/")
    assert office.get("/duties/office/").context["pending"] == 0
    SpecialCommittee.objects.create(body=world.city.body, name="港澳台侨和外事委员会")
    assert "港澳台侨和外事委员会" in office.get("/duties/office/").content.decode()
    assert "港澳台侨和外事委员会" not in login(world.pan).get("/duties/office/").content.decode()


def test_a_refusal_needs_a_reason_and_counts_nothing(login, world):
    _declare(login(world.lin))
    row = Declaration.objects.get()
    office = login(world.zhou)
    bare = office.post(f"/duties/declarations/{row.pk}/act/refuse/", {"reason": ""})
    assert bare.status_code == 400 and "请填写不予确认的理由" in bare.content.decode()
    office.post(f"/duties/declarations/{row.pk}/act/refuse/", {"reason": "材料不足"})
    row.refresh_from_db()
    assert (row.state, row.reason) == ("refused", "材料不足")
    assert not DutyFact.objects.filter(kind__startswith="declared_").exists()


def test_a_declaration_refused_marks_every_field_and_keeps_what_was_typed(login, world):
    response = login(world.lin).post("/duties/declare/", {
        "kind": "award", "level": "", "title": "获奖事项", "occurred_on": "2099-01-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "表彰奖励请选择级别" in page and "日期不能晚于今天" in page
    assert "请上传至少一份证明材料" in page and 'value="获奖事项"' in page
    assert not Declaration.objects.exists()


def test_another_member_and_another_bodys_staff_cannot_see_or_decide(login, world):
    _declare(login(world.lin))
    row = Declaration.objects.get()
    for other in (world.gao, world.pan, world.dong):
        client = login(other)
        assert client.get(f"/duties/declarations/{row.pk}/").status_code == 404
        assert client.post(f"/duties/declarations/{row.pk}/act/confirm/").status_code == 404
        assert client.get(f"/duties/members/{seat(world.lin).pk}/").status_code == 404
    refused = login(world.lin).post(f"/duties/declarations/{row.pk}/act/confirm/")
    assert refused.status_code == 403  # the declarant cannot confirm their own
    row.refresh_from_db()
    assert row.state == "pending"


def test_two_unexcused_absences_warn_the_member_once(world, settings):
    lin = seat(world.lin)
    for kind in ("activity_plenary_absent", "activity_standing_absent"):
        services.record_fact(lin, kind, world.city.body, TODAY)
    year = year_of(world.lin)
    services.recompute(lin.body_id, year)  # after a change: listed, nobody told yet
    assert not Notification.objects.filter(recipient=world.lin, title__contains="无故缺席")
    assert MemberEvaluation.objects.get(member=lin, year=year).at_risk
    services.recompute(lin.body_id, year, warn=True)  # the daily run tells
    services.recompute(lin.body_id, year, warn=True)  # again: no second notice
    notes = Notification.objects.filter(recipient=world.lin, title__contains="无故缺席")
    assert notes.count() == 1
    assert Notification.objects.filter(recipient=world.zhou,
                                       title__contains="履职预警名单").count() >= 1


def test_the_office_table_filters_and_exports(login, world, proposal, export_file):
    office = login(world.zhou)
    page = office.get("/duties/office/").content.decode()
    assert "林晓岚" in page and "高振东" in page
    only = office.get("/duties/office/", {"q": "林"}).content.decode()
    assert "林晓岚" in only and "高振东" not in only
    sectors = office.get("/duties/office/", {"sectors": "1"}).context["by_sector"]
    assert {name for name, _counts in sectors} >= {"民盟"}
    page = office.get("/duties/office/", {"q": "林"}).content.decode()
    button = re.search(r'action="(/duties/office/export\.xlsx\?[^"]*)"', page)
    assert button and "q=" in button.group(1), "the page's 导出 button carries its filters"
    export = export_file(office, html.unescape(button.group(1)))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["林晓岚"]  # the page's filter, in the background
    assert quote("年度履职考核.xlsx") in export["Content-Disposition"]
    assert login(world.pan).get("/duties/office/", {"body": world.city.body.pk}) \
        .context["body"] == world.daoli.body  # another body's id falls back to their own


def test_the_rules_page_saves_a_new_version_and_recomputes(login, world):
    office = login(world.zhou)
    year = year_of(world.lin)
    form = office.get("/duties/rules/").context["form"]
    data = {name: field.initial for name, field in form.fields.items()
            if field.initial not in (None, [], "")}
    data.update({"pt_activity_plenary_present": "50", "at_risk_on": f"{year}-10-01",
                 "cutoff": f"{year}-12-20"})
    response = office.post("/duties/rules/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = RuleSet.objects.filter(body=world.city.body, year=year).first()
    assert newest.version == 2 and newest.points["activity_plenary_present"] == 50
    bad = office.post("/duties/rules/", {**data, "band_good": "95"})
    assert bad.status_code == 400 and "等次分数线应依次降低" in bad.content.decode()
    assert RuleSet.objects.filter(body=world.city.body, year=year).count() == 2


def test_the_second_scheme_replaces_the_rules_as_a_new_version(login, world):
    office = login(world.zhou)
    office.post("/duties/rules/", {"template": "additive"})
    newest = RuleSet.objects.filter(body=world.city.body).first()
    assert newest.scheme == "additive" and newest.caps == {}


@pytest.mark.django_db(transaction=True)  # results are recomputed after each commit
def test_corrections_and_the_year_close_then_the_year_never_changes(login, world, proposal):
    lin = seat(world.lin)
    last = TODAY.year - 1
    office = login(world.zhou)
    state = services.year_state(lin.body_id, last)
    office.post(f"/duties/year/{state.pk}/act/open_corrections/")
    state.refresh_from_db()
    assert state.state == "correcting" and state.corrections_until > TODAY
    member = login(world.lin)
    member.post("/duties/corrections/new/", {"seat": lin.pk, "year": last,
                                             "text": "漏记一次调研"})
    correction = lin.corrections.get()
    office = login(world.zhou)
    early = office.post(f"/duties/year/{state.pk}/act/approve/", {
        "approved_by": "主席会议", "approved_on": TODAY.isoformat()})
    assert early.status_code == 409 and "还有未处理的更正申请" in early.content.decode()
    accepted = office.post(f"/duties/corrections/{correction.pk}/act/accept/",
                           {"points": "6", "category": "activities", "answer": "已核实"})
    assert accepted.status_code == 302, accepted.content.decode()[-3000:]
    assert DutyFact.objects.filter(kind="correction", member=lin).exists()
    result = MemberEvaluation.objects.get(member=lin, year=last)
    assert result.categories["activities"]["points"] == 6.0
    office.post(f"/duties/year/{state.pk}/act/approve/", {
        "approved_by": "主席会议", "approved_on": TODAY.isoformat(), "document_no": "1号"})
    office.post(f"/duties/year/{state.pk}/act/publish/")
    state.refresh_from_db()
    assert state.state == EvaluationYear.State.PUBLISHED and state.document_no == "1号"
    total = MemberEvaluation.objects.get(member=lin, year=last).total
    services.record_fact(lin, "activity_plenary_present", world.daoli.body,
                         services.rules_for(lin.body_id, last).cutoff)
    assert services.recompute(lin.body_id, last) == 0
    assert MemberEvaluation.objects.get(member=lin, year=last).total == total
    refused = office.post(f"/duties/rules/?year={last}", {"template": "additive"})
    assert refused.status_code == 302
    assert RuleSet.objects.filter(body=lin.body, year=last).count() == 1


def test_a_correction_outside_the_window_is_refused(login, world):
    lin = seat(world.lin)
    response = login(world.lin).post("/duties/corrections/new/", {
        "seat": lin.pk, "year": TODAY.year, "text": "请更正"})
    assert response.status_code == 409 and "现在不在更正申请期内" in response.content.decode()
    assert not lin.corrections.exists()


def test_backfill_records_the_facts_again_and_twice_is_once(world, proposal):
    DutyFact.objects.all().delete()
    call_command("duties", "backfill")
    count = DutyFact.objects.count()
    assert count >= 1 and DutyFact.objects.filter(kind="proposal_submitted").exists()
    call_command("duties", "backfill")
    assert DutyFact.objects.count() == count


def test_a_fact_recorded_meanwhile_by_another_write_is_taken_not_doubled(world, proposal,
                                                                         monkeypatch):
    """record_fact reads the fact first and inserts it only when missing; a fact another
    transaction recorded between the two (the unique key refuses the insert) is taken as
    found, and one withdrawn is made to stand again."""
    from lvzhi.core import plain

    fact = DutyFact.objects.get(kind="proposal_submitted")
    DutyFact.objects.filter(pk=fact.pk).update(withdrawn_at=timezone.now(),
                                               withdrawn_reason="测试")
    real = plain.rows
    monkeypatch.setattr(plain, "rows", lambda model, **kw: [] if model is DutyFact
                        else real(model, **kw))
    again = services.record_fact(fact.member, "proposal_submitted", proposal,
                                 timezone.localdate(), {"title": proposal.title})
    assert again.pk == fact.pk
    assert DutyFact.objects.filter(kind="proposal_submitted").count() == 1
    assert DutyFact.objects.get(pk=fact.pk).withdrawn_at is None


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_record_pdf_is_in_chinese(login, world, proposal):
    response = login(world.lin).get(f"/duties/members/{seat(world.lin).pk}/record.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    assert "履职档案" in text and "林晓岚" in text and "提交提案" in text


def test_the_districts_side_by_side_for_city_oversight(login, world):
    page = login(world.yuan).get("/duties/districts/").content.decode()
    assert "道里区政协" in page and "香坊区政协" in page


def test_after_approval_a_correction_makes_a_new_version_and_nothing_else_moves(login, world,
                                                                                proposal):
    from lvzhi.core.events import history
    lin, gao = seat(world.lin), seat(world.gao)
    last = TODAY.year - 1
    services.recompute(lin.body_id, last)
    EvaluationYear.objects.filter(body=lin.body, year=last).update(state="approved")
    before_gao = MemberEvaluation.objects.get(member=gao, year=last).total
    office = login(world.zhou)
    bad = office.post(f"/duties/members/{lin.pk}/amend/", {"year": last, "points": "x"})
    assert bad.status_code == 400
    page = bad.content.decode()
    for message in ("调整的分值应为", "请填写更正的理由", "请填写更正所依据的文号"):
        assert message in page
    done = office.post(f"/duties/members/{lin.pk}/amend/", {
        "year": last, "points": "5", "category": "declared", "answer": "补录获奖",
        "document_no": "哈政协办发〔2026〕9号"})
    assert done.status_code == 302
    result = MemberEvaluation.objects.get(member=lin, year=last)
    assert result.version == 2 and result.categories["declared"]["points"] == 5.0
    event = history(result).get(action="amended")
    assert event.data["before"]["total"] == 0.0 and event.data["after"]["total"] == 5.0
    assert MemberEvaluation.objects.get(member=gao, year=last).total == before_gao
    open_year = office.post(f"/duties/members/{lin.pk}/amend/", {
        "year": TODAY.year, "points": "5", "category": "declared", "answer": "x",
        "document_no": "1"})
    assert open_year.status_code == 409
    assert login(world.qin).post(f"/duties/members/{lin.pk}/amend/", {
        "year": last, "points": "5", "category": "declared", "answer": "x",
        "document_no": "1"}).status_code == 403


def test_a_whole_body_run_writes_only_the_results_that_changed(world, proposal):
    """Run again with nothing new, the body's run writes no result — on PostgreSQL too,
    whose jsonb gives a result's categories back with their keys in another order (every
    result looked changed and was written again: 7.5 s for the bench body, not 1.2)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lin = seat(world.lin)
    year = year_of(world.lin)
    services.recompute(lin.body_id, year)
    assert MemberEvaluation.objects.get(member=lin, year=year).categories  # keys to order
    with CaptureQueriesContext(connection) as queries:
        services.recompute(lin.body_id, year)
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))
              and "duties_memberevaluation" in q["sql"]]
    assert writes == []
    services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
    with CaptureQueriesContext(connection) as queries:
        services.recompute(lin.body_id, year)
    assert any(q["sql"].startswith("UPDATE") and "duties_memberevaluation" in q["sql"]
               for q in queries)


@pytest.mark.django_db(transaction=True)  # recomputed after the commit, as in production
def test_a_new_fact_recomputes_its_member_and_the_ranks_follow(world):
    lin, gao = seat(world.lin), seat(world.gao)
    year = year_of(world.lin)
    services.recompute(lin.body_id, year)  # ranks as of now
    before = MemberEvaluation.objects.get(member=lin, year=year)
    services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
    after = MemberEvaluation.objects.get(member=lin, year=year)
    assert after.total == before.total + 30  # the total at once
    assert MemberEvaluation.objects.get(member=gao, year=year).rank_body == 1  # ranks soon
    EvaluationYear.objects.filter(body=lin.body, year=year).update(
        ranked_at=timezone.now() - datetime.timedelta(minutes=services.RERANK_MINUTES + 1))
    services.record_fact(lin, "activity_standing_present", world.city.body, TODAY)
    assert MemberEvaluation.objects.get(member=lin, year=year).rank_body == 1
    assert MemberEvaluation.objects.get(member=gao, year=year).rank_body == 2
    assert services.rerank(lin.body_id, year) == 0  # already in order


def test_a_facts_recompute_reads_each_years_rules_once(world):
    """Which year the day falls in, the year's rules and its window each asked for the
    same rule set: read once a recompute — and again by the next one (the office may have
    saved a new version in between)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvzhi.duties.tasks import recompute_members

    lin = seat(world.lin)
    services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            recompute_members.call([lin.pk], [TODAY.isoformat()])
        reads = [q["sql"] for q in queries if 'FROM "duties_ruleset"' in q["sql"]]
        assert reads and len(reads) == len(set(reads)), reads


@pytest.mark.django_db(transaction=True)  # each fact's recompute runs as it commits
def test_a_new_fact_works_out_again_only_the_year_it_falls_in(world):
    """A fact recorded today leaves last year's result (open for corrections) as it is; one
    dated in last year changes that year; a withdrawal works out every open year."""
    from django.contrib.contenttypes.models import ContentType

    lin = seat(world.lin)
    year = year_of(world.lin)
    last_day = services.rules_for(lin.body_id, year - 1).cutoff
    for y in (year - 1, year):
        services.store(services.fresh_result(lin, y))

    def totals():
        return [MemberEvaluation.objects.get(member=lin, year=y).total for y in (year - 1, year)]

    def worked_out(y):
        return services.fresh_result(lin, y).values["total"]

    before = totals()
    # a fact of last year written past the services, so no recompute: stale until one runs
    DutyFact.objects.create(body_id=lin.body_id, member=lin, kind="activity_plenary_present",
                            source_type=ContentType.objects.get_for_model(world.daoli.body),
                            source_id=world.daoli.body.pk, occurred_on=last_day)
    services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
    assert totals() == [before[0], before[1] + 30]  # this year's alone
    assert worked_out(year - 1) > before[0]  # (last year's was not worked out again)
    services.record_fact(lin, "activity_plenary_present", world.xiangfang.body, last_day)
    assert totals() == [worked_out(year - 1), before[1] + 30] and totals()[0] > before[0]
    services.withdraw_facts([world.xiangfang.body, world.daoli.body])
    assert totals() == [before[0], before[1] + 30]


@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_holds_results_until_its_end_and_works_them_out_once(
        world, monkeypatch):
    """results_held (the demo's year of activities): facts recorded for the same members
    many times, each member's result worked out once at the end, and the same as without."""
    from lvzhi.duties import tasks

    lin, gao = seat(world.lin), seat(world.gao)
    year = year_of(world.lin)
    services.recompute(lin.body_id, year)
    before = {m.pk: MemberEvaluation.objects.get(member=m, year=year).total for m in (lin, gao)}
    runs, real = [], tasks.recompute_members

    class Counted:  # the task, run at once, each enqueueing noted
        def enqueue(self, ids, days=None):
            runs.append(sorted(ids))
            return real.call(ids, days)

    monkeypatch.setattr(tasks, "recompute_members", Counted())
    with services.results_held():
        services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
        services.record_fact(gao, "activity_plenary_present", world.city.body, TODAY)
        services.record_fact(lin, "activity_standing_present", world.city.body, TODAY)
        assert runs == []
        assert MemberEvaluation.objects.get(member=lin, year=year).total == before[lin.pk]
    assert runs == [sorted([lin.pk, gao.pk])]
    held = {m.pk: MemberEvaluation.objects.get(member=m, year=year).total for m in (lin, gao)}
    assert held[gao.pk] == before[gao.pk] + 30
    assert held[lin.pk] > before[lin.pk] + 30  # both of lin's facts counted
    services.recompute(lin.body_id, year)  # the whole body's run agrees
    assert {m.pk: MemberEvaluation.objects.get(member=m, year=year).total
            for m in (lin, gao)} == held


def test_the_office_figures_are_counted_once_and_follow_every_new_result(
        login, world, django_capture_on_commit_callbacks):
    """The grade and at-risk counts over every member's result are kept between views and
    counted again after any result is written (one member's, or the whole body's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lin = seat(world.lin)
    year = year_of(world.lin)
    services.recompute(lin.body_id, year)
    results = MemberEvaluation.objects.filter(body=lin.body, year=year)
    office = login(world.zhou)

    def view() -> tuple[bool, dict]:
        """(whether the view counted, the figures it showed)"""
        with CaptureQueriesContext(connection) as captured:
            context = office.get("/duties/office/").context
        counted = any("duties_memberevaluation" in q["sql"] and "COUNT" in q["sql"]
                      and "grade" in q["sql"] for q in captured)
        return counted, {"at_risk": context["at_risk"],
                         "grades": dict(context["distribution"])}

    def truth() -> dict:
        from lvzhi.duties.models import Grade
        return {"at_risk": results.exclude(at_risk=[]).count(), "grades": {
            label: results.filter(grade=code).count() for code, label in Grade.choices}}

    assert view() == (True, truth())
    assert view() == (False, truth())  # kept
    with django_capture_on_commit_callbacks(execute=True):  # recomputed once committed
        services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
    assert view() == (True, truth())  # one member's result written: counted again
    assert view()[0] is False
    services.recompute(lin.body_id, year)  # the whole body's
    assert view() == (True, truth())


def test_a_recomputed_result_is_written_once_and_then_updated_in_place(world):
    """`write` (a fact's recompute): the first result is created, later ones update it."""
    lin = seat(world.lin)
    year = year_of(world.lin)
    MemberEvaluation.objects.filter(member=lin).delete()
    services.write(services.fresh_result(lin, year))
    first = MemberEvaluation.objects.get(member=lin, year=year)
    services.record_fact(lin, "activity_plenary_present", world.city.body, TODAY)
    services.write(services.fresh_result(lin, year))
    (row,) = MemberEvaluation.objects.filter(member=lin, year=year)
    assert (row.pk, row.total) == (first.pk, first.total + 30)


def test_one_member_worked_out_alone_matches_the_whole_body(world):
    """A member's result counted by kind in the database (after each fact) and the whole
    body's run agree, repeated kinds, a penalty and a correction among the facts."""
    from django.contrib.contenttypes.models import ContentType

    lin = seat(world.lin)
    year = year_of(world.lin)
    source = ContentType.objects.get_for_model(world.daoli.body)
    done = ["activity_plenary_present"] * 3 + ["opinion_submitted"] * 4 + [
        "activity_plenary_absent", "proposal_filed"]
    DutyFact.objects.bulk_create([
        DutyFact(body_id=lin.body_id, member=lin, kind=kind, source_type=source, source_id=i,
                 occurred_on=TODAY) for i, kind in enumerate(done, start=100)])
    DutyFact.objects.create(body_id=lin.body_id, member=lin, kind="correction",
                            source_type=source, source_id=999, occurred_on=TODAY,
                            data={"points": 4, "category": "activities"})
    alone = services.fresh_result(lin, year).values
    services.recompute(lin.body_id, year)
    whole = MemberEvaluation.objects.get(member=lin, year=year)
    assert (alone["total"], alone["categories"], alone["missing"], alone["grade"]) == (
        whole.total, whole.categories, whole.missing, whole.grade)
    rules = services.rules_for(lin.body_id, year)
    plenary = kinds.category("activity_plenary_present")
    assert kinds.category("activity_plenary_absent") == plenary
    gained = 3 * float(rules.points["activity_plenary_present"])
    cap = rules.caps.get(plenary)
    kept = min(gained, float(cap)) if cap not in (None, "") else gained
    penalty = float(rules.points["activity_plenary_absent"])
    assert penalty < 0 and alone["categories"][plenary] == {
        "points": round(kept + penalty, 1), "cut": round(gained - kept, 1),
        "penalty": penalty}
    assert alone["categories"]["activities"]["points"] >= 4  # the correction counted


def test_a_member_who_left_drops_out_of_the_year_and_no_one_else_does(world):
    """The whole body's run drops the result of a seat no longer active, and only it —
    another body's results stay too."""
    lin, gao, dong = seat(world.lin), seat(world.gao), seat(world.dong)
    year = year_of(world.lin)
    services.recompute(lin.body_id, year)
    services.recompute(dong.body_id, year_of(world.dong))
    assert MemberEvaluation.objects.filter(member__in=[lin, gao], year=year).count() == 2
    lin.is_active = False
    lin.save(update_fields=["is_active"])
    services.recompute(lin.body_id, year)
    assert list(MemberEvaluation.objects.filter(member__in=[lin, gao], year=year)
                .values_list("member_id", flat=True)) == [gao.pk]
    assert MemberEvaluation.objects.filter(member=dong).exists()
