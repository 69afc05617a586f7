"""The one place that speaks each database's full-text dialect: SQLite FTS5 (bm25) and
PostgreSQL (a stored tsvector column with a GIN index, ts_rank), over the same segmented
terms."""

from __future__ import annotations

from django.db import connection

# SQLite looks a rowid up in the table itself, never in an index that holds it, unless
# told. An entry's row is wide (its text and terms), and every column after them is read
# from the overflow pages they fill: a match of a common word (4,000 entries) with a
# filter or a member's scope took 2–3× as long through the row as through the index of
# what a match filters, orders and counts by (models.SearchEntry).
MATCH_INDEX = "INDEXED BY search_match"


def newest_ranked(terms: list[str], columns: str, conditions: list[tuple[str, object]],
                  limit: int, window: int, *, whole_first: bool = False
                  ) -> tuple[list[tuple], bool]:
    """Like `match` (every term), but only the newest `window` matching entries (the
    highest ids: entries are numbered as they come, and a full reindex numbers them in time
    order) are ranked — ranking is the per-match work, and a common word matches tens of
    thousands of entries at a province's scale. Conditions narrow the window itself: a
    member's own entries, or a filter, fill it before anything else does. Returns (rows,
    whether more matched than the window).

    `whole_first` (SQLite): when no more than the window match at all, first FTS5's own
    ranking of every match (cheaper than the window's); if its best `limit` all meet the
    conditions, they are the best of what meets them — an office's search of the body that
    holds nearly every match. Otherwise, or when some fell outside, the window."""
    extra = "".join(f" AND {sql}" for sql, _value in conditions)
    values = _values(conditions)
    if connection.vendor == "sqlite":
        query = _fts5(terms)
        if whole_first and not _more_than(query, window) and \
                (rows := _best_if_all_kept(query, columns, conditions, limit)) is not None:
            return rows, False
        # FTS5 walks its matches newest first and stops at the window: bm25 is computed for
        # those rows only (test_window.py: no sort of every match in the plan).
        joined = f"JOIN search_searchentry e {MATCH_INDEX} ON e.id = f.rowid " \
            if conditions else ""
        newest = (f"SELECT f.rowid AS id, bm25(search_fts) AS score FROM search_fts f "
                  f"{joined}WHERE search_fts MATCH %s{extra} ORDER BY f.rowid DESC LIMIT %s")
        best_first, then = "score", "r.score, e.happened_at DESC"
        params = [query, *values, window + 1, window, limit]
    else:
        # The ids first (the GIN index finds them, the newest are kept), then ts_rank for
        # those alone. `e.id + 0`: not the primary key's order, which PostgreSQL would walk
        # backwards testing each entry's tsvector — 342,728 entries for the newest 5,001
        # matches of 养老 at ten times Harbin, 190 ms against 65 through the GIN index.
        newest = ("SELECT e.id, ts_rank(e.tsv, q) AS score FROM (SELECT e.id FROM "
                  "search_searchentry e WHERE e.tsv @@ plainto_tsquery('simple', %s)"
                  f"{extra} ORDER BY e.id + 0 DESC LIMIT %s) n "
                  "JOIN search_searchentry e ON e.id = n.id, plainto_tsquery('simple', %s) q")
        best_first, then = "score DESC", "r.score DESC, e.happened_at DESC NULLS LAST"
        params = [" ".join(terms), *values, window + 1, " ".join(terms), window, limit]
    # One more than the window is found, to tell whether more matched (and is not ranked);
    # the window ranked and cut to `limit` (ties the newest first: ids are in time order),
    # then the entries of those alone read, and their ties ordered by time. No window
    # functions: buffering the window's rows for them cost 2–4 ms of the 10 at 10×.
    sql = (f"WITH l AS ({newest}) "
           f"SELECT {columns}, (SELECT count(*) FROM l) FROM (SELECT id, score FROM l "
           "WHERE (SELECT count(*) FROM l) <= %s OR id > (SELECT min(id) FROM l) "
           f"ORDER BY {best_first}, id DESC LIMIT %s) r "
           "JOIN search_searchentry e ON e.id = r.id "
           f"ORDER BY {then}, r.id DESC")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [row[:-1] for row in rows], bool(rows) and rows[0][-1] > window


def _fts5(terms: list[str], any_term: bool = False) -> str:
    """An FTS5 query of the terms, each quoted: every one (or any, with `any_term`)."""
    return (" OR " if any_term else " ").join(f'"{t}"' for t in terms)


def _values(conditions: list[tuple[str, object]]) -> list:
    """The conditions' values in their placeholders' order (a list fills several)."""
    return [v for _sql, value in conditions
            for v in (value if isinstance(value, list) else [value])]


def _more_than(query: str, window: int) -> bool:
    """Whether more than `window` entries hold the query: the FTS index's ids alone walked
    (0.3 ms for 5,000)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                       "ORDER BY rowid DESC LIMIT 1 OFFSET %s", [query, window])
        return cursor.fetchone() is not None


def _best_if_all_kept(query: str, columns: str, conditions: list[tuple[str, object]],
                      limit: int) -> list[tuple] | None:
    """FTS5's best `limit` of every match, if each meets the conditions; else None."""
    kept = " AND ".join(sql for sql, _value in conditions) or "1"
    values = _values(conditions)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, CASE WHEN {kept} THEN 1 ELSE 0 END FROM (SELECT rowid AS id, "
            "rank FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT %s) f "
            f"JOIN search_searchentry e {MATCH_INDEX} ON e.id = f.id "
            "ORDER BY f.rank, e.happened_at DESC, e.id DESC", [*values, query, limit])
        rows = cursor.fetchall()
    return [row[:-1] for row in rows] if all(row[-1] for row in rows) else None


def match(terms: list[str], columns: str, conditions: list[tuple[str, object]], limit: int,
          *, any_term: bool = False) -> list[tuple]:
    """Entries (aliased `e`) holding every term (or any, with `any_term`), best first, then
    newest. `conditions`: SQL on `e` with one placeholder each and its value, or with
    several and a list of values. Terms are word characters only (segment.py), so they
    cannot reach the query syntax."""
    extra = "".join(f" AND {sql}" for sql, _value in conditions)
    values = _values(conditions)
    if connection.vendor == "sqlite":
        query = _fts5(terms, any_term)
        if conditions:
            sql = (f"SELECT {columns} FROM search_fts f "
                   f"JOIN search_searchentry e {MATCH_INDEX} ON e.id = f.rowid "
                   f"WHERE search_fts MATCH %s{extra} "
                   "ORDER BY bm25(search_fts), e.happened_at DESC, e.id DESC LIMIT %s")
            params = [query, *values, limit]
        else:
            # FTS5 ranks alone first (its own ORDER BY rank, half the cost of ranking
            # through a join), then the few rows found are joined.
            sql = (f"SELECT {columns} FROM (SELECT rowid AS id, rank FROM search_fts "
                   "WHERE search_fts MATCH %s ORDER BY rank LIMIT %s) f "
                   f"JOIN search_searchentry e {MATCH_INDEX} ON e.id = f.id "
                   "ORDER BY f.rank, e.happened_at DESC, e.id DESC")
            params = [query, limit]
    else:
        parse = "to_tsquery" if any_term else "plainto_tsquery"
        # e.tsv: to_tsvector('simple', terms), stored (migration 0002)
        sql = (f"SELECT {columns} FROM search_searchentry e, {parse}('simple', %s) q "
               f"WHERE e.tsv @@ q{extra} "
               "ORDER BY ts_rank(e.tsv, q) DESC, "
               "e.happened_at DESC NULLS LAST, e.id DESC LIMIT %s")
        params = [(" | " if any_term else " ").join(terms), *values, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def holds_sql(terms: list[str], kind: str, pk: str) -> tuple[str, list]:
    """SQL true where the object of `kind` whose id is the column `pk` has an entry holding
    every term, asked row by row: a list walked in its own order (the ledger's newest
    first) stops at its page, where `ids_sql` lists every match first — 41.6 ms against
    4.2 for the first page of 养老 at ten times Harbin. SQLite lists the matching entries'
    ids once (no join: 0.1 µs a match); PostgreSQL tests the one entry's tsvector."""
    if connection.vendor == "sqlite":
        return ("EXISTS (SELECT 1 FROM search_searchentry e WHERE e.kind = %s AND "
                f"e.object_id = {pk} AND e.id IN "
                "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s))",
                [kind, _fts5(terms)])
    return ("EXISTS (SELECT 1 FROM search_searchentry e WHERE e.kind = %s AND "
            f"e.object_id = {pk} AND e.tsv @@ plainto_tsquery('simple', %s))",
            [kind, " ".join(terms)])


def ids_sql(terms: list[str], kind: str) -> tuple[str, list]:
    """SQL selecting the ids of the objects of `kind` whose entries hold every term,
    unranked — to filter a list that keeps its own order (the office ledger's keyword box)."""
    if connection.vendor == "sqlite":
        return ("SELECT e.object_id FROM search_fts f JOIN search_searchentry e "
                f"{MATCH_INDEX} ON e.id = f.rowid "
                "WHERE search_fts MATCH %s AND e.kind = %s",
                [_fts5(terms), kind])
    return ("SELECT e.object_id FROM search_searchentry e "
            "WHERE e.tsv @@ plainto_tsquery('simple', %s) AND e.kind = %s",
            [" ".join(terms), kind])
