"""One search box: Chinese segmentation with the domain dictionary, ranking, exactly what the
person may see (never a hidden object in results, counts or highlights), 第N号, bad queries,
the index kept in step and rebuilt. The suite runs on SQLite and on PostgreSQL, so the same
queries are checked against FTS5 and against PostgreSQL's full-text search."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from lvzhi.conftest import make_person, role
from lvzhi.core.models import HandlingUnit, RoleKind
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import perform, save_draft
from lvzhi.search import keywords, segment
from lvzhi.search.models import SearchEntry, SearchTerm

pytestmark = pytest.mark.django_db

SNOW = {"title": "关于发展冰雪经济的建议", "situation": "我市冰雪资源丰富，产业链条较短。",
        "analysis": "", "suggestions": "一是培育冰雪装备制造；二是办好冰雪赛事。",
        "category": Proposal.Category.ECONOMY, "keywords": ""}
GREEN = {"title": "关于加强城市绿化的建议", "situation": "冰雪经济带动了旅游，但绿化养护不足。"
         "冰雪经济、冰雪经济、冰雪经济相关场地周边绿地缺少养护。", "analysis": "",
         "suggestions": "增加绿化养护投入。", "category": Proposal.Category.SOCIETY,
         "keywords": ""}


def _filed(world, fields, who=None) -> Proposal:
    person = who or world.lin
    p = save_draft(person.memberships.get(), person, dict(fields))
    perform(p, "submit", person)
    return perform(p, "file", world.zhou)


def _search(client, q, **more):
    return client.get("/search/", {"q": q, **more})


def test_domain_terms_stay_whole_and_a_body_adds_its_own(world):
    assert segment.query_terms("社情民意信息") == ["社情民意信息"]
    assert "民意" in segment.document_terms("反映社情民意信息")  # documents also hold parts
    assert segment.query_terms(world.city.unit.name) == [world.city.unit.name.lower()]
    assert segment.query_terms("群力街道") != ["群力街道"]
    assert "群力街道" not in segment.document_terms("群力街道的积雪")
    SearchTerm.objects.create(body=world.city.body, word="群力街道")
    assert segment.query_terms("群力街道") == ["群力街道"]
    # a text segmented before the word was added is segmented again, not remembered
    assert "群力街道" in segment.document_terms("群力街道的积雪")
    assert segment.query_terms("关于 的 和") == []  # nothing but stop words


def test_a_write_segments_its_text_before_its_transaction(world, monkeypatch):
    """On SQLite a transaction holds the one write lock from its start: the text is
    segmented and its keywords extracted before, and found remembered inside."""
    inside: list[str] = []
    outer = len(connection.atomic_blocks)  # the test's own transaction

    def spy(real):
        def call(*args, **kwargs):
            if len(connection.atomic_blocks) > outer:
                inside.append(real.__name__)
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(segment.jieba, "cut_for_search", spy(segment.jieba.cut_for_search))
    monkeypatch.setattr(keywords.jieba.analyse, "extract_tags",
                        spy(keywords.jieba.analyse.extract_tags))
    seat = world.lin.memberships.get()
    draft = save_draft(seat, world.lin, dict(SNOW))
    save_draft(seat, world.lin, {**SNOW, "situation": "冰雪运动进校园。"}, draft)
    perform(draft, "submit", world.lin)
    perform(draft, "file", world.zhou)
    assert inside == []
    entry = SearchEntry.objects.get(kind="proposal", object_id=draft.pk)
    assert "进校园" in entry.terms.split() and entry.state == "已立案待交办"
    draft.refresh_from_db()
    assert "冰雪" in draft.keywords


def test_a_state_change_keeps_the_terms_and_a_new_word_cuts_the_text_again(
        world, monkeypatch):
    """A proposal's text is segmented when it changes, not on every change of state
    (jieba: ~2 ms a thousand characters; most writes change only a state)."""
    p = _filed(world, SNOW)
    before = SearchEntry.objects.get(kind="proposal", object_id=p.pk)
    cut: list[str] = []
    real = segment.jieba.cut_for_search
    monkeypatch.setattr(segment.jieba, "cut_for_search",
                        lambda text, *a, **k: cut.append(text) or real(text, *a, **k))
    segment._document_terms.cache_clear()  # nothing remembered from the filing
    perform(p, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    after = SearchEntry.objects.get(pk=before.pk)
    assert cut == [] and after.state != before.state
    assert (after.terms, after.digest) == (before.terms, before.digest)
    # A word added to the dictionary: the next write cuts the text again, keeping it whole.
    SearchTerm.objects.create(body=world.city.body, word="冰雪装备制造")
    perform(p, "mark_key", world.zhou, supervisor=world.qin.pk)
    after = SearchEntry.objects.get(pk=before.pk)
    assert cut and "冰雪装备制造" in after.terms.split() and after.digest != before.digest


def test_before_its_transaction_a_state_change_reads_only_the_entrys_digest(
        world, monkeypatch):
    """The hook ahead of each write (index.prepare) costs one indexed read when the
    entry's terms were cut with this dictionary; after a new word it reads the object and
    cuts its text there, outside the write lock."""
    from django.test.utils import CaptureQueriesContext

    from lvzhi.search import index

    p = _filed(world, SNOW)
    with CaptureQueriesContext(connection) as queries:
        index.prepare(Proposal, p.pk)
    assert len(queries) == 1 and "search_searchentry" in queries[0]["sql"]
    SearchTerm.objects.create(body=world.city.body, word="冰雪装备制造")
    cut: list[str] = []
    real = segment.jieba.cut_for_search
    monkeypatch.setattr(segment.jieba, "cut_for_search",
                        lambda text, *a, **k: cut.append(text) or real(text, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        index.prepare(Proposal, p.pk)
    assert cut and any("proposals_proposal" in q["sql"] for q in queries)


def test_a_change_of_state_alone_writes_only_the_entrys_state(world):
    """A save of an object's state field and nothing else (交办, a satisfied 评价, most
    writes) writes the entry's state label and reads nothing — not the object's replies,
    not its text. The entry is then what indexing it whole gives; an object with no entry
    yet is indexed whole."""
    from django.test.utils import CaptureQueriesContext

    from lvzhi.search import index

    p = _filed(world, SNOW)
    p.state = Proposal.State.HANDLING
    with CaptureQueriesContext(connection) as queries:
        p.save(update_fields=["state"])
    entry_sql = [q["sql"] for q in queries if "search_searchentry" in q["sql"]]
    assert len(entry_sql) == 1 and entry_sql[0].startswith("UPDATE"), entry_sql
    assert not any("proposals_reply" in q["sql"] or "proposals_assignment" in q["sql"]
                   for q in queries)
    entry = SearchEntry.objects.get(kind="proposal", object_id=p.pk)
    whole = index._entry(index.KINDS["proposal"], Proposal.objects.get(pk=p.pk))
    assert entry.state == "办理中" == whole.state
    assert [getattr(entry, f) for f in index.FIELDS] == [getattr(whole, f) for f in index.FIELDS]
    SearchEntry.objects.filter(kind="proposal", object_id=p.pk).delete()
    p.state = Proposal.State.EVALUATING
    p.save(update_fields=["state"])
    assert SearchEntry.objects.get(kind="proposal", object_id=p.pk).terms == whole.terms
    p.title = "冰雪经济的新建议"
    p.save(update_fields=["state", "title"])  # not the state alone: indexed whole
    assert SearchEntry.objects.get(kind="proposal", object_id=p.pk).title == p.title


def test_a_reply_is_found_once_accepted_and_a_pending_one_reads_nothing(world):
    """A unit's reply is indexed with its proposal once the office accepts it; saving it
    while pending (the unit's 答复) or sending it back touches no entry and reads none of
    the proposal's assignments or replies."""
    from django.test.utils import CaptureQueriesContext

    from lvzhi.proposals.models import Reply

    p = perform(_filed(world, SNOW), "assign", world.zhou, handling="single",
                units=[world.city.unit.pk])
    perform(p, "record_contact", world.ma, way="meeting", date=p.filed_at.date(),
            summary="面谈")
    with CaptureQueriesContext(connection) as queries:
        perform(p, "reply", world.ma, category="A", text="已建成冰壶训练馆三座。")
    entry_sql = [q["sql"] for q in queries if "search_searchentry" in q["sql"]]
    assert len(entry_sql) == 1 and '"digest"' in entry_sql[0], entry_sql  # prepare's alone
    assert "冰壶" not in SearchEntry.objects.get(kind="proposal", object_id=p.pk).terms
    reply = Reply.objects.get(state=Reply.State.PENDING)
    perform(p, "review_reply", world.zhou, reply=reply.pk, decision="accept")
    assert "冰壶" in SearchEntry.objects.get(kind="proposal", object_id=p.pk).terms
    assert _stored_entry("proposal", p) == _whole_entry("proposal", p)


def _whole_entry(kind: str, obj) -> list:
    from lvzhi.search import index

    fresh = type(obj).objects.get(pk=obj.pk)
    return [getattr(index._entry(index.KINDS[kind], fresh), f) for f in index.FIELDS]


def _stored_entry(kind: str, obj) -> list:
    from lvzhi.search import index

    stored = SearchEntry.objects.get(kind=kind, object_id=obj.pk)
    return [getattr(stored, f) for f in index.FIELDS]


def test_a_submission_and_a_filing_write_their_entry_without_rebuilding_it(world):
    """Submitting and filing change a proposal's state, its time and its number (at the
    head of the snippet), not its text: the entry takes those columns in one UPDATE, with
    nothing read or segmented — and is then exactly what indexing the proposal whole
    gives. A report's submission (its state, time and year) likewise."""
    from django.test.utils import CaptureQueriesContext

    from lvzhi.opinions.tests.conftest import REPORT
    from lvzhi.opinions.workflow import perform as act
    from lvzhi.opinions.workflow import save_draft as draft_report

    p = save_draft(world.lin.memberships.get(), world.lin, dict(SNOW))
    for action, who in (("submit", world.lin), ("file", world.zhou)):
        with CaptureQueriesContext(connection) as queries:
            p = perform(p, action, who)
        entry_sql = [q["sql"] for q in queries if "search_searchentry" in q["sql"]]
        assert [sql.split()[0] for sql in entry_sql] == ["SELECT", "UPDATE"], entry_sql
        assert not any("proposals_assignment" in q["sql"] for q in queries), action
        assert _stored_entry("proposal", p) == _whole_entry("proposal", p), action
    stored = SearchEntry.objects.get(kind="proposal", object_id=p.pk)
    assert stored.text.startswith(f"第{p.number}号") and stored.happened_at == p.submitted_at
    assert stored.state == "已立案待交办"

    report = draft_report(world.han, world.xiangfang.body, dict(REPORT))
    with CaptureQueriesContext(connection) as queries:
        report = act(report, "submit", world.han)
    entry_sql = [q["sql"] for q in queries if "search_searchentry" in q["sql"]]
    assert [sql.split()[0] for sql in entry_sql] == ["SELECT", "UPDATE"], entry_sql
    assert _stored_entry("report", report) == _whole_entry("report", report)
    stored = SearchEntry.objects.get(kind="report", object_id=report.pk)
    assert stored.happened_at == report.submitted_at and stored.state == "已提交"


def test_adopting_a_report_cuts_no_text_and_an_edit_is_found(world, monkeypatch):
    """Adoption copies the written text into the edited one: nothing new to find, so the
    entry keeps its terms (and the adoption's write segments nothing); the office's own
    wording, once edited, is found."""
    from lvzhi.opinions.tests.conftest import REPORT
    from lvzhi.opinions.workflow import perform as act
    from lvzhi.opinions.workflow import save_draft as draft_report

    xf_staff = make_person("xfstaff", "冯晓丽", "13900006101")
    role(xf_staff, world.xiangfang, RoleKind.STAFF, department=world.xiangfang.department)
    r = act(draft_report(world.han, world.xiangfang.body, dict(REPORT)), "submit", world.han)
    before = SearchEntry.objects.get(kind="report", object_id=r.pk)
    cut: list[str] = []
    real = segment.jieba.cut_for_search
    monkeypatch.setattr(segment.jieba, "cut_for_search",
                        lambda text, *a, **k: cut.append(text) or real(text, *a, **k))
    segment._document_terms.cache_clear()
    r = act(r, "adopt", xf_staff)
    after = SearchEntry.objects.get(pk=before.pk)
    assert r.edited_text and cut == [] and after.state != before.state
    assert (after.terms, after.digest) == (before.terms, before.digest)
    act(r, "edit", xf_staff, title=r.title, text=r.edited_text + "建议配备小型扫雪机。")
    after = SearchEntry.objects.get(pk=before.pk)
    assert "扫雪" in after.terms.split() and after.digest != before.digest


def test_an_exact_title_comes_first_and_snippets_mark_the_terms(login, world):
    green = _filed(world, GREEN)
    snow = _filed(world, SNOW)
    page = _search(login(world.zhou), "冰雪经济")
    hits = page.context["found"].hits
    assert [h.object_id for h in hits[:2]] == [snow.pk, green.pk]
    assert "关于发展<mark>冰雪经济</mark>的建议" in page.content.decode()
    assert "<mark>冰雪经济</mark>" in str(hits[1].snippet)


def test_nothing_hidden_is_found_counted_or_quoted(login, world):
    draft = save_draft(world.lin.memberships.get(), world.lin, dict(SNOW))
    # another member never finds lin's draft; lin does
    for who, n in ((world.gao, 0), (world.zhou, 0), (world.lin, 1)):
        page = _search(login(who), "冰雪装备")
        assert page.context["found"].total == n
        assert ("<mark>" in page.content.decode()) == bool(n)
    perform(draft, "submit", world.lin)
    perform(draft, "file", world.zhou)
    perform(draft, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    other = HandlingUnit.objects.create(body=world.city.body, name="市住房和城乡建设局")
    stranger = make_person("zhujian", "住建承办人", "13900003009")
    role(stranger, world.city, RoleKind.UNIT_HANDLER, handling_unit=other)
    # the assigned unit finds it; another unit, a district's staff and member do not
    assert _search(login(world.ma), "冰雪装备").context["found"].total == 1
    for who in (stranger, world.pan, world.dong):
        page = _search(login(who), "冰雪装备")
        found = page.context["found"]
        assert found.total == 0 and found.by_kind == {} and "冰雪装备" not in str(found.hits)
        assert "<mark>" not in page.content.decode()
        api = login(who).get("/api/search", {"q": "冰雪装备"})
        assert api.status_code == 200 and api.json()["total"] == 0 and "冰雪" not in \
            str(api.json()["items"])


def test_a_number_goes_straight_to_the_proposal_one_may_see(login, world):
    snow = _filed(world, SNOW)
    office = login(world.zhou)
    response = _search(office, f"第{snow.number}号")
    assert response.status_code == 302 and response.url == f"/proposals/{snow.pk}/"
    assert office.get("/api/search", {"q": f"{snow.number}号"}).json()["jump"] == \
        f"/proposals/{snow.pk}/"
    district = _search(login(world.pan), f"第{snow.number}号")
    assert district.status_code == 200 and district.context["found"].total == 0


@pytest.mark.parametrize("query", ["", "冰" * 1000, '"*():^', "冰雪\x00经济", "NEAR(冰雪 经济)",
                                   "冰雪 OR 1=1; --", "\\", "第号", "第99999999号"])
def test_bad_queries_answer_normally(login, world, query):
    _filed(world, SNOW)
    client = login(world.zhou)
    page = _search(client, query)
    assert page.status_code == 200
    api = client.get("/api/search", {"q": query[:200]})
    assert api.status_code == 200


def test_the_api_refuses_what_is_not_a_query(login, world):
    client = login(world.zhou)
    for params in ({"q": "冰" * 201}, {"kind": "secret"}, {"page": "0"}, {"year": "x"},
                   {"q": ["冰雪", "经济"]}, {"page": ["x", "1"]}):
        response = client.get("/api/search", params)
        assert response.status_code == 422, params
    assert login(world.zhou).get("/api/search", {"q": "冰雪", "kind": "proposal"}
                                 ).status_code == 200


def test_filters_by_kind_and_year_and_pages(login, world):
    snow = _filed(world, SNOW)
    client = login(world.zhou)
    year = snow.session.start_date.year
    assert _search(client, "冰雪", kind="proposal", year=year).context["found"].total == 1
    assert _search(client, "冰雪", kind="report").context["found"].total == 0
    assert _search(client, "冰雪", year=year - 5).context["found"].total == 0
    assert _search(client, "冰雪", page="999").context["found"].page == 1


def test_the_index_follows_edits_and_is_rebuilt(login, world, capsys):
    draft = save_draft(world.lin.memberships.get(), world.lin, dict(SNOW))
    client = login(world.lin)
    assert _search(client, "冰雪").context["found"].total == 1
    save_draft(world.lin.memberships.get(), world.lin, {**SNOW, "title": "关于建设口袋公园的建议",
                                                        "situation": "口袋公园不足。",
                                                        "suggestions": "增建口袋公园。"},
               proposal=draft)
    assert _search(client, "冰雪").context["found"].total == 0
    assert _search(client, "口袋公园").context["found"].total == 1
    SearchEntry.objects.all().delete()
    assert _search(client, "口袋公园").context["found"].total == 0
    call_command("reindex")
    assert "已重建检索索引" in capsys.readouterr().out
    assert _search(client, "口袋公园").context["found"].total == 1
    assert _analyzed("search_searchentry")  # planned on the new rows at once
    draft.delete()
    assert not SearchEntry.objects.filter(kind="proposal", object_id=draft.pk).exists()


def _analyzed(table: str) -> bool:
    """Whether the database holds statistics of `table` gathered by ANALYZE."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0] > 0


def test_people_by_name_for_those_who_see_the_directory(login, world):
    call_command("reindex", "person")
    name = world.gao.full_name
    page = _search(login(world.zhou), name)
    assert any(h.kind == "person" for h in page.context["found"].hits)
    assert _search(login(world.ma), name).context["found"].by_kind.get("person", 0) == 0
