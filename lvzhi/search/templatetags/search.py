"""{{ p.keywords|keyword_links }}: each keyword a link to everything else tagged with it."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from lvzhi.search.keywords import split_keywords

register = template.Library()


@register.filter
def keyword_links(text: str) -> SafeString:
    url = reverse("search:results")
    return format_html_join("、", '<a href="{}?{}">{}</a>', (
        (url, urlencode({"keyword": word}), word) for word in split_keywords(text)))

