"""Pagination for the long office lists."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class IdsFirstPaginator(Paginator):
    """Selects one page's ids first, then only those rows with their joins.

    The id query can be answered from an index that covers the list's filters and order
    (the proposal ledger's is one), so the database never reads, joins and sorts the wide
    rows of the whole filtered set just to keep thirty of them.
    """

    def _get_page(self, object_list: QuerySet, number: int, paginator: Paginator) -> Page:
        ids = list(object_list.values_list("pk", flat=True))
        return Page(list(self.object_list.filter(pk__in=ids)), number, paginator)
