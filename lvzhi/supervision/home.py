"""The supervision menu entry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.models import RoleKind
from lvzhi.core.paths import page_url


def nav(user: Any) -> list[tuple[str, str]]:
    if bodies_with(user, "supervision.read_all") or actor_for(user).has_role(RoleKind.MEMBER):
        return [(_("民主监督"), page_url("supervision:home"))]
    return []
