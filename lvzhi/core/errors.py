"""The one domain error: a refusal with a code for machines and a Chinese message for people.

Views show `message`; the API returns {"code", "message"} with `status`. A refused action
raises this before anything is written, or inside the transaction that it rolls back.
"""

from __future__ import annotations

from django.utils.functional import Promise


class Refusal(Exception):
    def __init__(self, code: str, message: str | Promise, *, status: int = 400) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.status = status
