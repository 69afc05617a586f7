"""One log format for every process (web, worker, scheduler): key=value lines, the time in
the platform's zone with its offset, the level, the request id (also sent back as the
X-Request-ID header and printed on error pages, so a user can quote it), the user's and
their bodies' ids. Messages are what the code logs — never a request's body, a password or
a token (nothing logs them; the formatter also masks anything shaped like `password=…`).
"""

from __future__ import annotations

import contextvars
import datetime
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse

current: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "lvzhi_log_request", default=None)
# settings.TIME_ZONE, also where settings are not loaded (gunicorn's master process)
ZONE = ZoneInfo("Asia/Shanghai")
INCOMING = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # an id the proxy set, if it looks sane
SECRET = re.compile(r"(?i)(password|passwd|token|secret|authorization)=\S+")


def request_id(request: HttpRequest | None) -> str:
    return getattr(request, "request_id", "") if request is not None else ""


class RequestIdMiddleware:
    """First in the chain: every request gets an id (the proxy's X-Request-ID if sane),
    every response carries it, every log line of the request names it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if INCOMING.match(incoming) else uuid.uuid4().hex[:16]
        token = current.set(request)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestContext(logging.Filter):
    """Adds request_id, user and bodies to each record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request_id"):
            return True  # already filled (another handler of the same record)
        request = current.get()
        record.request_id = request_id(request)
        # Only what the request already knows: a log line never queries the database.
        user = getattr(request, "_cached_user", None) if request is not None else None
        actor = getattr(user, "_lvzhi_actor", None)
        record.user = user.pk if getattr(user, "is_authenticated", False) else ""
        record.bodies = ",".join(str(b) for b in sorted(actor.body_ids)) if actor else ""
        return True


class KeyValueFormatter(logging.Formatter):
    FIELDS = ("request_id", "user", "bodies")

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.datetime.fromtimestamp(record.created, ZONE)
        parts = [f"time={when.isoformat(timespec='milliseconds')}",
                 f"level={record.levelname}", f"logger={record.name}"]
        parts += [f"{name}={getattr(record, name)}" for name in self.FIELDS
                  if getattr(record, name, "")]
        parts.append(f"msg={_quoted(record.getMessage())}")
        if record.exc_info:
            parts.append(f"exc={_quoted(self.formatException(record.exc_info))}")
        return " ".join(parts)


def _quoted(text: Any) -> str:
    text = SECRET.sub(lambda m: f"{m.group(1)}=***", str(text))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
