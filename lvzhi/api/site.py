"""The one NinjaAPI instance at /api/; each app adds its router here.

Every error leaves as JSON {"code": ..., "message": ...} with a Chinese message, so a phone
client can show `message` as it is and branch on `code`.
"""

from __future__ import annotations

import functools

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lvzhi.api.auth import AUTH
from lvzhi.api.errors import document_errors, invalid_items
from lvzhi.core.errors import Refusal


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = Api(
    # ASCII, so a generated client package gets an installable name; the text is Chinese.
    title="lvzhi API",
    version="1",
    description="政协履职平台的 HTTP 接口，供手机客户端和小程序使用。先用 POST /api/auth/token "
    "换取令牌，之后在请求头中携带 Authorization: Bearer <令牌>。错误一律以 "
    "{code, message} 返回，message 为可直接展示的中文。开发指南见 docs/api.md。",
    auth=AUTH,
    urls_namespace="api",
)


def error(request: HttpRequest, status: int, code: str, message: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra},
                               status=status)


@api.exception_handler(Refusal)
def on_refusal(request: HttpRequest, exc: Refusal) -> HttpResponse:
    # `fields`: each input at fault with its own message, for a form to mark them all.
    extra = {"fields": exc.fields} if exc.fields else {}
    response = error(request, exc.status, exc.code, exc.message, **extra)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated", _("请先登录。"))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {403: _("没有权限执行此操作。"), 429: _("请求过于频繁，请稍后再试。")}
    return error(request, exc.status_code, f"http_{exc.status_code}",
                 messages.get(exc.status_code, str(exc)))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("找不到该对象，或您无权查看。"))


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = invalid_items(exc.errors)
    described = "；".join(f"{i['field']}{i['message']}" for i in items)
    return error(request, 422, "invalid",
                 _("提交的数据不完整或格式不正确：%(fields)s。") % {"fields": described},
                 errors=items, fields={i["field"]: i["message"] for i in items})


def _mount() -> None:
    # Imported here so each app's api module can import `api` helpers without a cycle.
    from lvzhi.activities.api import router as activities
    from lvzhi.api.files import router as files
    from lvzhi.api.tokens import router as tokens
    from lvzhi.core.api import router as core
    from lvzhi.duties.api import router as duties
    from lvzhi.ledgers.api import router as ledgers
    from lvzhi.opinions.api import router as opinions
    from lvzhi.proposals.api import router as proposals
    from lvzhi.search.api import router as search
    from lvzhi.supervision.api import router as supervision

    api.add_router("/auth/", tokens)
    api.add_router("/", core)
    api.add_router("/proposals/", proposals)
    api.add_router("/opinions/", opinions)
    api.add_router("/activities/", activities)
    api.add_router("/duties/", duties)
    api.add_router("/ledgers/", ledgers)
    api.add_router("/supervision/", supervision)
    api.add_router("/attachments/", files)
    api.add_router("/search", search)


_mount()


def _json_405(view):
    @functools.wraps(view)  # keeps csrf_exempt and the other marks ninja sets on it
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"):
            # ninja lists the methods from a set: sorted, the header is the same every time
            allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",")
                                       if m.strip()))
            response = error(request, 405, "method_not_allowed",
                             _("该地址不支持 %(method)s 请求（支持：%(allowed)s）。") % {
                                 "method": request.method, "allowed": allowed})
            response["Allow"] = allowed
        return response
    return wrapped


def urls() -> tuple:
    """The API's URL patterns, a wrong method answered in JSON as every other error."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _json_405(pattern.callback)
    return patterns, app_name, namespace
