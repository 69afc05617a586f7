"""File responses shared by every app: Excel downloads and PDFs shown in the browser."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """An Excel download: every one is a list of people or their work, so it is audited."""
    from lvzhi.core import audit

    audit.record(None, "export", target=filename[:80])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def pdf_response(data: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """A PDF: a proposal form, a reply letter, a duty record, activation letters — each
    names people, so each is audited like an Excel export."""
    from lvzhi.core import audit

    audit.record(None, "export", target=filename[:80])
    response = HttpResponse(data, content_type="application/pdf")
    how = "attachment" if download else "inline"
    response["Content-Disposition"] = f"{how}; filename*=UTF-8''{quote(filename)}"
    return response
