"""Input types every API operation shares."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from lvzhi.core.inputs import MAX_ID

# An object's id as a client sends it: larger numbers are refused with 422 before any
# query, since SQLite cannot even compare them ("Python int too large").
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
