"""The one NinjaAPI instance at /api/; each app adds its router here.

Every error leaves as JSON {"code": ..., "message": ...} with a Chinese message, so a phone
client can show `message` as it is and branch on `code`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lvzhi.api.auth import AUTH
from lvzhi.api.errors import document_errors
from lvzhi.core.errors import Refusal


class Api(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = Api(
    title="履职平台接口",
    version="1",
    description="政协履职平台的 HTTP 接口。手机客户端先用 POST /api/auth/token 换取令牌，"
    "之后在请求头中携带 Authorization: Bearer <令牌>。",
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
    return error(request, exc.status, exc.code, exc.message, **extra)


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
    fields = [".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors]
    return error(request, 422, "invalid",
                 _("提交的数据不完整或格式不正确：%(fields)s。") % {"fields": "、".join(fields)},
                 errors=exc.errors)


def _mount() -> None:
    # Imported here so each app's api module can import `api` helpers without a cycle.
    from lvzhi.activities.api import router as activities
    from lvzhi.api.tokens import router as tokens
    from lvzhi.core.api import router as core
    from lvzhi.opinions.api import router as opinions
    from lvzhi.proposals.api import router as proposals

    api.add_router("/auth/", tokens)
    api.add_router("/", core)
    api.add_router("/proposals/", proposals)
    api.add_router("/opinions/", opinions)
    api.add_router("/activities/", activities)


_mount()
