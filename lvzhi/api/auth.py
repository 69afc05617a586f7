"""API authentication: bearer tokens for phone clients, the session for the web pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from lvzhi.api.models import ApiToken, digest
from lvzhi.core.errors import Refusal

# When a sign-in was last used is written at most once a minute: otherwise each of a
# phone's calls, reads too, was a write (on the embedded database, a turn at its one lock).
USE_NOTED_EVERY = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # One row by a unique key: no order (ordering the joined user's columns costs
        # more than the query), on every call a phone makes.
        found = next(iter(ApiToken.objects.select_related("user").filter(
            key_digest=digest(token), expires_at__gt=timezone.now()).order_by()[:1]), None)
        if found is None or not found.user.is_active:
            return None
        refuse_until_changed(found.user)
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= USE_NOTED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


AUTH = [TokenAuth(), SessionAuth()]


def refuse_until_changed(user: Any) -> None:
    """A password an admin set must be changed (on the web) before a phone may use it."""
    from lvzhi.core.passwords import expired

    if user.must_change_password:
        raise Refusal("password_change_required",
                      _("请先在网页上修改管理员为您设置的密码。"), status=403)
    if expired(user):
        raise Refusal("password_change_required", _("密码已过期，请先在网页上修改密码。"),
                      status=403)
