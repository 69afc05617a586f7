"""Health checks for the proxy and monitoring: /healthz (the process answers) and /readyz
(it can do its work: database, task queue, uploads folder)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "task_queue": _task_queue(), "media": _media()}
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"ready": ready, **checks}, status=200 if ready else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # any failure means not ready; the reason goes to the log, not out
        return "unavailable"


def _task_queue() -> str:
    if "RQBackend" not in settings.TASKS["default"]["BACKEND"]:
        return "ok"  # tasks run in-process
    try:
        import django_rq
        django_rq.get_connection("default").ping()
        return "ok"
    except Exception:
        return "unavailable"


def _media() -> str:
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-"):
            pass
        return "ok"
    except OSError:
        return "not writable"
