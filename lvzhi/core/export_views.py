"""The page of one background export (how far it is, then the download) and the download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lvzhi.core import audit, exports
from lvzhi.core.responses import XLSX


def start_view(code: str):
    """A page's 导出 button (POST, its filters in the query string): queue, then show."""
    @login_required
    @require_POST
    def start(request: HttpRequest) -> HttpResponse:
        export = exports.start(request.user, code, request.GET)
        return redirect("export", export.pk)
    start.__name__ = f"export_{code.replace('.', '_')}"
    return start


@login_required
def export_view(request: HttpRequest, pk: int) -> HttpResponse:
    export = exports.mine(request.user, pk)
    kind = exports.EXPORTS.get(export.kind)
    template = "core/_export_status.html" if request.headers.get("HX-Request") \
        else "core/export.html"
    return render(request, template, {
        "export": export, "label": kind.label if kind else export.kind,
        "can_download": exports.downloadable(request.user, export)})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = exports.mine(request.user, pk)
    if not exports.downloadable(request.user, export):
        raise Http404
    audit.record(None, "export", target=export.filename[:80])
    kind = "application/pdf" if export.filename.endswith(".pdf") else XLSX
    response = FileResponse(export.file.open("rb"), content_type=kind)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export.filename)}"
    return response
