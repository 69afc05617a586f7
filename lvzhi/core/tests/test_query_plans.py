"""The default order of the busiest lists is read from an index, never by sorting every row
(the cost would grow with the data): the query each page really runs, explained by the
database it runs on — SQLite and PostgreSQL, as the suite runs on both."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.opinions.tests.test_cycle import submitted
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft

pytestmark = pytest.mark.django_db


def _plan(sql: str, params: tuple = ()) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(row[3] for row in cursor.fetchall())
        # Tiny test tables make a sort cheapest; forbidding sorts asks whether an index
        # *can* give this order (if none can, PostgreSQL still sorts, and the test fails).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _sorts(plan: str) -> bool:
    if connection.vendor == "sqlite":
        return "TEMP B-TREE FOR ORDER BY" in plan
    return bool(re.search(r"^\s*(->\s*)?(Incremental )?Sort\b", plan, re.MULTILINE))


def _ids_query(client, url: str, table: str) -> str:
    """The page's first query of its rows' ids in order (the one that pages)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    for query in captured.captured_queries:
        sql = query["sql"]
        if f'FROM "{table}"' in sql and "ORDER BY" in sql and "LIMIT" in sql:
            return sql
    raise AssertionError(f"no ordered, limited query on {table} for {url}")


@pytest.mark.parametrize("url, table, who", [
    ("/proposals/office/", "proposals_proposal", "zhou"),
    # the keyword asked of each row as the ledger is walked (proposals/ledger.py walked)
    ("/proposals/office/?q=建议", "proposals_proposal", "zhou"),
    ("/opinions/office/", "opinions_report", "zhou"),
    ("/proposals/", "proposals_proposal", "lin"),
    ("/people/", "core_member", "zhou"),
    ("/duties/office/", "duties_memberevaluation", "zhou"),
])
def test_the_default_order_comes_from_an_index(login, world, url, table, who):
    for i in range(3):
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
        perform(p, "submit", world.lin)
        submitted(world.lin, world.city.body)
    sql = _ids_query(login(getattr(world, who)), url, table)
    plan = _plan(sql)
    assert not _sorts(plan), plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite names a covering index")
@pytest.mark.parametrize("url, table, index", [
    ("/proposals/office/?page=2", "proposals_proposal", "proposal_newest"),
    ("/opinions/office/?page=2", "opinions_report", "report_newest"),
])
def test_a_deep_page_skips_drafts_within_the_index(login, world, url, table, index):
    """Page 100 of a city's ledger passes 3,000 rows: judging each one's state from the
    index, not from the wide row, made it twenty-five times cheaper."""
    for i in range(4):  # drafts among the submitted, as in every body
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
        if i % 2:
            perform(p, "submit", world.lin)
            submitted(world.lin, world.city.body)
    plan = _plan(_ids_query(login(world.zhou), url, table))
    assert f"USING COVERING INDEX {index}" in plan, plan


@pytest.mark.parametrize("table, column", [
    ("opinions_report", "forwarded_from_id"), ("opinions_report", "issue_id"),
    ("proposals_proposal", "merged_into_id"), ("proposals_proposal", "supervisor_id"),
])
def test_nearly_empty_references_are_found_by_an_index(world, table, column):
    """A report's forwarded copies, a bulletin's reports, a proposal's merged ones: most rows
    hold NULL there, which made SQLite's statistics call a whole-column index useless (it
    scanned every report for each report page). A partial index of the filled rows is
    used on both databases, whatever the statistics say."""
    for i in range(3):  # rows whose reference is empty, as nearly all are
        save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
        submitted(world.lin, world.city.body)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    if connection.vendor == "sqlite":
        plan = _plan(f'SELECT * FROM "{table}" WHERE "{column}" IN (1, 2)')
        assert "SEARCH" in plan and "INDEX" in plan and "SCAN" not in plan, plan
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = _plan(f'SELECT * FROM "{table}" WHERE "{column}" IN (1, 2)')
        assert "Index" in plan and "Seq Scan" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's matches come from "
                    "its GIN index and carry no rowid lookup")
def test_the_keyword_box_reads_its_matches_from_an_index(login, world):
    """The ledger's keyword box matches every entry holding a word; which proposal each is
    comes from the index of what a match filters by, not from the wide row (its text and
    terms: 3× slower for a common word at ten times Harbin)."""
    for i in range(3):
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"养老建议{i}"})
        perform(p, "submit", world.lin)
    with CaptureQueriesContext(connection) as captured:
        page = login(world.zhou).get("/proposals/office/", {"q": "养老"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 3
    sql = next(q["sql"] for q in captured.captured_queries if "search_searchentry" in q["sql"])
    plan = _plan(sql)
    assert "COVERING INDEX search_match" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps long text out "
                    "of the row (TOAST); its matches come from the GIN index")
@pytest.mark.parametrize("who, filters", [("zhou", {"kind": "proposal"}), ("lin", {})])
def test_a_search_reads_its_matches_filters_and_scope_from_the_index(login, world, who,
                                                                     filters):
    """A filtered search (the office's) and a member's (scoped to what they may see) look
    at every match's filters, not at its text: read from the row, those columns lie after
    the text and terms, on their overflow pages (2–3× slower for a common word). Only the
    best 300, after the walk, are read whole."""
    for i in range(3):
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"养老建议{i}"})
        perform(p, "submit", world.lin)
    with CaptureQueriesContext(connection) as captured:
        page = login(getattr(world, who)).get("/search/", {"q": "养老", **filters})
    assert page.status_code == 200 and page.context["found"].total == 3
    sql = [q["sql"] for q in captured.captured_queries if "MATCH" in q["sql"]
           and "search_searchentry" in q["sql"]][-1]  # the one that gave the results
    plan = _plan(sql)
    if "SCAN l" not in plan:  # an office's: FTS5 ranked every match, the best 300 looked up
        assert "USING INDEX search_match" in plan, plan
        return
    walk = plan[plan.index("SCAN f VIRTUAL TABLE"):plan.index("SCAN l")].split(
        "LIST SUBQUERY")[0]  # the matches, newest first, up to the window
    assert "USING COVERING INDEX search_match" in walk, plan
    assert "INTEGER PRIMARY KEY" not in walk, plan


def test_a_members_own_proposals_and_reports_are_found_by_indexes(world):
    """What a member sees of the proposals and reports (their own, co-signed, co-reported,
    merged), and a unit of its assigned proposals, is an OR of id lists: served by indexes
    on both databases. PostgreSQL scanned
    every row for the OR of subqueries it was before (18–22 ms at Harbin scale, on each
    member's search)."""
    from lvzhi.opinions.access import reports_for
    from lvzhi.proposals.access import proposals_for

    for i in range(3):
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
        perform(p, "submit", world.lin)
        submitted(world.lin, world.city.body)
    joint = save_draft(world.gao.memberships.get(), world.gao, {
        **DRAFT, "title": "联名建议", "kind": "joint",
        "cosigners": [world.lin.memberships.get().pk]})
    assert "联名建议" not in set(proposals_for(world.lin).values_list("title", flat=True))
    perform(joint, "submit", world.gao)
    assert set(proposals_for(world.lin).values_list("title", flat=True)) == {
        "建议0", "建议1", "建议2", "联名建议"}
    filed = perform(p, "file", world.zhou)  # the last of lin's, to the city's unit
    perform(filed, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    assert list(proposals_for(world.ma).values_list("pk", flat=True)) == [filed.pk]
    for qs in (proposals_for(world.lin), reports_for(world.lin), proposals_for(world.ma)):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        plan = _plan(*qs.values("pk").query.sql_with_params())
        if connection.vendor == "sqlite":
            # (a unit's list is one JSON array: reading it is its scan, not the table's)
            assert "SCAN" not in plan.replace("SCAN json_each", ""), plan
        else:
            assert "Seq Scan" not in plan and "SubPlan" not in plan, plan


def test_what_a_members_proposals_went_into_is_read_from_a_narrow_index(world):
    """Every visibility check of a member asks which of their proposals were merged (并案)
    into another: nearly none are. The proposer's index read each of their proposals'
    wide rows to find none (20 ms cold for the bench's 2,000); the partial index of merged
    ones on (proposer, merged_into) answers it alone. (The query as proposals_for runs it.)"""
    from lvzhi.proposals.models import Proposal

    for i in range(3):
        save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")
    seats = list(world.lin.memberships.values_list("pk", flat=True))
    query = Proposal.objects.filter(proposer_id__in=seats, merged_into__isnull=False)\
        .order_by().values_list("merged_into_id", flat=True).query
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    plan = _plan(*query.sql_with_params())
    if connection.vendor == "sqlite":
        assert "COVERING INDEX proposal_merged_by" in plan, plan
    else:
        assert "proposal_merged_by" in plan, plan


def test_postgresql_compiles_no_query_just_in_time():
    """A page's query the planner thinks costly (a common word's matches at a province's
    scale) paid 40–50 ms of JIT compiling to save nothing: the connection turns it off."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
