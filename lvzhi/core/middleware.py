"""Request guards that apply to every page and API call."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.access import actor_for
from lvzhi.core.error_pages import refusal_response
from lvzhi.core.models import IdempotentRequest

Handler = Callable[[HttpRequest], HttpResponse]


class BodySizeLimitMiddleware:
    """Refuse a request body larger than the largest upload by its Content-Length, before
    a byte of it is read (a 200 MB upload used to be received whole, then refused)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal_response(request, 400, "bad_length", _("请求的长度不正确。"))
        if length > settings.REQUEST_MAX_BYTES:
            response = refusal_response(request, 413, "too_large", _(
                "提交的内容过大：附件不能超过 %(mb)s MB。") % {
                "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)})
            response["Connection"] = "close"  # the unread body must not be taken as a request
            return response
        return self.get_response(request)


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_FIELD = "idempotency_key"  # the hidden field {% idempotency_field %} writes
KEEP_FOR = datetime.timedelta(days=1)


class IdempotencyMiddleware:
    """A create sent twice with the same key (a form submitted again after going back, a
    phone retrying after a lost answer) gets the first answer again and creates nothing.

    The key comes from the `Idempotency-Key` header (API) or the hidden form field; it is
    scoped to whoever sent it. The first request claims the key before it runs; a second
    one arriving meanwhile is told to wait (409); a failed first request frees the key.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("POST", "PUT"):
            return self.get_response(request)
        key, scope = _key(request), _scope(request)
        if not key or not scope:
            return self.get_response(request)
        if len(key) > 100 or not key.isascii() or not key.isprintable():
            return refusal_response(request, 400, "bad_idempotency_key",
                                    _("请求标识（Idempotency-Key）格式不正确。"))
        try:
            with transaction.atomic():
                IdempotentRequest.objects.filter(
                    scope=scope, created_at__lt=timezone.now() - KEEP_FOR).delete()
                row = IdempotentRequest.objects.create(scope=scope, key=key,
                                                       method=request.method,
                                                       path=request.path[:300])
        except IntegrityError:
            return _replay(request, scope, key)
        response = self.get_response(request)
        if 200 <= response.status_code < 400 and not response.streaming:
            row.status, row.content_type = response.status_code, response.get("Content-Type", "")
            row.location, row.content = response.get("Location", "")[:300], response.content
            row.save(update_fields=["status", "content_type", "location", "content"])
        else:
            row.delete()  # refused or failed: the client may try again with the same key
        return response


def _key(request: HttpRequest) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not key and request.content_type in ("application/x-www-form-urlencoded",
                                            "multipart/form-data"):
        key = request.POST.get(IDEMPOTENCY_FIELD, "")
    return key.strip()


def _scope(request: HttpRequest) -> str:
    bearer = request.headers.get("Authorization", "")
    if bearer:
        return "t:" + hashlib.sha256(bearer.encode()).hexdigest()[:60]
    user = getattr(request, "user", None)
    return f"u:{user.pk}" if user is not None and user.is_authenticated else ""


def _replay(request: HttpRequest, scope: str, key: str) -> HttpResponse:
    row = IdempotentRequest.objects.filter(scope=scope, key=key).first()
    if row is None or row.status is None:
        return refusal_response(request, 409, "in_progress",
                                _("相同的请求正在处理，请稍候刷新页面查看结果。"))
    if (row.method, row.path) != (request.method, request.path[:300]):
        return refusal_response(request, 422, "idempotency_key_reused",
                                _("该请求标识已用于另一项操作，请换一个新的标识。"))
    response = HttpResponse(bytes(row.content), status=row.status,
                            content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


class PasswordChangeRequiredMiddleware:
    """Someone whose password an admin set, or whose password has expired, may do nothing
    but change it (and sign out): pages send them to the change page, the API refuses with
    403 password_change_required."""

    ALLOWED = ("/password/", "/logout/", "/static/", "/i18n/", "/healthz", "/readyz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.ALLOWED):
            if user.must_change_password:
                api = _("请先在网页上修改管理员为您设置的密码。")
                page = _("您的密码由管理员设置，请先修改密码。")
            elif self._expired(request):
                api = _("密码已过期，请先在网页上修改密码。")
                page = _("您的密码已超过有效期，请修改密码后继续使用。")
            else:
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return refusal_response(request, 403, "password_change_required", api)
            messages.warning(request, page)
            return redirect("password_change")
        return self.get_response(request)

    @classmethod
    def _expired(cls, request: HttpRequest) -> bool:
        """The expiry, worked out once per password (at sign-in) and kept in the session:
        no query on every page."""
        changed = request.user.password_changed_at
        kept = request.session.get("password_expiry")
        if not kept or kept[0] != (changed.timestamp() if changed else None):
            kept = cls.remember_expiry(None, request, request.user)
        return kept[1] is not None and timezone.now().timestamp() > kept[1]

    @staticmethod
    def remember_expiry(sender, request, user, **kwargs) -> list:
        from lvzhi.core.passwords import expires_at

        changed = user.password_changed_at
        at = expires_at(user)
        kept = [changed.timestamp() if changed else None, at.timestamp() if at else None]
        if hasattr(request, "session"):
            request.session["password_expiry"] = kept
        return kept


class TwoFactorRequiredMiddleware:
    """Someone who must use a second factor does nothing else until they have: enrol
    (no device yet) or give the code (a session not yet verified). The API refuses."""

    ALLOWED = ("/login/", "/account/2fa/", "/logout/", "/password/", "/static/", "/i18n/",
               "/healthz", "/readyz")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from lvzhi.core import two_factor

        user = request.user
        if (user.is_authenticated and not request.path.startswith(self.ALLOWED)
                and two_factor.required(user) and not user.is_verified()):
            if request.path.startswith("/api/"):
                return refusal_response(request, 403, "otp_required",
                                        _("请先在网页上完成双因素认证。"))
            target = "login_verify" if two_factor.enrolled(user) else "two_factor"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.path})}")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign out a web session left idle: IDLE_MINUTES_STAFF for staff and admins (their
    pages hold the whole body's data), IDLE_MINUTES for everyone else, on top of the
    absolute SESSION_COOKIE_AGE. The last-seen time is written at most once a minute, so
    most requests save no session."""

    STAFF_KINDS = {"staff", "body_admin", "oversight", "security_admin", "auditor"}

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(timezone.now().timestamp())
            seen = request.session.get("seen_at", now)
            if now - seen > self._limit(user) * 60:
                logout(request)
                messages.info(request, _("长时间未操作，已自动退出，请重新登录。"))
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            if now - seen >= 60 or "seen_at" not in request.session:
                request.session["seen_at"] = now
        return self.get_response(request)

    @staticmethod
    def start_clock(sender, request, user, **kwargs) -> None:
        """At sign-in, with the session the login saves anyway: no extra write later."""
        if hasattr(request, "session"):
            request.session["seen_at"] = int(timezone.now().timestamp())

    def _limit(self, user) -> int:
        staff = user.is_staff or user.is_superuser or \
            bool(actor_for(user).role_kinds() & self.STAFF_KINDS)
        return settings.IDLE_MINUTES_STAFF if staff else settings.IDLE_MINUTES


class AuditMiddleware:
    """Makes the request known to audit records written from signals, and records a
    refused access to an object by its id (a 403 or 404 on a URL that names one): how
    someone probing other people's proposals or reports shows up in the audit log."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from lvzhi.core import audit

        token = audit.current_request.set(request)
        try:
            response = self.get_response(request)
            match = request.resolver_match
            if response.status_code in (403, 404) and match is not None and any(
                    str(v).isdigit() for v in match.kwargs.values()):
                audit.record(request, "access_refused", "refused",
                             target=f"{match.view_name}:{_ids(match.kwargs)}"[:80],
                             detail=f"{request.method} {request.path}"[:300])
            return response
        finally:
            audit.current_request.reset(token)


def _ids(kwargs: dict) -> str:
    return ",".join(str(v) for v in kwargs.values())
