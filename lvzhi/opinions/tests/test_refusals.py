"""Refusals: wrong role, wrong state, other body, over-length text, missing parts."""

import pytest

from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.opinions.models import Report
from lvzhi.opinions.tests.conftest import REPORT
from lvzhi.opinions.workflow import perform, save_draft

pytestmark = pytest.mark.django_db


def refused(report, name, actor, **params) -> Refusal:
    before = (Report.objects.filter(pk=report.pk).values().get(), history(report).count())
    with pytest.raises(Refusal) as caught:
        perform(report, name, actor, **params)
    assert (Report.objects.filter(pk=report.pk).values().get(), history(report).count()) == before
    assert 400 <= caught.value.status < 500
    return caught.value


def test_only_members_and_officers_of_the_body_report(world):
    for person, body in ((world.zhou, world.city.body), (world.ma, world.city.body),
                         (world.han, world.city.body), (world.lin, world.xiangfang.body)):
        with pytest.raises(Refusal, match="只有本政协的委员和信息员"):
            save_draft(person, body, dict(REPORT))
    assert not Report.objects.exists()


def test_over_length_text_is_refused(world):
    with pytest.raises(Refusal) as caught:
        save_draft(world.lin, world.city.body, {**REPORT, "situation": "长" * 1500})
    assert caught.value.code == "too_long"
    assert "正文不能超过 1500 字" in caught.value.message
    assert not Report.objects.exists()


def test_missing_suggestions_cannot_be_submitted(world):
    r = save_draft(world.lin, world.city.body, {**REPORT, "suggestions": ""})
    assert refused(r, "submit", world.lin).message == "请填写“意见建议”。"


def test_reporter_cannot_adopt_and_other_bodies_do_not_see(world, xf_staff):
    r = perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit", world.lin)
    assert refused(r, "adopt", world.lin).status == 403
    assert refused(r, "adopt", xf_staff).status == 404
    assert refused(r, "adopt", world.pan).status == 404


def test_oversight_reads_district_reports_but_cannot_act(world, xf_staff):
    r = perform(save_draft(world.han, world.xiangfang.body, dict(REPORT)), "submit", world.han)
    from lvzhi.opinions.access import reports_for

    assert reports_for(world.yuan).filter(pk=r.pk).exists()
    assert refused(r, "adopt", world.yuan).status == 403


def test_decisions_need_a_reason_and_the_right_state(world):
    r = perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit", world.lin)
    for name in ("return", "not_adopt", "keep"):
        assert refused(r, name, world.zhou).message == "请写明理由，报送人会看到。"
    perform(r, "not_adopt", world.zhou, comment="与已录用信息重复")
    assert refused(r, "adopt", world.zhou).code == "wrong_state"


def test_forward_only_upwards_and_once(world, xf_staff):
    r = perform(save_draft(world.han, world.xiangfang.body, dict(REPORT)), "submit", world.han)
    r = perform(r, "adopt", xf_staff)
    assert refused(r, "forward", xf_staff, level="district").code == "bad_level"
    perform(r, "forward", xf_staff, level="city")
    assert refused(r, "forward", xf_staff, level="city").code == "already_forwarded"
    assert refused(r, "record_outcome", xf_staff, level="province").code == "not_forwarded"


def test_instruction_needs_leader_level_and_a_past_date(world):
    r = perform(perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit",
                        world.lin), "adopt", world.zhou)
    assert refused(r, "instruct", world.zhou, level="city", date="2022-01-01",
                   text="阅").code == "missing_leader"
    assert refused(r, "instruct", world.zhou, leader="某", level="city", date="明天",
                   text="阅").code == "bad_date"
    assert refused(r, "instruct", world.zhou, leader="某", level="town", date="2022-01-01",
                   text="阅").code == "bad_level"


def test_pages_refuse_with_status_and_message(login, world):
    r = perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit", world.lin)
    response = login(world.lin).post(f"/opinions/{r.pk}/act/adopt/")
    assert response.status_code == 403
    assert "您无权对该信息执行“录用”" in response.content.decode()
    assert login(world.pan).get(f"/opinions/{r.pk}/").status_code == 404
    assert login(world.lin).get("/opinions/office/").status_code == 404


def test_reporter_writes_on_the_page(login, world):
    client = login(world.han)
    data = {**REPORT, "submit": "1"}
    assert client.post("/opinions/new/", data).status_code == 302
    r = Report.objects.get()
    assert (r.state, r.body, r.reporter) == ("submitted", world.xiangfang.body, world.han)
    too_long = client.post("/opinions/new/", {**REPORT, "situation": "长" * 1600,
                                               "submit": "1"})
    assert too_long.status_code == 400
    assert Report.objects.count() == 1


def test_api_submit_list_and_detail(client, world):
    from lvzhi.conftest import PASSWORD

    token = client.post("/api/auth/token", {"login": "han", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    created = client.post("/api/opinions/", REPORT, content_type="application/json", **auth)
    assert created.status_code == 201
    assert created.json()["state"] == "submitted"
    pk = created.json()["id"]
    assert [r["id"] for r in client.get("/api/opinions/mine", **auth).json()["items"]] == [pk]
    detail = client.get(f"/api/opinions/{pk}", **auth).json()
    assert detail["outcomes"] == [{"level": "district", "level_label": "区县（市）级",
                                   "outcome": "submitted", "outcome_label": "已提交",
                                   "text": ""}]
    bad = client.post("/api/opinions/", {**REPORT, "situation": "情" * 800,
                                         "suggestions": "建" * 800},
                      content_type="application/json", **auth)
    assert (bad.status_code, bad.json()["code"]) == (400, "too_long")  # 1,600 in all
    long = client.post("/api/opinions/", {**REPORT, "suggestions": "建" * 1600},
                       content_type="application/json", **auth)
    assert long.json()["errors"] == [{"field": "suggestions", "message": "不能超过 1500 个字"}]
    assert Report.objects.count() == 1


def test_sending_to_recipients_at_the_bodys_own_level(login, world):
    r = perform(perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit",
                        world.lin), "adopt", world.zhou)
    assert refused(r, "send", world.zhou, recipients=[]).code == "missing_recipients"
    client = login(world.zhou)
    response = client.post(f"/opinions/{r.pk}/act/send/",
                           {"recipients": ["党委", "政府"], "other_recipient": "市城市管理局"})
    assert response.status_code == 302
    assert sorted(r.deliveries.values_list("recipient", flat=True)) == ["党委", "市城市管理局",
                                                                         "政府"]
    assert refused(r, "send", world.zhou, recipients=["党委"]).code == "already_sent"


def test_committee_report_needs_the_committees_name(world):
    with pytest.raises(Refusal, match="请写明名称"):
        save_draft(world.lin, world.city.body, {**REPORT, "origin": "committee"})
    r = save_draft(world.lin, world.city.body, {**REPORT, "origin": "committee",
                                                 "origin_name": "社会和法制委员会"})
    assert r.get_origin_display() == "专门委员会"


def test_issue_needs_editor_and_signer_of_the_body_and_reporters_see_their_issue(login, world):
    from lvzhi.opinions.workflow import publish_issue

    r = perform(perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit",
                        world.lin), "adopt", world.zhou)
    with pytest.raises(Refusal, match="核稿人和签发人须是本政协的机关干部或领导"):
        publish_issue(world.city.body, world.zhou, [r], world.pan, world.qin)
    assert not Report.objects.filter(issue__isnull=False).exists()
    issue = publish_issue(world.city.body, world.zhou, [r], world.zhou, world.qin)
    assert login(world.lin).get(f"/opinions/issues/{issue.pk}/").status_code == 200
    assert login(world.gao).get(f"/opinions/issues/{issue.pk}/").status_code == 404


def test_one_person_cannot_both_edit_and_sign_unless_the_body_allows_it(world):
    from lvzhi.opinions.access import rules_for
    from lvzhi.opinions.workflow import publish_issue

    r = perform(perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit",
                        world.lin), "adopt", world.zhou)
    with pytest.raises(Refusal, match="核稿人和签发人须是不同的人"):
        publish_issue(world.city.body, world.zhou, [r], world.qin, world.qin)
    assert Report.objects.get(pk=r.pk).issue is None
    rules = rules_for(world.city.body.pk)
    rules.one_person_edits_and_signs = True
    rules.save()
    assert publish_issue(world.city.body, world.zhou, [r], world.qin, world.qin).signer == \
        world.qin


def test_a_refused_instruction_keeps_the_leader_typed_and_marks_the_text(login, world):
    r = perform(perform(save_draft(world.lin, world.city.body, dict(REPORT)), "submit",
                        world.lin), "adopt", world.zhou)
    response = login(world.zhou).post(f"/opinions/{r.pk}/act/instruct/", {
        "level": "city", "leader": "分管副市长", "date": "2022-03-01", "text": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="分管副市长"' in html and "请填写批示内容" in html
    assert 'name="text" rows="2" placeholder="批示内容" aria-invalid="true"' in html
    assert not r.instructions.exists()


def test_a_phone_finishes_a_draft_and_resubmits_a_returned_report(client, world):
    """The API: save a draft, change one field, submit; returned, revise and resubmit."""
    client.force_login(world.lin)
    draft = client.post("/api/opinions/", {**REPORT, "suggestions": "", "submit": False},
                         content_type="application/json").json()
    assert draft["state"] == "draft"
    refused = client.post(f"/api/opinions/{draft['id']}/submit")
    assert refused.status_code == 400 and refused.json()["message"]
    changed = client.patch(f"/api/opinions/{draft['id']}", {"suggestions": "建议增设清雪点。"},
                           content_type="application/json").json()
    assert changed["suggestions"] == "建议增设清雪点。" and changed["title"] == REPORT["title"]
    assert client.post(f"/api/opinions/{draft['id']}/submit").json()["state"] == "submitted"
    perform(Report.objects.get(pk=draft["id"]), "return", world.zhou, comment="请补充地点。")
    client.patch(f"/api/opinions/{draft['id']}", {"situation": "道里区某街道降雪后……"},
                 content_type="application/json")
    again = client.post(f"/api/opinions/{draft['id']}/submit").json()
    assert again["state"] == "submitted" and again["situation"].startswith("道里区")
    late = client.patch(f"/api/opinions/{draft['id']}", {"title": "再改"},
                        content_type="application/json")
    assert late.status_code == 409 and Report.objects.get(pk=draft["id"]).title != "再改"
    client.force_login(world.gao)
    assert client.patch(f"/api/opinions/{draft['id']}", {"title": "他人"},
                        content_type="application/json").status_code in (403, 404)


def test_who_opens_a_report_page_before_and_after_it_is_submitted(login, world):
    """Read by its key first, then decided: the reporter reads a draft, a co-reporter and
    the office only once it is submitted, another body's office never; the city's
    oversight reads a district's submitted report."""
    draft = save_draft(world.lin, world.city.body, dict(REPORT))
    draft.co_reporters.add(world.gao.memberships.get())
    district = save_draft(world.dong, world.daoli.body, dict(REPORT))

    def status(user, report) -> int:
        return login(user).get(f"/opinions/{report.pk}/").status_code

    assert [status(u, draft) for u in (world.lin, world.gao, world.zhou, world.pan)] == \
        [200, 404, 404, 404]
    assert [status(u, district) for u in (world.dong, world.pan, world.yuan)] == [200, 404, 404]
    perform(draft, "submit", world.lin)
    perform(district, "submit", world.dong)
    assert [status(u, draft) for u in (world.lin, world.gao, world.zhou, world.pan,
                                       world.nobody)] == [200, 200, 200, 404, 404]
    assert [status(u, district) for u in (world.pan, world.yuan, world.zhou)] == [200, 200, 404]
