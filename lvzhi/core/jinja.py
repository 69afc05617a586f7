"""The Jinja2 environment for list rows: escaping on, text through Django's translation
(`{{ _("编号") }}`, which makemessages reads as it reads Django's templates)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env
