"""Filters beside the results (body, session, state, category, sector, keyword) and the
keywords they use: extracted on save, corrected by staff, counted in the figures."""

from __future__ import annotations

import pytest

from lvzhi.core.models import Event
from lvzhi.opinions.models import Report
from lvzhi.opinions.workflow import perform as act
from lvzhi.opinions.workflow import save_draft as draft_report
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import save_draft
from lvzhi.search.models import SearchEntry
from lvzhi.search.tests.test_search import GREEN, SNOW, _filed, _search

pytestmark = pytest.mark.django_db


def test_keywords_are_extracted_on_save_unless_typed(world):
    p = save_draft(world.lin.memberships.get(), world.lin, dict(SNOW))
    assert "冰雪经济" in p.keywords.split("、") and "建议" not in p.keywords
    typed = save_draft(world.lin.memberships.get(), world.lin,
                       {**SNOW, "keywords": "冰雪装备，  赛事;冰雪装备"})
    assert typed.keywords == "冰雪装备、赛事"
    entry = SearchEntry.objects.get(kind="proposal", object_id=typed.pk)
    assert entry.keywords == "、冰雪装备、赛事、"


def test_a_report_gets_keywords_and_the_office_corrects_them(login, world):
    r = draft_report(world.lin, world.city.body, {
        "title": "老旧小区加装电梯推进缓慢", "situation": "老旧小区加装电梯协调难、资金难。",
        "suggestions": "简化加装电梯审批。", "category": Report.Category.LIVELIHOOD})
    assert "电梯" in r.keywords.split("、")
    act(r, "submit", world.lin)
    office = login(world.zhou)
    response = office.post(f"/opinions/{r.pk}/act/set_keywords/",
                           {"keywords": "加装电梯、老旧小区改造"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.keywords == "加装电梯、老旧小区改造"
    assert Event.objects.filter(action="set_keywords", object_id=r.pk).count() == 1
    found = _search(office, "", keyword="老旧小区改造").context["found"]
    assert [h.object_id for h in found.hits] == [r.pk]


def test_only_the_office_corrects_keywords_and_too_long_is_refused(login, world):
    p = _filed(world, SNOW)
    before = p.keywords
    for who, status in ((world.lin, 403), (world.pan, 404), (world.ma, 404)):
        response = login(who).post(f"/proposals/{p.pk}/act/set_keywords/",
                                   {"keywords": "别的"})
        assert response.status_code == status, who
    page = login(world.zhou).post(f"/proposals/{p.pk}/act/set_keywords/",
                                  {"keywords": "冰雪" * 60})
    assert page.status_code == 400
    html = page.content.decode()
    assert "关键词不能超过 100 字" in html and 'aria-invalid="true"' in html
    assert "冰雪" * 60 in html  # what was typed comes back
    p.refresh_from_db()
    assert p.keywords == before
    assert not Event.objects.filter(action="set_keywords").exists()
    # left blank: extracted from the text again
    login(world.zhou).post(f"/proposals/{p.pk}/act/set_keywords/", {"keywords": ""})
    p.refresh_from_db()
    assert "冰雪经济" in p.keywords


def test_filters_narrow_and_facets_count_only_what_one_may_see(login, world):
    snow, green = _filed(world, SNOW), _filed(world, GREEN, who=world.gao)
    client = login(world.zhou)
    found = _search(client, "冰雪经济").context["found"]
    assert found.total == 2
    assert {label for _v, label, _n in found.facets["category"]} == {"经济建设", "社会事业"}
    assert {v for v, _l, _n in found.facets["sector"]} == {
        world.city.sector.pk, world.city.other_sector.pk}
    for params, expected in (
            ({"category": "经济建设"}, [snow]),
            ({"sector": world.city.other_sector.pk}, [green]),
            ({"session": world.city.session.pk, "kind": "proposal"}, [snow, green]),
            ({"state": "已立案待交办"}, [snow, green]),
            ({"state": "办理中"}, []),
            ({"body": world.daoli.body.pk}, []),
            ({"keyword": "赛事"}, [snow])):
        hits = _search(client, "冰雪经济", **params).context["found"].hits
        assert {h.object_id for h in hits} == {p.pk for p in expected}, params
        api = client.get("/api/search", {"q": "冰雪经济", **params}).json()
        assert {i["id"] for i in api["items"]} == {p.pk for p in expected}, params
    page = _search(client, "冰雪经济", category="经济建设").content.decode()
    assert '<option value="经济建设" selected>经济建设（1）</option>' in page
    # a district's staff sees no city proposal: no facet names it either
    district = _search(login(world.pan), "冰雪经济", category="经济建设").context["found"]
    assert district.total == 0 and district.facets == {}
    assert login(world.pan).get("/api/search", {"q": "冰雪经济"}).json()["facets"] == {}


def test_facet_names_follow_a_renamed_sector_at_once(login, world):
    """The bodies', sessions' and sectors' names beside the results are kept between
    searches, with the setup: a sector renamed shows its new name on the next search."""
    _filed(world, SNOW)
    client = login(world.zhou)
    sector = world.city.sector
    found = _search(client, "冰雪经济", kind="proposal").context["found"]
    assert found.facets["sector"] == [(sector.pk, sector.name, 1)]  # now kept
    world.city.sector.name = "经济界别（更名）"
    world.city.sector.save()
    found = _search(client, "冰雪经济", kind="proposal").context["found"]
    assert found.facets["sector"] == [(world.city.sector.pk, "经济界别（更名）", 1)]


@pytest.mark.parametrize("params", [{"keyword": "%"}, {"keyword": "_"}, {"state": "x" * 300},
                                    {"body": "abc"}, {"sector": "-1"}, {"session": "9" * 30},
                                    {"category": "\x00"}])
def test_bad_filters_answer_normally_on_the_page_and_are_refused_by_the_api(login, world,
                                                                          params):
    _filed(world, SNOW)
    client = login(world.zhou)
    assert _search(client, "冰雪", **params).status_code == 200
    status = client.get("/api/search", {"q": "冰雪", **params}).status_code
    assert status in (200, 422)


def test_the_figures_show_a_sessions_top_keywords(login, world):
    _filed(world, SNOW)
    _filed(world, {**SNOW, "title": "关于冰雪经济人才培养的建议"}, who=world.gao)
    page = login(world.zhou).get("/proposals/office/figures/")
    figures = page.context["figures"]
    assert figures.keywords[0] == ("冰雪经济", 2)
    assert "热门关键词" in page.content.decode()
    assert Proposal.objects.count() == 2


def test_members_are_found_by_their_fields_of_expertise(login, world):
    from lvzhi.duties.models import Expert, ExpertiseField

    field = ExpertiseField.objects.create(body=world.city.body, name="寒地建筑")
    expert = Expert.objects.create(body=world.city.body, member=world.gao.memberships.get())
    client = login(world.zhou)
    assert _search(client, "寒地建筑", kind="person").context["found"].total == 0
    expert.fields.add(field)  # tags come after the row: the member is indexed again
    hits = _search(client, "寒地建筑", kind="person").context["found"].hits
    assert [h.object_id for h in hits] == [world.gao.memberships.get().pk]
    assert "<mark>寒地</mark>" in str(hits[0].snippet)
    # an outside expert (no seat) is not a member in the directory: nothing indexed, no error
    Expert.objects.create(body=world.city.body, name="外聘专家").fields.add(field)
    assert _search(client, "寒地建筑", kind="person").context["found"].total == 1
    assert _search(login(world.pan), "寒地建筑").context["found"].total == 0


def test_a_member_finds_their_own_among_many_better_matches(login, world, monkeypatch):
    from lvzhi.search import engine

    for _ in range(4):
        _filed(world, GREEN, who=world.gao)  # 冰雪经济 four times each: ranked higher
    mine = save_draft(world.lin.memberships.get(), world.lin,
                      {**SNOW, "situation": "冰雪经济有待培育。", "suggestions": "培育产业。"})
    monkeypatch.setattr(engine, "CANDIDATES", 3)
    office = _search(login(world.zhou), "冰雪经济").context["found"]
    assert mine.pk not in {h.object_id for h in office.hits}  # a draft: not the office's
    found = _search(login(world.lin), "冰雪经济").context["found"]
    assert [h.object_id for h in found.hits if h.kind == "proposal"] == [mine.pk]


def test_a_members_own_kinds_are_scoped_in_the_match_and_need_no_check_after(
        login, world, monkeypatch):
    """A kind the person does not read across a body is scoped in the match itself by its
    visible() as a subquery, however many objects they own: asked once a search, and its
    matches are not checked again after. (Fetched as ids first, a member owning more than
    2,000 proposals was matched across the body instead, and found none of their own
    among the best 300: the bench member's 养老服务.) The office's matches, read across
    the body, are checked against its visibility after, as one list of ids."""
    import dataclasses

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvzhi.search import engine, index

    others = [_filed(world, GREEN, who=world.gao) for _ in range(4)]  # ranked higher
    mine = [save_draft(world.lin.memberships.get(), world.lin, dict(SNOW)) for _ in range(2)]
    kind = index.KINDS["proposal"]
    asked: list[object] = []

    def visible(user):
        asked.append(user)
        return kind.visible(user)

    def checks(queries) -> int:  # the visibility checks of a list of matched ids
        return sum("json_each" in q["sql"] or "= ANY(" in q["sql"] for q in queries)

    monkeypatch.setitem(index.KINDS, "proposal", dataclasses.replace(kind, visible=visible))
    monkeypatch.setattr(engine, "CANDIDATES", 3)
    member = login(world.lin)
    with CaptureQueriesContext(connection) as queries:
        found = _search(member, "冰雪经济", kind="proposal").context["found"]
    assert {h.object_id for h in found.hits} == {p.pk for p in mine}
    assert found.total == 2 and not found.capped
    assert len(asked) == 1 and checks(queries) == 0
    zhou = login(world.zhou)
    with CaptureQueriesContext(connection) as queries:
        office = _search(zhou, "冰雪经济", kind="proposal").context["found"]
    assert {h.object_id for h in office.hits} <= {p.pk for p in others}  # drafts: not theirs
    assert office.total == 3 and office.capped and checks(queries) == 1
