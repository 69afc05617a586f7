"""The one domain error: a refusal with a code for machines and a Chinese message for people.

Views show `message`; the API returns {"code", "message"} with `status`. A refused action
raises this before anything is written, or inside the transaction that it rolls back.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class Refusal(Exception):
    """`fields` names every input at fault with its own message, so a form can mark them
    all at once instead of one per submit."""

    def __init__(self, code: str, message: str | Promise, *, status: int = 400,
                 fields: dict[str, str] | None = None, retry_after: int | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.status = status
        self.fields = fields or {}
        self.retry_after = retry_after  # seconds, for a 429's Retry-After


def fields_at_fault(refusal: Refusal) -> dict[str, str]:
    """The inputs a refusal is about: those it names, or the one its code names
    (missing_comment, bad_ground …), so a form can mark it."""
    if refusal.fields:
        return refusal.fields
    prefix, _sep, name = refusal.code.partition("_")
    return {name: refusal.message} if prefix in ("missing", "bad") and name else {}


def refuse_fields(errors: dict[str, tuple[str, Any]]) -> None:
    """Refuse with every field's problem at once, if there is any: `errors` maps a field to
    (code, message); the first code stays the refusal's code, as when it came alone."""
    if errors:
        messages = {name: str(message) for name, (_code, message) in errors.items()}
        code = next(iter(errors.values()))[0]
        raise Refusal(code, "".join(messages.values()), fields=messages)


def refill(error: Refusal | None, posted: tuple[str, Any] | None) -> dict[str, Any]:
    """A page's context for a refused form to come back as it was typed, its fields at
    fault marked: `posted` is the action's name and the POST data."""
    name, values = posted or ("", {})
    return {"posted_action": name, "posted": values,
            "field_errors": fields_at_fault(error) if error else {}}
