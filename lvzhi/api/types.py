"""Input types every API operation shares."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from pydantic import Field

from lvzhi.core.access import actor_for
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


_ENUMS: dict[str, type[enum.StrEnum]] = {}


def choice(choices: type[models.TextChoices], name: str = "") -> type[enum.StrEnum]:
    """A choice field as an enum of its codes, one named schema per set of choices
    (ProposalState, ContactWay …) that every operation shares, each code's Chinese label in
    its description. A StrEnum, so a member is its code wherever it is saved."""
    name = name or choices.__qualname__.replace(".", "")
    found = _ENUMS.get(name)
    if found is None:
        found = enum.StrEnum(name, {value.upper(): value for value in choices.values})
        found.__doc__ = "；".join(f"{value}={label}" for value, label in choices.choices)
        _ENUMS[name] = found
    return found


def text(max_length: int, description: str = "") -> Any:
    return Annotated[str, Field(max_length=max_length, description=description or None)]


def require_role_in(request: HttpRequest, body_id: int) -> None:
    """404, as for an object the caller may not see, unless they hold a role in the body."""
    if body_id not in actor_for(request.user).body_ids and not request.user.is_superuser:
        raise Http404
