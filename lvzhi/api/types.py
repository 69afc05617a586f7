"""Input types every API operation shares."""

from __future__ import annotations

from typing import Annotated

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
