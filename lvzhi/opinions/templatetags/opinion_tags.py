"""Pieces of report pages rendered in Python: the state badge is drawn once per row of the
queue, where an {% include %} per row cost more than the rest of the row."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def report_state(r) -> SafeString:
    """The state, and 综合稿 for a combined report."""
    return state_badges(r.state, r.get_state_display(), r.is_combined)


def state_badges(state: str, label: str, is_combined: bool) -> SafeString:
    html = format_html('<span class="badge lz-op-{}">{}</span>', state, label)
    if is_combined:
        html += format_html(' <span class="badge text-bg-info">{}</span>', _("综合稿"))
    return html  # safe pieces joined stay safe
