"""/search/: one box over everything the person may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lvzhi.core.inputs import to_int, to_year
from lvzhi.search import engine
from lvzhi.search.index import KINDS

FACET_LABELS = {"body": _("政协"), "year": _("年度"), "session": _("会议"),
                "state": _("状态"), "category": _("分类"), "sector": _("界别"),
                "keyword": _("关键词")}


def _text(request: HttpRequest, name: str, limit: int) -> str:
    return (request.GET.get(name) or "").replace("\x00", "").strip()[:limit]


def filters_from(request: HttpRequest) -> engine.Filters:
    kind = request.GET.get("kind") or ""
    return engine.Filters(
        kind=kind if kind in KINDS else "", body=to_int(request.GET.get("body")),
        year=to_year(request.GET.get("year")), session=to_int(request.GET.get("session")),
        state=_text(request, "state", 40), category=_text(request, "category", 40),
        sector=to_int(request.GET.get("sector")), keyword=_text(request, "keyword", 30))


@login_required
def results(request: HttpRequest) -> HttpResponse:
    query = _text(request, "q", 200)
    if url := engine.jump(request.user, query):
        return redirect(url)
    chosen = filters_from(request)
    found = engine.search(request.user, query, chosen,
                          page=to_int(request.GET.get("page"), maximum=10_000) or 1)
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, "search/results.html", {
        "found": found, "query": query, "kind": chosen.kind, "chosen": chosen,
        "kinds": [(code, k.label, found.by_kind.get(code, 0)) for code, k in KINDS.items()],
        "facets": _facets(found, chosen),
        "base": keep.urlencode()})


def _facets(found: engine.Results, chosen: engine.Filters) -> list[tuple]:
    """(name, label, its <option>s) of each filter worth offering: one that would narrow
    the results, or one already chosen (so it can be cleared). The options are written
    here, escaped: a page of results offers fifty of them, a loop of nodes each in the
    template."""
    out = []
    for name, values in found.facets.items():
        value = str(getattr(chosen, name) or "")
        if len(values) > 1 or value or name == "keyword":
            options = format_html_join("", "<option value=\"{}\"{}>{}（{}）</option>", (
                (v, SELECTED if str(v) == value else "", label, n) for v, label, n in values))
            out.append((name, FACET_LABELS[name], options))
    return out


SELECTED = mark_safe(" selected")
