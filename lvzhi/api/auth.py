"""API authentication: bearer tokens for phone clients, the session for the web pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from lvzhi.api.models import ApiToken, digest


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (ApiToken.objects.select_related("user")
                 .filter(key_digest=digest(token), expires_at__gt=timezone.now()).first())
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


AUTH = [TokenAuth(), SessionAuth()]
