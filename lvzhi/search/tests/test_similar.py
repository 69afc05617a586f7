"""Similar proposals: found for a reworded text, not for an unrelated one; only what the
person may see; 并案 candidates from the same session only."""

from __future__ import annotations

import datetime

import pytest

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import perform, save_draft
from lvzhi.search.similar import similar

pytestmark = pytest.mark.django_db

ELDERLY = {"title": "关于完善社区居家养老服务的建议",
           "situation": "我市老年人口比重持续上升，社区养老服务设施不足，助餐、助浴服务覆盖面小。",
           "analysis": "", "suggestions": "一是增设社区养老服务站；二是扩大老年助餐点覆盖；"
           "三是培养养老护理人员。", "category": Proposal.Category.SOCIETY, "keywords": ""}
REWORDED = ("加快发展社区养老服务", "老年人越来越多，社区里的养老服务站和助餐点不够，"
            "护理人员短缺，希望扩大助餐覆盖、增加养老服务站。")
UNRELATED = ("关于发展冰雪装备制造业的建议", "我市冰雪装备企业规模小，研发投入不足。")


def _filed(world, fields, who=None) -> Proposal:
    person = who or world.lin
    p = save_draft(person.memberships.get(), person, dict(fields))
    perform(p, "submit", person)
    return perform(p, "file", world.zhou)


def test_a_reworded_text_is_found_and_an_unrelated_one_is_not(world):
    elderly = _filed(world, ELDERLY)
    found = similar("proposal", world.city.body.pk, *REWORDED)
    assert [m.object_id for m in found] == [elderly.pk] and 0.2 <= found[0].score <= 1
    assert similar("proposal", world.city.body.pk, *UNRELATED) == []
    assert similar("proposal", world.daoli.body.pk, *REWORDED) == []  # another body's


def test_a_member_writing_sees_earlier_proposals_but_no_ones_draft(login, world):
    save_draft(world.gao.memberships.get(), world.gao, dict(ELDERLY))  # gao's draft only
    client = login(world.lin)
    params = {"title": REWORDED[0], "situation": REWORDED[1]}
    assert "相近的提案" not in client.get("/proposals/similar/", params).content.decode()
    elderly = _filed(world, ELDERLY, who=world.gao)
    page = client.get("/proposals/similar/", params).content.decode()
    assert "相近的提案" in page and elderly.title in page and elderly.number_label in page
    assert elderly.get_absolute_url() not in page  # lin may not open gao's proposal
    Proposal.objects.filter(pk=elderly.pk).update(may_be_public=False)
    assert elderly.title not in client.get("/proposals/similar/", params).content.decode()
    Proposal.objects.filter(pk=elderly.pk).update(may_be_public=True)
    assert "相近的提案" not in client.get("/proposals/similar/", {
        "title": UNRELATED[0], "situation": UNRELATED[1]}).content.decode()
    assert client.get("/proposals/similar/", {"title": "短"}).content.decode().strip() == ""
    # someone with no seat has no writing page
    assert login(world.zhou).get("/proposals/similar/", params).status_code == 404


def test_merge_candidates_come_from_the_same_session(login, world):
    elderly = _filed(world, ELDERLY)
    fields = {**ELDERLY, "title": "关于加强社区养老服务站建设的建议"}
    p = save_draft(world.gao.memberships.get(), world.gao, fields)
    perform(p, "submit", world.gao)
    page = login(world.zhou).get(p.get_absolute_url())
    candidates = page.context["merge_candidates"]
    assert [a.proposal.pk for a in candidates] == [elderly.pk]
    assert "并案候选" in page.content.decode()
    # an earlier session's proposal is no candidate
    old = world.city.session
    Proposal.objects.filter(pk=elderly.pk).update(session=type(old).objects.create(
        body=old.body, term=old.term, number=old.number + 10,
        start_date=old.start_date - datetime.timedelta(days=365),
        end_date=old.end_date - datetime.timedelta(days=365),
        proposal_window_start=old.proposal_window_start - datetime.timedelta(days=365),
        proposal_window_end=old.proposal_window_end - datetime.timedelta(days=365)))
    assert login(world.zhou).get(p.get_absolute_url()).context["merge_candidates"] == []
    # the candidate's button merges
    Proposal.objects.filter(pk=elderly.pk).update(session=old)
    login(world.zhou).post(f"/proposals/{p.pk}/act/merge/", {"into": elderly.pk})
    p.refresh_from_db()
    assert p.merged_into_id == elderly.pk


def test_reports_on_one_matter_are_grouped_for_a_combined_adoption(login, world):
    from lvzhi.opinions.models import Report
    from lvzhi.opinions.workflow import perform as act
    from lvzhi.opinions.workflow import save_draft as draft_report

    def report(who, title, situation):
        r = draft_report(who, world.city.body, {"title": title, "situation": situation,
                               "suggestions": "建议有关部门尽快研究解决。",
                               "category": Report.Category.LIVELIHOOD})
        return act(r, "submit", who)

    a = report(world.lin, "公交站台无障碍坡道被占用",
               "多个公交站台的无障碍坡道被共享单车和摊点占用，轮椅使用者无法通行。")
    b = report(world.gao, "共享单车占用无障碍坡道", "不少公交站台坡道被共享单车长期占用，"
               "残疾人轮椅上下公交十分困难。")
    report(world.lin, "中小学课后服务时间偏短", "课后服务结束时间早于家长下班时间，接送困难。")
    page = login(world.zhou).get("/opinions/office/similar/")
    assert page.status_code == 200
    assert [[r.pk for r in g] for g in page.context["groups"]] == [sorted([a.pk, b.pk])]
    html = page.content.decode()
    assert "中小学课后服务" not in html and "第 1 组（2 篇）" in html
    assert login(world.lin).get("/opinions/office/similar/").status_code == 404


def test_the_writing_page_posts_its_text_and_the_api_takes_json(login, world):
    elderly = _filed(world, ELDERLY)
    client = login(world.gao)
    long_text = REWORDED[1] + "补充说明。" * 400  # far beyond what a URL may carry
    page = client.post("/proposals/similar/", {"title": REWORDED[0], "situation": long_text})
    assert page.status_code == 200 and elderly.title in page.content.decode()
    api = client.post("/api/proposals/similar", {"title": REWORDED[0],
                                                  "content": long_text[:3000]},
                      content_type="application/json")
    assert api.status_code == 200 and [p["id"] for p in api.json()] == [elderly.pk]
    assert api.json()[0]["readable"] is False and 0.2 <= api.json()[0]["similarity"] <= 1
    too_long = client.post("/api/proposals/similar", {"content": "长" * 3001},
                           content_type="application/json")
    assert too_long.status_code == 422
