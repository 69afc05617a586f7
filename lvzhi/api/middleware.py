"""A query parameter given twice under /api/ is refused: no operation takes a list in its
query string, and django-ninja would silently keep the last value (`seat_id=abc&seat_id=7`
was accepted as 7)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lvzhi.core.error_pages import refusal_response


class RepeatedQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            repeated = sorted(k for k, values in request.GET.lists() if len(values) > 1)
            if repeated:
                return refusal_response(request, 422, "invalid", _(
                    "提交的数据不完整或格式不正确：参数 %(names)s 只能出现一次。")
                    % {"names": "、".join(repeated)[:200]})
        return self.get_response(request)
