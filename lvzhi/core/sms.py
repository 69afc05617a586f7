"""Text messages (短信) through a backend chosen in settings, as Django's e-mail backends.

SMS providers differ by region and by contract, so the HTTP backend is configured rather
than written per provider: a URL, credentials and a JSON body template with `{mobile}` and
`{text}`. Development and tests use the console, file or memory backends.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal

log = logging.getLogger(__name__)

# What the memory backend sent, as django.core.mail.outbox: (mobile, text) pairs.
outbox: list[tuple[str, str]] = []


class SmsBackend:
    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    """Prints each message: for a developer's machine."""

    def send(self, mobile: str, text: str) -> None:
        sys.stdout.write(_("[短信] %(mobile)s: %(text)s") % {"mobile": mobile, "text": text}
                         + "\n")
        sys.stdout.flush()


class FileBackend(SmsBackend):
    """Appends each message as a JSON line to SMS_FILE_PATH: for a test deployment."""

    def send(self, mobile: str, text: str) -> None:
        with open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as f:
            f.write(json.dumps({"mobile": mobile, "text": text}, ensure_ascii=False) + "\n")


class MemoryBackend(SmsBackend):
    def send(self, mobile: str, text: str) -> None:
        outbox.append((mobile, text))


class HttpGatewayBackend(SmsBackend):
    """POSTs SMS_GATEWAY_TEMPLATE, filled in, to SMS_GATEWAY_URL with basic auth; any
    answer but 2xx, or no answer within SMS_GATEWAY_TIMEOUT seconds, is a failure."""

    def send(self, mobile: str, text: str) -> None:
        body = fill(settings.SMS_GATEWAY_TEMPLATE, mobile=mobile, text=text)
        request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body.encode("utf-8"),
                                         method="POST",
                                         headers={"Content-Type": "application/json"})
        if settings.SMS_GATEWAY_USER:
            pair = f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD}".encode()
            request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as r:
                status = r.status
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            log.warning("sms gateway failed for %s: %s", _masked(mobile), exc)
            raise SmsFailed(str(exc)) from exc
        if not 200 <= status < 300:
            raise SmsFailed(f"gateway answered {status}")


class SmsFailed(Exception):
    pass


def fill(template: str, **values: str) -> str:
    """The template with each `{name}` replaced by the value as a JSON string's content,
    so a quote or a newline in a message cannot break the gateway's JSON."""
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", json.dumps(value, ensure_ascii=False)[1:-1])
    return out


def backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(mobile: str, text: str) -> None:
    """Send one message, or refuse with a Chinese message if the channel failed, so the
    person asking for a code knows to try again."""
    try:
        backend().send(mobile, text)
    except SmsFailed:
        raise Refusal("sms_failed", _("短信发送失败，请稍后再试。"), status=503) from None


def _masked(mobile: str) -> str:
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) >= 7 else "****"
