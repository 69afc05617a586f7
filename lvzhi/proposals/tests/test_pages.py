"""The proposal pages for each role, their refusals, exports and documents."""

import io
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lvzhi.core.models import HandlingUnit
from lvzhi.proposals.models import Proposal, Reply
from lvzhi.proposals.services import today
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft

pytestmark = pytest.mark.django_db


def post_draft(client, **extra):
    data = dict(DRAFT)
    data.update({"kind": "individual", "may_be_public": "on", **extra})
    return client.post("/proposals/new/", data)


def test_member_writes_and_submits_on_the_page(login, world):
    client = login(world.lin)
    response = post_draft(client, submit="1")
    assert response.status_code == 302
    p = Proposal.objects.get()
    assert (p.state, p.proposer.user) == (Proposal.State.SUBMITTED, world.lin)
    page = client.get("/proposals/").content.decode()
    assert DRAFT["title"] in page and "待审查" in page


def test_draft_is_saved_without_submitting(login, world):
    response = post_draft(login(world.lin), save="1", suggestions="")
    assert response.status_code == 302
    assert Proposal.objects.get().state == Proposal.State.DRAFT


def test_oversize_title_on_the_page_is_refused_and_not_saved(login, world):
    response = post_draft(login(world.lin), submit="1", title="长" * 60)
    assert response.status_code == 400
    assert "案由不能超过 50 个字" in response.content.decode()
    assert not Proposal.objects.exists()


def test_staff_and_handlers_cannot_write_proposals(login, world):
    for person in (world.zhou, world.ma, world.nobody):
        assert login(person).get("/proposals/new/").status_code == 404


def test_refused_action_shows_the_message_with_its_status(login, world, submitted):
    response = login(world.lin).post(f"/proposals/{submitted.pk}/act/file/")
    assert response.status_code == 403
    assert "您无权对该提案执行“立案”" in response.content.decode()
    assert Proposal.objects.get().state == Proposal.State.SUBMITTED


def test_proposal_of_another_body_is_not_found(login, world, submitted):
    assert login(world.pan).get(f"/proposals/{submitted.pk}/").status_code == 404
    assert login(world.pan).post(f"/proposals/{submitted.pk}/act/file/").status_code == 404


def test_office_files_and_assigns_through_the_page(login, world, submitted):
    client = login(world.zhou)
    assert client.post(f"/proposals/{submitted.pk}/act/file/").status_code == 302
    response = client.post(f"/proposals/{submitted.pk}/act/assign/",
                           {"handling": "single", "units": [world.city.unit.pk]})
    assert response.status_code == 302
    p = Proposal.objects.get()
    assert (p.state, p.number) == (Proposal.State.HANDLING, 1)
    page = client.get(f"/proposals/{p.pk}/").content.decode()
    assert "第1号" in page and "立案" in page and "交办" in page


def test_unit_sees_only_its_own_proposals(login, world, handling):
    page = login(world.ma).get("/proposals/unit/").content.decode()
    assert DRAFT["title"] in page
    assert login(world.ma).get(f"/proposals/{handling.pk}/").status_code == 200
    assert login(world.lin).get("/proposals/unit/").status_code == 404


def test_unit_replies_with_a_file(login, world, handling):
    client = login(world.ma)
    client.post(f"/proposals/{handling.pk}/act/record_contact/",
                {"way": "phone", "date": today().isoformat(), "summary": "电话沟通"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    letter = SimpleUploadedFile("答复.pdf", b"%PDF-1.4\n" + b"0" * 40)
    response = client.post(f"/proposals/{handling.pk}/act/reply/",
                           {"category": "A", "text": "已解决", "file": letter})
    assert response.status_code == 302
    assert Reply.objects.get().state == Reply.State.PENDING


def test_reply_with_a_disallowed_file_changes_nothing(login, world, handling):
    client = login(world.ma)
    client.post(f"/proposals/{handling.pk}/act/record_contact/",
                {"way": "phone", "date": today().isoformat(), "summary": "电话沟通"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("答复.exe", b"MZ")
    response = client.post(f"/proposals/{handling.pk}/act/reply/",
                           {"category": "A", "text": "已解决", "file": bad})
    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()
    assert not Reply.objects.exists()


def test_office_ledger_filters_and_tabs(login, world, handling):
    submitted = perform(save_draft(world.gao.memberships.get(), world.gao, dict(DRAFT)),
                        "submit", world.gao)
    client = login(world.zhou)
    page = client.get("/proposals/office/?tab=review")
    assert [p.pk for p in page.context["page"]] == [submitted.pk]
    page = client.get(f"/proposals/office/?unit={world.city.unit.pk}")
    assert [p.pk for p in page.context["page"]] == [handling.pk]
    found = client.get("/proposals/office/?q=儿童友好").context["page"]
    assert found.paginator.count == 2  # counted from the list of matches
    assert [p.pk for p in found] == [submitted.pk, handling.pk]  # walked, newest first
    assert [p.pk for p in client.get("/proposals/office/?q=儿童友好&tab=review")
            .context["page"]] == [submitted.pk]
    # the keyword box reads the full-text index: words of the text, not only the title
    assert client.get("/proposals/office/?q=适儿化设施").context["page"].paginator.count == 2
    assert client.get("/proposals/office/?q=冰雪装备").context["page"].paginator.count == 0
    assert client.get("/proposals/office/?q=%22*():^").status_code == 200  # no words: no filter
    assert login(world.lin).get("/proposals/office/").status_code == 404

def test_the_ledger_counts_a_new_proposal_and_lists_a_new_unit_at_once(login, world, handling):
    """Its count and filter options are kept between changes: a change shows the next time."""
    client = login(world.zhou)
    page = client.get("/proposals/office/")
    assert page.context["page"].paginator.count == 1 and "共 1 件" in page.content.decode()
    assert client.get("/proposals/office/?tab=review").context["page"].paginator.count == 0
    perform(save_draft(world.gao.memberships.get(), world.gao, dict(DRAFT)), "submit",
            world.gao)
    page = client.get("/proposals/office/")
    assert page.context["page"].paginator.count == 2 and "共 2 件" in page.content.decode()
    assert client.get("/proposals/office/?tab=review").context["page"].paginator.count == 1
    world.city.unit.name = "哈尔滨市教育局（更名）"
    world.city.unit.save()
    added = HandlingUnit.objects.create(body=world.city.body, name="哈尔滨市民政局")
    html = client.get("/proposals/office/").content.decode()
    assert f'<option value="{added.pk}">哈尔滨市民政局</option>' in html
    assert "哈尔滨市教育局（更名）" in html
    for refused in (f"session={world.daoli.session.pk}", "unit=99999", "sector=abc"):
        page = client.get(f"/proposals/office/?{refused}")  # not one of the body's: no rows
        assert page.status_code == 200 and page.context["page"].paginator.count == 0
    page = client.get(f"/proposals/office/?unit={added.pk}")  # its own new unit: no rows yet
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
    page = client.get(f"/proposals/office/?session={world.city.session.pk}")
    assert page.context["page"].paginator.count == 2



def test_the_ledger_rows_escape_what_members_wrote(login, world):
    """The rows are drawn by Jinja2 ({% jinja %}): its escaping is what keeps a title inert."""
    title = '<script>alert("x")</script>关于 & 的建议'
    perform(save_draft(world.gao.memberships.get(), world.gao, {**DRAFT, "title": title}),
            "submit", world.gao)
    html = login(world.zhou).get("/proposals/office/").content.decode()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;关于 &amp; 的建议" in html
    assert "<script>alert" not in html


def test_office_list_query_count_does_not_grow(login, world, handling):
    client = login(world.zhou)

    def queries():
        caches["local"].clear()  # counted cold each time: a kept count asks nothing
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/proposals/office/").status_code == 200
        return len(captured)

    few = queries()
    seat = world.lin.memberships.get()
    for i in range(8):
        p = perform(save_draft(seat, world.lin, {**DRAFT, "title": f"建议{i}"}), "submit",
                    world.lin)
        p = perform(p, "file", world.zhou)
        perform(p, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    assert queries() == few


def test_member_list_query_count_does_not_grow(login, world, submitted):
    client = login(world.lin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/proposals/")
        return len(captured)

    few = queries()
    seat = world.lin.memberships.get()
    for i in range(6):
        save_draft(seat, world.lin, {**DRAFT, "title": f"建议{i}"})
    assert queries() == few


def test_ledger_export_has_numbers_proposers_units_and_evaluations(login, world, handling,
                                                                  export_file):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(handling, "reply", world.ma, category="A", text="已解决")
    perform(handling, "review_reply", world.zhou, reply=Reply.objects.get().pk,
            decision="accept")
    perform(handling, "evaluate", world.lin, rating="satisfied")
    response = export_file(login(world.zhou), "/proposals/office/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:4] == ("编号", "会议", "类别", "案由")
    assert row["编号"] == "第1号"
    assert row["提案人"] == "林晓岚"
    assert row["承办单位"] == "市政协教育局（单办）"
    assert row["答复类别"] == "A"
    assert row["评价"] == "满意"
    assert row["状态"] == "已办结"


def test_figures(login, world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(handling, "reply", world.ma, category="A", text="已解决")
    perform(handling, "review_reply", world.zhou, reply=Reply.objects.get().pk,
            decision="accept")
    perform(handling, "evaluate", world.lin, rating="basic")
    figures = login(world.zhou).get("/proposals/office/figures/").context["figures"]
    overall = figures.overall
    assert (overall.reply_rate, overall.on_time_rate, overall.satisfaction, overall.a_share) \
        == ("100.0%", "100.0%", "100.0%", "100.0%")
    assert figures.by_unit["市政协教育局"].assigned == 1
    assert figures.by_unit["市政协教育局"].satisfaction == "100.0%"  # was always "—"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_proposal_form_pdf_has_the_chinese_text(login, world, filed):
    response = login(world.lin).get(f"/proposals/{filed.pk}/form.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    assert "儿童友好城市" in text
    assert "第1号" in text
    assert "林晓岚" in text
    # The session is in the name: two sessions' 第1号 do not overwrite each other.
    assert quote("十四届一次会议第1号提案.pdf") in response["Content-Disposition"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_reply_letter_pdf(login, world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(handling, "reply", world.ma, category="B", text="列入明年计划",
            commitment="明年六月前完成")
    reply = Reply.objects.get()
    # the proposer does not see a reply the office has not accepted
    assert login(world.lin).get(f"/proposals/replies/{reply.pk}/letter.pdf").status_code == 404
    perform(handling, "review_reply", world.zhou, reply=reply.pk, decision="accept")
    response = login(world.lin).get(f"/proposals/replies/{reply.pk}/letter.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    assert "林晓岚委员" in text and "明年六月前完成" in text and "市政协教育局" in text
    assert quote("十四届一次会议第1号提案答复函（市政协教育局）.pdf") in \
        response["Content-Disposition"]
    # The heading never leaves one character alone on its last line.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading_end = next(i for i, line in enumerate(lines) if line.endswith("答复"))
    assert len(lines[heading_end]) > 3


def test_leader_sees_key_proposals(login, world, filed):
    perform(filed, "mark_key", world.zhou, supervisor=world.qin.pk)
    page = login(world.qin).get("/proposals/leader/")
    assert [p.pk for p in page.context["mine"]] == [filed.pk]
    assert login(world.lin).get("/proposals/leader/").status_code == 404


def test_home_shows_each_roles_proposal_todos(login, world, submitted, joint_draft):
    perform(joint_draft, "submit", world.lin)
    assert "待确认的联名邀请" in login(world.gao).get("/").content.decode()
    assert "待审查" in login(world.zhou).get("/").content.decode()


def test_action_redirect_stays_on_this_site(login, world, submitted):
    response = login(world.zhou).post(f"/proposals/{submitted.pk}/act/file/",
                                      {"next": "https://evil.example/"})
    assert response.url == f"/proposals/{submitted.pk}/"


def test_cosigner_does_not_see_a_reply_before_the_office_accepts_it(login, world, filed):
    from lvzhi.proposals.models import Cosigner

    Cosigner.objects.create(body=world.city.body, proposal=filed,
                            member=world.gao.memberships.get(), state="confirmed")
    perform(filed, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    perform(filed, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(filed, "reply", world.ma, category="A", text="尚未审核的答复")
    reply = Reply.objects.get()
    client = login(world.gao)
    assert "尚未审核的答复" not in client.get(f"/proposals/{filed.pk}/").content.decode()
    assert client.get(f"/proposals/replies/{reply.pk}/letter.pdf").status_code == 404
    assert "尚未审核的答复" in login(world.zhou).get(f"/proposals/{filed.pk}/").content.decode()


def test_lists_show_the_current_units_with_deadlines_not_a_returned_one(login, world, handling,
                                                                       other_unit):
    perform(handling, "request_return", world.ma, reason="该事项不属于本单位职责。")
    request = handling.assignments.get().requests.get()
    perform(handling, "decide_request", world.zhou, request=request.pk, approve=True)
    perform(handling, "add_unit", world.zhou, unit=other_unit.pk, role="single")
    perform(handling, "mark_key", world.zhou, supervisor=world.qin.pk)
    deadline = handling.assignments.get(unit=other_unit).deadline
    for user, url in ((world.lin, "/proposals/"), (world.zhou, "/proposals/office/"),
                      (world.qin, "/proposals/leader/")):
        page = login(user).get(url).content.decode()
        rows = page[page.index("<main"):]
        if "<tbody>" in rows:  # the ledger: its unit filter lists every unit
            rows = rows[rows.index("<tbody>"):]
        assert other_unit.name in rows and f"{deadline.month}月{deadline.day}日" in rows, url
        assert world.city.unit.name not in rows, url


def test_the_proposer_sees_the_ground_of_a_rejection_without_a_comment(login, world,
                                                                        submitted):
    perform(submitted, "reject", world.zhou, ground="prohibited")
    html = login(world.lin).get(f"/proposals/{submitted.pk}/").content.decode()
    assert "不予立案的理由：属于国家明令禁止的事项" in html


def test_unsatisfied_without_a_reason_is_refused_on_the_page(login, world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="电话")
    perform(handling, "reply", world.ma, category="A", text="已经解决。")
    reply = Reply.objects.get(assignment__proposal=handling)
    perform(handling, "review_reply", world.zhou, reply=reply.pk, decision="accept")
    response = login(world.lin).post(f"/proposals/{handling.pk}/act/evaluate/",
                                     {"rating": "unsatisfied", "comment": ""})
    assert response.status_code == 400
    assert "请写明不满意的原因" in response.content.decode()
    assert Proposal.objects.get(pk=handling.pk).state == Proposal.State.EVALUATING


def test_the_unit_sees_the_proposers_number_on_asking_and_the_asking_is_logged(
        login, world, handling):
    from lvzhi.core.events import history
    client = login(world.ma)
    page = client.get(f"/proposals/{handling.pk}/").content.decode()
    assert "13900001001" not in page and "查看提案人联系电话" in page
    shown = client.post(f"/proposals/{handling.pk}/contact/").content.decode()
    assert "13900001001" in shown
    assert [e.actor for e in history(handling) if e.action == "proposer_contact_viewed"] == \
        [world.ma]
    office = login(world.zhou).get(f"/proposals/{handling.pk}/").content.decode()
    assert "承办单位查看提案人联系电话" in office
    assert login(world.gao).post(f"/proposals/{handling.pk}/contact/").status_code == 404


def test_the_reply_file_reaches_the_proposer_once_accepted(login, world, handling):
    from django.core.files.uploadedfile import SimpleUploadedFile
    unit = login(world.ma)
    unit.post(f"/proposals/{handling.pk}/act/record_contact/", {
        "way": "phone", "date": today().isoformat(), "summary": "电话沟通"})
    unit.post(f"/proposals/{handling.pk}/act/reply/", {
        "category": "A", "text": "已解决。",
        "file": SimpleUploadedFile("答复正文.pdf", b"%PDF-1.4\n" + b"0" * 40)})
    reply = Reply.objects.get()
    perform(handling, "review_reply", world.zhou, reply=reply.pk, decision="accept")
    page = login(world.lin).get(f"/proposals/{handling.pk}/").content.decode()
    assert "答复正文.pdf" in page
    from lvzhi.core.models import Attachment
    assert login(world.lin).get(f"/attachments/{Attachment.objects.get().pk}/")\
        .status_code == 200


def test_the_office_finds_the_suggested_units_preselected(login, world, filed):
    from lvzhi.proposals.workflow import save_draft
    p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT,
                   "suggested_units": [world.city.unit.pk]})
    p = perform(perform(p, "submit", world.lin), "file", world.zhou)
    page = login(world.zhou).get(f"/proposals/{p.pk}/").content.decode()
    assert "提案人建议：市政协教育局（已预选）" in page
    assert f'<option value="{world.city.unit.pk}" selected>' in page


def test_a_refused_reply_keeps_what_was_typed_and_marks_every_fault(login, world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="电话")
    response = login(world.ma).post(f"/proposals/{handling.pk}/act/reply/", {
        "category": "B", "text": "", "commitment": "", "assignment":
        handling.assignments.get().pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写答复内容" in html and "B 类答复须写明落实承诺和时间" in html  # both at once
    assert '<option value="B" selected>' in html  # the category is not reset to A
    assert html.count('aria-invalid="true"') == 2
    assert not Reply.objects.exists()
    kept = login(world.ma).post(f"/proposals/{handling.pk}/act/reply/", {
        "category": "B", "text": "已列入明年计划。", "commitment": ""}).content.decode()
    assert "已列入明年计划。</textarea>" in kept


def test_a_refused_evaluation_keeps_its_comment(login, world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="电话")
    perform(handling, "reply", world.ma, category="A", text="已经解决。")
    perform(handling, "review_reply", world.zhou, reply=Reply.objects.get().pk,
            decision="accept")
    html = login(world.lin).post(f"/proposals/{handling.pk}/act/evaluate/", {
        "comment": "答复很及时"}).content.decode()
    assert "答复很及时</textarea>" in html and "请选择满意、基本满意或不满意" in html


def test_every_action_form_keeps_its_text_when_refused(login, world, submitted):
    html = login(world.zhou).post(f"/proposals/{submitted.pk}/act/reject/", {
        "comment": "理由写了一半"}).content.decode()  # no ground chosen
    assert 'value="理由写了一半"' in html
    html = login(world.zhou).post(f"/proposals/{submitted.pk}/act/return/", {
        "comment": " "}).content.decode()
    assert 'aria-invalid="true"' in html and "请写明退回修改的原因" in html


def test_withdrawing_asks_first_and_keeps_the_reason(login, world, submitted):
    from lvzhi.core.events import history
    client = login(world.lin)
    page = client.get(f"/proposals/{submitted.pk}/").content.decode()
    assert 'data-confirm="撤案后不能恢复。确定撤回这件提案吗？"' in page
    client.post(f"/proposals/{submitted.pk}/act/withdraw/", {"comment": "已通过其他渠道解决"})
    assert Proposal.objects.get(pk=submitted.pk).state == Proposal.State.WITHDRAWN
    assert [e.comment for e in history(submitted) if e.action == "withdraw"] == \
        ["已通过其他渠道解决"]


def test_a_province_sized_ledger_is_counted_only_up_to_the_cap(login, world, handling,
                                                                monkeypatch):
    from lvzhi.core import paging

    client = login(world.zhou)
    page = client.get("/proposals/office/").content.decode()
    assert "共 1 件" in page and "以上" not in page  # under the cap: the exact number
    seat = world.lin.memberships.get()
    for i in range(3):
        perform(save_draft(seat, world.lin, {**DRAFT, "title": f"建议{i}"}), "submit",
                world.lin)
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/proposals/office/").content.decode()
    assert "共 5 万件以上" in page
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"] and "proposal" in q["sql"]]
    assert counts and all("LIMIT 3" in sql for sql in counts), counts
    assert page.count('href="/proposals/') >= 4  # every row still listed on the page


def test_leaders_supervision_notes_show_with_their_authors_at_a_fixed_cost(login, world,
                                                                           handling):
    """The page reads the notes and their authors at once: a third note asks nothing more."""
    perform(handling, "mark_key", world.zhou, supervisor=world.qin.pk)
    client = login(world.zhou)

    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(f"/proposals/{handling.pk}/").content.decode()
        return html, len(captured)

    perform(handling, "supervise", world.qin, text="请加快推进第一批点位改造")
    one, few = page()
    assert "督办意见" in one and "请加快推进第一批点位改造" in one
    assert world.qin.full_name in one.split("督办意见", 1)[1]
    for text in ("请于月底前报送进展", "请会同相关部门现场协调"):
        perform(handling, "supervise", world.qin, text=text)
    three, many = page()
    assert "请会同相关部门现场协调" in three and many == few


def test_a_members_list_shows_invitations_and_what_they_co_signed(
        login, world, joint_draft):
    client = login(world.gao)
    page = client.get("/proposals/")
    # A draft's invitation is not sent yet: the invitee sees nothing of it.
    assert (list(page.context["invitations"]), list(page.context["cosigned"])) == ([], [])
    perform(joint_draft, "submit", world.lin)
    page = client.get("/proposals/").content.decode()
    assert "联名邀请" in page and "确认联名" in page and joint_draft.title in page
    assert "我联名的提案" in page  # asked, not yet answered: listed under co-signed too
    client.post(f"/proposals/{joint_draft.pk}/act/confirm_cosign/")
    page = client.get("/proposals/")
    assert list(page.context["invitations"]) == []
    assert [p.pk for p in page.context["cosigned"]] == [joint_draft.pk]
    # Someone asked to co-sign nothing: neither list asks the database again.
    client = login(world.qin)
    with CaptureQueriesContext(connection) as asked:
        assert client.get("/proposals/").status_code == 200
    assert not [q for q in asked if "proposals_proposal" in q["sql"]
                and "proposals_cosigner" in q["sql"]]


def test_the_office_sees_a_proposals_quality_score_beside_its_form(login, world, filed):
    page = login(world.zhou).get(f"/proposals/{filed.pk}/").content.decode()
    assert "质量评价（每项 0–20 分）</div>" in page  # not scored yet: the heading alone
    perform(filed, "score", world.zhou, topic=18, grasp=18, analysis=17, suggestions=17,
            effect=16)
    page = login(world.zhou).get(f"/proposals/{filed.pk}/").content.decode()
    assert "质量评价（每项 0–20 分） · 优秀 86" in page
    # the proposer's page tells of the scoring in its history, not the score
    assert "优秀 86" not in login(world.lin).get(f"/proposals/{filed.pk}/").content.decode()
