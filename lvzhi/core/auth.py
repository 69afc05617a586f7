"""Login by username or mobile number, with throttling of repeated failures.

The throttle counts failures per account (whether its username or its mobile number was
typed) and per client address in the shared cache (the database cache by default, Redis in
production), so every worker process sees the same count. After LOGIN_FAILURE_LIMIT
failures the account (or address) is locked for LOGIN_LOCKOUT_SECONDS, whether or not the
next password is right; an address is locked after ten times as many. If Redis is down the
throttle carries on in the database cache (a logged warning), so logins keep working.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import audit, every_request
from lvzhi.core.errors import Refusal
from lvzhi.core.models import User
from lvzhi.core.throttle import call, count_failure


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

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of every request, read in plain SQL (core/every_request.py)."""
        user = every_request.user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _account_key(login: str) -> str:
    """One key per account, whichever identifier (username or mobile) was typed; a login
    that names no account is keyed by its text, so probing names is throttled too."""
    login = login.strip()
    pk = User.objects.filter(Q(username=login) | Q(mobile=login)).values_list(
        "pk", flat=True).first()
    if pk is not None:
        return f"login-fail:user:{pk}"
    return f"login-fail:name:{hashlib.sha256(login.lower().encode()).hexdigest()[:32]}"


def _keys(login: str, address: str) -> tuple[str, str]:
    return _account_key(login), f"login-fail:addr:{address}"


def client_address(request: HttpRequest) -> str:
    """The client's address through a chain of TRUSTED_PROXIES reverse proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    only the last TRUSTED_PROXIES entries were written by proxies we run; anything left of
    them came from the client and may be forged. With no proxy, REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    chain = [*forwarded, remote]
    return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]


def check_not_locked(keys: tuple[str, str]) -> None:
    account_key, address_key = keys
    # A whole office often shares one address behind its proxy, so the address may fail
    # ten times as often as a single account before it is locked.
    counts = call(lambda c: c.get_many([account_key, address_key, f"{account_key}:at"]))
    if (counts.get(account_key, 0) >= settings.LOGIN_FAILURE_LIMIT
            or counts.get(address_key, 0) >= settings.LOGIN_FAILURE_LIMIT * 10):
        # The count runs from the first failure: the lock ends LOCKOUT_SECONDS after it.
        now = time.time()
        until = counts.get(f"{account_key}:at", now) + settings.LOGIN_LOCKOUT_SECONDS
        wait = max(60, int(until - now))
        at = timezone.localtime(datetime.datetime.fromtimestamp(now + wait, datetime.UTC))
        raise Refusal("login_locked", _(
            "登录失败次数过多，账号已暂时锁定，请于 %(t)s 后再试（约 %(m)s 分钟）。") % {
            "t": f"{at:%H:%M}", "m": (wait + 59) // 60}, status=429, retry_after=wait)


def unlock(user: User) -> None:
    """Clear the account's failure count (the security administrator's unlock)."""
    key = f"login-fail:user:{user.pk}"
    call(lambda c: c.delete_many([key, f"{key}:at"]))


def login_with_throttle(request: HttpRequest, login: str, password: str) -> User:
    """Authenticate or refuse; the one entry used by the login page and the API."""
    keys = _keys(login, client_address(request))  # the account looked up once
    try:
        check_not_locked(keys)
    except Refusal:
        audit.record(request, "login_locked", "refused", tried=login)
        raise
    user = authenticate(request, username=login, password=password)
    if user is None:
        for key in keys:
            first = count_failure(key, settings.LOGIN_LOCKOUT_SECONDS) == 1
            if first and key == keys[0]:  # when the account's lock will end
                call(lambda c: c.set(f"{keys[0]}:at", time.time(),
                                     settings.LOGIN_LOCKOUT_SECONDS))
        raise Refusal("login_failed", _("用户名（手机号）或密码不正确。"), status=401)
    call(lambda c: c.delete(keys[0]))  # a success clears the account's count
    return user
