"""Page-number pagination with bounds a database can hold."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000  # far past any list we serve; a larger number is a probe


class Pages(PageNumberPagination):
    """ninja's page-number pagination, with `page` and `page_size` bounded: an offset past
    2^63 made SQLite fail ("datatype mismatch") instead of answering with an empty page."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=100, description="每页条数")
