"""One log format: key=value, time with its zone, level, request id (also in the response
header and on error pages), user and bodies; no secrets."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings
from django.urls import path

from lvzhi.core.logs import KeyValueFormatter, RequestContext

pytestmark = pytest.mark.django_db
log = logging.getLogger("lvzhi.test")


def _boom(request):
    log.warning("about to fail password=hunter2")
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]
handler500 = "lvzhi.core.error_pages.server_error"


def _line(record: logging.LogRecord) -> str:
    RequestContext().filter(record)
    return KeyValueFormatter().format(record)


def test_every_response_carries_a_request_id_and_keeps_a_sane_one(login, world):
    client = login(world.zhou)
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 16 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-abc-12345")["X-Request-ID"] == \
        "proxy-abc-12345"
    odd = client.get("/", HTTP_X_REQUEST_ID="x\" injected=1")["X-Request-ID"]
    assert odd != "x\" injected=1" and len(odd) == 16


def test_an_error_page_shows_the_request_id(login, world):
    client = login(world.zhou)
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404-abcdef")
    assert response.status_code == 404 and "req-404-abcdef" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_logs_one_line_with_id_user_and_bodies(client, world, caplog):
    client.raise_request_exception = False
    client.force_login(world.zhou)
    with caplog.at_level(logging.WARNING):
        response = client.get("/boom/", HTTP_X_REQUEST_ID="req-500-abcdef")
    assert response.status_code == 500
    assert "req-500-abcdef" in response.content.decode() and "错误编号" in \
        response.content.decode()
    lines = [_line(r) for r in caplog.records]
    warning = next(line for line in lines if "about to fail" in line)
    assert "request_id=req-500-abcdef" in warning and "level=WARNING" in warning
    assert "password=***" in warning and "hunter2" not in warning
    assert "+08:00" in warning.split()[0]
    error = next(line for line in lines if "level=ERROR" in line)
    assert "exc=" in error and "RuntimeError" in error and "\n" not in error


def test_a_line_outside_a_request_has_no_request_fields():
    record = logging.LogRecord("lvzhi.x", logging.INFO, __file__, 1, 'said "hi"\nthere',
                               None, None)
    line = _line(record)
    assert line.startswith("time=") and 'msg="said \\"hi\\"\\nthere"' in line
    assert "request_id=" not in line and "user=" not in line
