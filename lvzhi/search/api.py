"""Search from a phone app: the same results as /search/, what the caller may see."""

import enum

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lvzhi.api.types import text
from lvzhi.search import engine
from lvzhi.search.index import KINDS

router = Router(tags=["search"])
SearchKind = enum.StrEnum("SearchKind", {code.upper(): code for code in KINDS})
SearchKind.__doc__ = "；".join(f"{code}={kind.label}" for code, kind in KINDS.items())


class SearchFilter(Schema):
    q: text(200, "搜索内容；“第12号”直接给出该号提案的地址") = ""  # type: ignore[valid-type]
    kind: SearchKind | None = None  # type: ignore[valid-type]
    year: int | None = Field(None, ge=2000, le=2100)
    page: int = Field(1, ge=1, le=10_000)


class HitOut(Schema):
    kind: SearchKind  # type: ignore[valid-type]
    kind_label: str
    id: int
    title_html: str = Field(description="标题，命中词以 <mark> 标出，其余已转义")
    snippet_html: str = Field(description="摘要，命中词以 <mark> 标出，其余已转义")
    url: str
    year: int | None
    state: str


class SearchOut(Schema):
    jump: str | None = Field(description="按编号搜索（第N号）时该项的页面地址，否则为空")
    total: int
    capped: bool = Field(description="匹配过多，只统计了最相关的部分")
    page: int
    pages: int
    by_kind: dict[str, int]
    items: list[HitOut]


@router.get("", response=SearchOut, operation_id="search", summary="全文搜索")
def search(request: HttpRequest, filters: Query[SearchFilter]) -> dict:
    query = filters.q.replace("\x00", "")
    found = engine.search(request.user, query, kind=filters.kind or "", year=filters.year,
                          page=filters.page)
    return {"jump": engine.jump(request.user, query), "total": found.total,
            "capped": found.capped, "page": found.page, "pages": found.pages,
            "by_kind": found.by_kind,
            "items": [{"kind": h.kind, "kind_label": h.label, "id": h.object_id,
                       "title_html": str(h.title), "snippet_html": str(h.snippet),
                       "url": h.url, "year": h.year, "state": h.state}
                      for h in found.hits]}
