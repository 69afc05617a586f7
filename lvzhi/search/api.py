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
    body: int | None = Field(None, ge=1, le=2**31, description="政协 id（见 facets.body）")
    year: int | None = Field(None, ge=2000, le=2100)
    session: int | None = Field(None, ge=1, le=2**31, description="会议 id（见 facets.session）")
    state: text(40, "状态（见 facets.state）") = ""  # type: ignore[valid-type]
    category: text(40, "分类（见 facets.category）") = ""  # type: ignore[valid-type]
    sector: int | None = Field(None, ge=1, le=2**31, description="界别 id（见 facets.sector）")
    keyword: text(30, "关键词；不填搜索内容时列出带该关键词的全部条目") = ""  # type: ignore[valid-type]
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


class FacetOut(Schema):
    value: str = Field(description="作为同名筛选参数传回的值")
    label: str
    count: int


class SearchOut(Schema):
    jump: str | None = Field(description="按编号搜索（第N号）时该项的页面地址，否则为空")
    total: int
    capped: bool = Field(description="匹配过多，只统计了最相关的部分")
    windowed: int = Field(
        description="匹配的条目多于此数时，只在最新的这么多条中按相关程度排序；否则为 0")
    page: int
    pages: int
    by_kind: dict[str, int]
    facets: dict[str, list[FacetOut]] = Field(
        description="各筛选项（body、year、session、state、category、sector、keyword）在可见结果中的取值与条数")
    items: list[HitOut]


@router.get("", response=SearchOut, operation_id="search", summary="全文搜索")
def search(request: HttpRequest, filters: Query[SearchFilter]) -> dict:
    query = filters.q.replace("\x00", "")
    chosen = engine.Filters(
        kind=filters.kind or "", body=filters.body, year=filters.year, session=filters.session,
        state=filters.state, category=filters.category, sector=filters.sector,
        keyword=filters.keyword.replace("\x00", ""))
    found = engine.search(request.user, query, chosen, page=filters.page)
    return {"jump": engine.jump(request.user, query), "total": found.total,
            "capped": found.capped, "windowed": found.windowed,
            "page": found.page, "pages": found.pages,
            "by_kind": found.by_kind,
            "facets": {name: [{"value": str(v), "label": label, "count": n}
                              for v, label, n in values]
                       for name, values in found.facets.items()},
            "items": [{"kind": h.kind, "kind_label": h.label, "id": h.object_id,
                       "title_html": str(h.title), "snippet_html": str(h.snippet),
                       "url": h.url, "year": h.year, "state": h.state}
                      for h in found.hits]}
