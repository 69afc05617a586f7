"""Template filters used across the apps: `{% load lvzhi %}`."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import template
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lvzhi.core.paths import page_url

register = template.Library()


@register.filter(expects_localtime=True)
def cn_date(value: datetime.date | None) -> str:
    """A date as Chinese users write it, 2022年5月9日. The same as |date:"Y年n月j日" without
    parsing the format on every call, which cost a list of twenty rows half a millisecond."""
    if not value:
        return ""
    return _("%(year)s年%(month)s月%(day)s日") % {
        "year": value.year, "month": value.month, "day": value.day}


@register.filter(expects_localtime=True)
def cn_month_day(value: datetime.date | None) -> str:
    """5月9日, for tables where the year goes without saying."""
    if not value:
        return ""
    return _("%(month)s月%(day)s日") % {"month": value.month, "day": value.day}


@register.simple_tag
def idempotency_field() -> str:
    """A create form's one-time key: submitted twice (back and submit again, a double tap,
    a retry after a lost answer), it gets the first answer, not a second row."""
    return format_html('<input type="hidden" name="idempotency_key" value="{}">',
                       uuid.uuid4().hex)


@register.filter
def keep_end(value: str, count: int = 3) -> str:
    """A heading whose last characters stay together, so no line holds one character alone
    (关于……提案的答 / 复). Needs `.nobr { white-space: nowrap }` in the page's style."""
    text = str(value)
    if len(text) <= count:
        return text
    return format_html('{}<span class="nobr">{}</span>', text[:-count], text[-count:])


@register.simple_tag
def jinja(name: str, **context: Any) -> SafeString:
    """`{% jinja "proposals/_ledger_rows.html" rows=page %}`: a fragment drawn by Jinja2
    from an app's jinja2/ folder — the rows of a long list, where Django's templates cost
    a millisecond for thirty. Jinja2 escapes what it prints, so the result is safe."""
    return mark_safe(engines["jinja2"].get_template(name).render(context))


@register.simple_tag(name="page_url")
def page_url_tag(name: str) -> str:
    """`{% page_url 'inbox' %}`: {% url %} for a page of no arguments, worked out once (the
    layout links ten of them on every page)."""
    return page_url(name)
