"""Text is stored without control characters, whichever page, API call or import wrote it."""

from __future__ import annotations

from typing import Any

from django.db import models

from lvzhi.core.inputs import CONTROL_CHARACTERS

_TEXT_FIELDS: dict[type, list[str]] = {}


def _text_fields(model: type[models.Model]) -> list[str]:
    if model not in _TEXT_FIELDS:
        _TEXT_FIELDS[model] = [
            f.attname for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and f.name != "password"]
    return _TEXT_FIELDS[model]


def drop_control_characters(sender: type[models.Model], instance: models.Model,
                            **kwargs: Any) -> None:
    if not sender.__module__.startswith("lvzhi."):
        return
    for name in _text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            setattr(instance, name, CONTROL_CHARACTERS.sub("", value))
