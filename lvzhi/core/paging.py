"""Pagination for the long office lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from lvzhi.core.events import kept_until_change

COUNT_CAP = 50_000  # a city's lists stay below it; a province's whole ledger does not


class IdsFirstPaginator(Paginator):
    """Selects one page's ids first, then only those rows with their joins.

    The id query can be answered from an index that covers the list's filters and order
    (the proposal ledger's is one), so the database never reads, joins and sorts the wide
    rows of the whole filtered set just to keep thirty of them.

    `fetch`: where to read the page's rows from, without the list's filters — the ids are
    already what the person may see, and a costly filter (a full-text match) would
    otherwise run a second time for thirty known ids. Rows of a model, or a function from
    the ids to the page's lines in their order (a list drawn from values).

    `kept_for`: the bodies whose rows the list shows. Given them, the count is kept per
    query until their next event (core.events.kept_until_change): counting a city's 40,000
    reports cost a third of the queue page, for a figure that holds until the next change.

    `counted`: the same rows written the way that counts them quickest, where that is not
    the way that pages them quickest (the ledger's keyword: proposals/ledger.py walked).
    """

    def __init__(self, object_list: QuerySet, per_page: int, *,
                 fetch: QuerySet | Callable[[list[int]], list] | None = None,
                 kept_for: Iterable[int] | None = None,
                 counted: QuerySet | None = None) -> None:
        super().__init__(object_list, per_page)
        self.fetch = fetch
        self.kept_for = kept_for
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self) -> int:
        """The rows, counted up to COUNT_CAP: counting every row of a province's ledger
        costs as much as the rest of the page ten times over, and grows with it."""
        rows = self.counted.order_by()[:COUNT_CAP + 1]
        if self.kept_for is None:
            return rows.count()
        try:
            sql, params = rows.query.sql_with_params()  # the filters, today's date included
        except EmptyResultSet:  # .none(): a filter no row can meet (an unknown session)
            return 0
        return kept_until_change(("count", sql, params), self.kept_for, rows.count)

    @property
    def capped(self) -> bool:
        """More rows than counted: the page says "more than", and pages up to the cap."""
        return self.count > COUNT_CAP

    def _get_page(self, object_list: QuerySet, number: int, paginator: Paginator) -> Page:
        ids = list(object_list.values_list("pk", flat=True))
        if self.fetch is None:
            return Page(list(self.object_list.filter(pk__in=ids)), number, paginator)
        if callable(self.fetch):
            return Page(self.fetch(ids), number, paginator)
        rows = self.fetch.in_bulk(ids)
        return Page([rows[pk] for pk in ids if pk in rows], number, paginator)
