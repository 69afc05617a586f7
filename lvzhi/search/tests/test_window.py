"""A common word at a province's scale: only the newest SEARCH_RANK_WINDOW matches of what
the person may see are ranked, and the page says so (search/fts.py, newest_ranked). On
SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import perform, save_draft
from lvzhi.search import fts, segment
from lvzhi.search.engine import COLUMNS

pytestmark = pytest.mark.django_db

ONCE = {"title": "关于完善社区服务的建议", "situation": "社区里的冰雪场地少。", "analysis": "",
        "suggestions": "增加社区服务站点。", "category": Proposal.Category.SOCIETY,
        "keywords": ""}
# The most relevant of all for 冰雪: the word in its title and again and again in its text.
MOST = {"title": "关于发展冰雪经济的建议", "situation": "冰雪资源、冰雪产业、冰雪赛事、冰雪旅游。",
        "analysis": "", "suggestions": "冰雪装备制造。", "category": Proposal.Category.ECONOMY,
        "keywords": ""}


def _filed(world, fields, who) -> Proposal:
    p = save_draft(who.memberships.get(), who, dict(fields))
    perform(p, "submit", who)
    return perform(p, "file", world.zhou)


def _found(client, **params):
    page = client.get("/search/", {"q": "冰雪", **params})
    api = client.get("/api/search", {"q": "冰雪", **params}).json()
    found = page.context["found"]
    assert [i["id"] for i in api["items"]] == [h.object_id for h in found.hits]
    assert api["windowed"] == found.windowed
    return found, page.content.decode()


def test_only_the_newest_matches_are_ranked_when_more_match_and_the_page_says_so(
        login, world, settings):
    oldest = _filed(world, MOST, world.lin)
    newer = [_filed(world, ONCE, world.gao) for _ in range(4)]
    office = login(world.zhou)
    settings.SEARCH_RANK_WINDOW = 10
    found, page = _found(office)
    assert found.hits[0].object_id == oldest.pk  # the most relevant first
    assert found.total == 5 and found.windowed == 0 and "只在最近的" not in page
    settings.SEARCH_RANK_WINDOW = 3
    found, page = _found(office)
    assert {h.object_id for h in found.hits} == {p.pk for p in newer[1:]}
    assert found.total == 3 and found.windowed == 3
    assert "匹配的内容很多，只在最近的 3 条中按相关程度列出" in page
    settings.SEARCH_RANK_WINDOW = 5  # exactly as many as match: nothing left out, no notice
    found, page = _found(office)
    assert found.total == 5 and found.windowed == 0 and "只在最近的" not in page


def test_the_window_holds_what_the_person_may_see_and_chose_before_anything_newer(
        login, world, settings):
    """A member's own old proposals, or a filter's, are not pushed out of the window by
    the many newer entries they may not see or did not ask for."""
    own = [_filed(world, MOST, world.lin), _filed(world, ONCE, world.lin)]
    others = [_filed(world, ONCE, world.gao) for _ in range(4)]
    settings.SEARCH_RANK_WINDOW = 2
    found, _page = _found(login(world.lin))
    assert [h.object_id for h in found.hits] == [p.pk for p in own]
    assert found.windowed == 0
    office = login(world.zhou)
    found, _page = _found(office)
    assert {h.object_id for h in found.hits} == {p.pk for p in others[2:]}
    assert found.windowed == 2
    found, _page = _found(office, category="经济建设")
    assert [h.object_id for h in found.hits] == [own[0].pk] and found.windowed == 0


def test_a_district_office_ranks_its_own_bodys_newest_not_the_whole_citys(
        login, world, settings, monkeypatch):
    """An office reads its own body's proposals: the window (and the best 300) are taken
    of those, not of every body's, of which it would then see nothing."""
    from lvzhi.search import engine

    mine = []
    for fields in (MOST, ONCE):
        p = save_draft(world.dong.memberships.get(), world.dong, dict(fields))
        perform(p, "submit", world.dong)
        mine.append(perform(p, "file", world.pan))
    city = [_filed(world, MOST, world.gao) for _ in range(3)]  # newer, another body
    settings.SEARCH_RANK_WINDOW = 2
    found, _page = _found(login(world.pan))
    assert [h.object_id for h in found.hits] == [p.pk for p in mine]
    assert found.windowed == 0
    found, _page = _found(login(world.zhou))
    assert {h.object_id for h in found.hits} == {p.pk for p in city[1:]}
    # Within the window, FTS5's best of every match is tried first: the best two of all
    # hold a city proposal, so the district's own are ranked instead.
    settings.SEARCH_RANK_WINDOW = 5000
    monkeypatch.setattr(engine, "CANDIDATES", 2)
    found, _page = _found(login(world.pan))
    assert [h.object_id for h in found.hits] == [p.pk for p in mine]
    found, _page = _found(login(world.zhou))  # the best two of all are the city's own
    assert len(found.hits) == 2 and {h.object_id for h in found.hits} < {p.pk for p in city}


def test_the_match_walks_the_newest_matches_without_sorting_them_all(world):
    """SQLite's plan: FTS5 hands its matches over newest first and the window stops the
    walk; what is sorted is the window's rows (by rank) and the page's, never the matches."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plan")
    _filed(world, MOST, world.lin), _filed(world, ONCE, world.gao)  # more than the window
    terms = segment.query_terms("冰雪")
    for conditions in ([], [("e.body_id = %s", world.city.body.pk)]):
        plan = _plan(terms, conditions)
        walk = next(node for node, _parent, line in plan
                    if line in ("CO-ROUTINE l", "MATERIALIZE l"))
        inside = [line for _node, parent, line in plan if parent == walk]
        assert inside[0].startswith("SCAN f VIRTUAL TABLE"), plan
        assert not any("TEMP B-TREE" in line for line in inside), plan


def _plan(terms: list[str], conditions: list) -> list[tuple[int, int, str]]:
    """The EXPLAIN QUERY PLAN of the windowed match: (node, parent, what) each."""
    seen: list[tuple[int, int, str]] = []

    def explain(execute, sql, params, many, context):
        cursor = context["cursor"].cursor  # the database's own: no wrappers again
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        seen.extend((row[0], row[1], row[-1]) for row in cursor.fetchall())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        rows, more = fts.newest_ranked(terms, COLUMNS, conditions, 300, 1)
    assert len(rows) == 1 and more
    return seen


def test_a_whole_rebuild_numbers_the_entries_in_time_order(world):
    """The window counts on ids: a rebuild writes the kinds together, oldest first."""
    import datetime

    from lvzhi.search.index import reindex
    from lvzhi.search.models import SearchEntry

    filed = [_filed(world, ONCE, world.gao) for _ in range(3)]
    start = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    for days, p in zip((30, 10, 20), filed, strict=True):  # made in another order
        Proposal.objects.filter(pk=p.pk).update(submitted_at=start + datetime.timedelta(days))
    reindex()
    entries = list(SearchEntry.objects.order_by("id"))
    times = [e.happened_at for e in entries if e.happened_at]
    assert times == sorted(times) and len(times) >= 3
    proposals = [e.object_id for e in entries if e.kind == "proposal"]
    assert proposals == [filed[1].pk, filed[2].pk, filed[0].pk]
    assert {e.kind for e in entries} > {"proposal"}  # the members' entries too, in one run
