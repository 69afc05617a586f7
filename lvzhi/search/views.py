"""/search/: one box over everything the person may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from lvzhi.core.inputs import to_int, to_year
from lvzhi.search import engine
from lvzhi.search.index import KINDS


@login_required
def results(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").replace("\x00", "")[:200]
    if url := engine.jump(request.user, query):
        return redirect(url)
    kind = request.GET.get("kind") or ""
    found = engine.search(request.user, query, kind=kind if kind in KINDS else "",
                          year=to_year(request.GET.get("year")),
                          page=to_int(request.GET.get("page"), maximum=10_000) or 1)
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, "search/results.html", {
        "found": found, "query": query, "kind": kind, "year": request.GET.get("year", ""),
        "kinds": [(code, k.label, found.by_kind.get(code, 0)) for code, k in KINDS.items()],
        "base": keep.urlencode()})
