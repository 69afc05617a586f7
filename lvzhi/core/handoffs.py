"""Handing work from one feature to another that it may not import.

A proposal the office turns into an opinion report must land in the opinion office's
queue, but `proposals` does not import `opinions` (DESIGN.md, "Which app may use which").
The receiving app registers what it takes in its AppConfig.ready; the sender hands over
by name and gets back the row it made, inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal

_RECEIVERS: dict[str, Callable[..., Model]] = {}


def register(kind: str, receiver: Callable[..., Model]) -> None:
    _RECEIVERS[kind] = receiver


def hand_over(kind: str, **kwargs: Any) -> Model:
    receiver = _RECEIVERS.get(kind)
    if receiver is None:  # the receiving app is not installed
        raise Refusal("no_receiver", _("本平台未启用接收该事项的功能。"), status=409)
    return receiver(**kwargs)
