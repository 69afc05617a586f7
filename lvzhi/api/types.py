"""Input types every API operation shares."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pydantic import Field

from lvzhi.core.errors import Refusal
from lvzhi.core.inputs import MAX_ID

# An object's id as a client sends it: larger numbers are refused with 422 before any
# query, since SQLite cannot even compare them ("Python int too large").
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def require_body(request: HttpRequest) -> None:
    """A schema whose fields all have defaults would take a missing body for {}; an
    operation that declares a body wants one."""
    if not request.body.strip():
        raise Refusal("missing_body", _("请求缺少内容：请以 JSON 提交。"), status=422)


def choice(choices: type[models.TextChoices], description: str = "") -> Any:
    """A choice field as an enum of its codes, each code's Chinese label in the
    description, so a generated client gets the codes and a person reading the schema
    gets their meaning."""
    meaning = "；".join(f"{value}={label}" for value, label in choices.choices)
    return Annotated[Literal[tuple(choices.values)],  # type: ignore[valid-type]
                     Field(description=f"{description}（{meaning}）" if description else meaning)]


def text(max_length: int, description: str = "") -> Any:
    return Annotated[str, Field(max_length=max_length, description=description or None)]
