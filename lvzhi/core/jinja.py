"""The Jinja2 environment for list rows: escaping on, text through Django's translation
(`{{ _("编号") }}`, which makemessages reads as it reads Django's templates), and the
filters the rows share (`|cn_date`, an app's state badge: `register_filter` in its
AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

FILTERS: dict[str, Callable[..., Any]] = {}


def register_filter(name: str, function: Callable[..., Any]) -> None:
    FILTERS[name] = function


def _local(function: Callable[[Any], str]) -> Callable[[Any], str]:
    """The filter on the local date of a moment, as Django's expects_localtime does."""
    return lambda value: function(template_localtime(value))


def environment(**options: Any) -> Environment:
    from lvzhi.core.templatetags.lvzhi import cn_date, cn_month_day

    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(cn_date=_local(cn_date), cn_month_day=_local(cn_month_day), **FILTERS)
    return env
