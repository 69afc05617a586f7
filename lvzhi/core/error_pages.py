"""Refusals outside a view (middleware, Django's error handlers): JSON for the API, a
Chinese page in the layout for everyone else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.logs import request_id

HEADINGS = {400: gettext_lazy("请求有误"), 403: gettext_lazy("没有权限"),
            404: gettext_lazy("找不到页面"), 409: gettext_lazy("请求冲突"),
            413: gettext_lazy("内容过大"), 422: gettext_lazy("请求有误")}


def refusal_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    heading = HEADINGS.get(status, _("无法完成请求"))
    return render(request, "core/error.html", {"heading": str(heading), "message": message,
                                               "request_id": request_id(request)},
                  status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without the layout (whatever broke may be in it), with the request id
    the user can quote to the administrator."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "server_error", "message": _(
            "服务器出错，已记录在案。请稍后再试。"), "request_id": request_id(request)},
            status=500, json_dumps_params={"ensure_ascii": False})
    html = loader.get_template("500.html").render({"request_id": request_id(request)})
    return HttpResponse(html, status=500)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return refusal_response(request, 400, "bad_request", _("请求的格式不正确，请返回重试。"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return refusal_response(request, 403, "forbidden", _("您没有权限访问该页面。"))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return refusal_response(request, 404, "not_found",
                            _("找不到该页面，或您无权查看。请检查地址，或从首页重新进入。"))
