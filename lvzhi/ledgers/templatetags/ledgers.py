"""The task status badge as one tag: a list of 50 tasks rendered it through an include
looping over the labels, a third of the board's time."""

from django import template
from django.utils.html import format_html

from lvzhi.ledgers import services
from lvzhi.ledgers.models import Task

register = template.Library()

BADGES = {services.BEHIND: "text-bg-danger", Task.State.DONE: "text-bg-success",
          Task.State.CANCELLED: "text-bg-secondary"}


@register.simple_tag
def task_status(code: str) -> str:
    return format_html('<span class="badge {}">{}</span>',
                       BADGES.get(code, "text-bg-light border"),
                       services.STATUS_LABELS.get(code, ""))
