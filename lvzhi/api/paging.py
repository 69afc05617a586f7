"""Page-number pagination with bounds a database can hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000  # far past any list we serve; a larger number is a probe


class Pages(PageNumberPagination):
    """ninja's page-number pagination, with `page` and `page_size` bounded: an offset past
    2^63 made SQLite fail ("datatype mismatch") instead of answering with an empty page."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=100, description="每页条数，最多 100")


class Mapped:
    """A queryset whose rows are turned into output by `convert` only for the page served:
    what `paginate` needs (len and slicing) without building every row first."""

    def __init__(self, queryset: Any, convert: Callable[[Any], Any]) -> None:
        self.queryset, self.convert = queryset, convert

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: slice) -> list[Any]:
        return [self.convert(row) for row in self.queryset[index]]
