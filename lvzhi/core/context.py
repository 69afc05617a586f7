"""Template context every page needs: the navigation and the unread count.

Apps add their own menu entries by appending a provider to NAV_PROVIDERS in their
AppConfig.ready(); a provider returns (label, url) pairs for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.notifications import unread_count

NAV_PROVIDERS: list[Callable[[Any], list[tuple[str, str]]]] = []


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = actor_for(user)
    return {
        "unread_count": unread_count(user),
        "nav_people": bool(bodies_with(user, "people.view")),
        "nav_roster": bool(bodies_with(user, "people.import", write=True)),
        "nav_admin": user.is_superuser or bool(bodies_with(user, "body.configure", write=True))
        or bool(bodies_with(user, "accounts.manage", write=True)),
        "actor": actor,
        # (label, url, current): the current page is marked for screen readers and by an
        # underline, not by colour alone.
        "nav_apps": [(label, url, request.path.startswith(url))
                     for provider in NAV_PROVIDERS for label, url in provider(user)],
    }
