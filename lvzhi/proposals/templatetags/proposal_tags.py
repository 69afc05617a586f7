"""Pieces of proposal pages rendered in Python: the state badge is drawn once per row of
the longest lists, where an {% include %} per row cost more than the rest of the row."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def proposal_state(p) -> SafeString:
    """The state, and 重点 / 优秀 when it is one."""
    return state_badges(p.state, p.get_state_display(), p.is_key, p.is_excellent)


def state_badges(state: str, label: str, is_key: bool, is_excellent: bool) -> SafeString:
    html = format_html('<span class="badge lz-state lz-state-{}">{}</span>', state, label)
    if is_key:
        html += format_html(' <span class="badge text-bg-warning">{}</span>', _("重点"))
    if is_excellent:
        html += format_html(' <span class="badge text-bg-success">{}</span>', _("优秀"))
    return html  # safe pieces joined stay safe
