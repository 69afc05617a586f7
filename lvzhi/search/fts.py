"""The one place that speaks each database's full-text dialect: SQLite FTS5 (bm25) and
PostgreSQL (the GIN index, ts_rank), over the same segmented terms."""

from __future__ import annotations

from django.db import connection


def match(terms: list[str], columns: str, conditions: list[tuple[str, object]], limit: int,
          *, any_term: bool = False) -> list[tuple]:
    """Entries (aliased `e`) holding every term (or any, with `any_term`), best first, then
    newest. `conditions`: SQL on `e` with one placeholder each, and its value. Terms are
    word characters only (segment.py), so they cannot reach the query syntax."""
    extra = "".join(f" AND {sql}" for sql, _value in conditions)
    values = [value for _sql, value in conditions]
    if connection.vendor == "sqlite":
        joined = (" OR " if any_term else " ").join(f'"{t}"' for t in terms)
        sql = (f"SELECT {columns} FROM search_fts f "
               "JOIN search_searchentry e ON e.id = f.rowid "
               f"WHERE search_fts MATCH %s{extra} "
               "ORDER BY bm25(search_fts), e.happened_at DESC, e.id DESC LIMIT %s")
        query = joined
    else:
        parse = "to_tsquery" if any_term else "plainto_tsquery"
        sql = (f"SELECT {columns} FROM search_searchentry e, {parse}('simple', %s) q "
               f"WHERE to_tsvector('simple', e.terms) @@ q{extra} "
               "ORDER BY ts_rank(to_tsvector('simple', e.terms), q) DESC, "
               "e.happened_at DESC NULLS LAST, e.id DESC LIMIT %s")
        query = (" | " if any_term else " ").join(terms)
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *values, limit])
        return cursor.fetchall()
