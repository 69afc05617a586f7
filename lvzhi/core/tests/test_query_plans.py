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


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(row[3] for row in cursor.fetchall())
        # Tiny test tables make a sort cheapest; forbidding sorts asks whether an index
        # *can* give this order (if none can, PostgreSQL still sorts, and the test fails).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
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
    ("/opinions/office/", "opinions_report", "zhou"),
    ("/proposals/", "proposals_proposal", "lin"),
])
def test_the_default_order_comes_from_an_index(login, world, url, table, who):
    for i in range(3):
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
        perform(p, "submit", world.lin)
        submitted(world.lin, world.city.body)
    sql = _ids_query(login(getattr(world, who)), url, table)
    plan = _plan(sql)
    assert not _sorts(plan), plan
