"""Login by username or mobile number, with throttling of repeated failures.

The throttle counts failures per login name and per client address in the shared cache
(the database cache by default, Redis in production), so every worker process sees the
same count. After LOGIN_FAILURE_LIMIT failures the name (or address) is locked for
LOGIN_LOCKOUT_SECONDS, whether or not the next password is right; an address is locked
after ten times as many.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal
from lvzhi.core.models import User


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        if not username or not password:
            return None
        login = username.strip()
        user = User.objects.filter(Q(username=login) | Q(mobile=login)).first()
        if user is None:
            User().set_password(password)  # same time as a real check: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def _keys(login: str, address: str) -> list[str]:
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:name:{digest}", f"login-fail:addr:{address}"]


def client_address(request: HttpRequest) -> str:
    # Behind the reverse proxy the real address is its X-Forwarded-For; gunicorn is told to
    # trust only the local proxy (forwarded_allow_ips), so this header cannot be forged.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def check_not_locked(login: str, address: str) -> None:
    name_key, address_key = _keys(login, address)
    # A whole office often shares one address behind its proxy, so the address may fail
    # ten times as often as a single name before it is locked.
    if (cache.get(name_key, 0) >= settings.LOGIN_FAILURE_LIMIT
            or cache.get(address_key, 0) >= settings.LOGIN_FAILURE_LIMIT * 10):
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        raise Refusal("login_locked",
                      _("登录失败次数过多，请 %(m)s 分钟后再试。") % {"m": minutes}, status=429)


def record_failure(login: str, address: str) -> None:
    for key in _keys(login, address):
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(login: str) -> None:
    cache.delete(_keys(login, "")[0])


def login_with_throttle(request: HttpRequest, login: str, password: str) -> User:
    """Authenticate or refuse; the one entry used by the login page and the API."""
    address = client_address(request)
    check_not_locked(login, address)
    user = authenticate(request, username=login, password=password)
    if user is None:
        record_failure(login, address)
        raise Refusal("login_failed", _("用户名（手机号）或密码不正确。"), status=401)
    clear_failures(login)
    return user
