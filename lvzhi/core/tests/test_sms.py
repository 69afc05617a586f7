"""Text messages: the HTTP gateway backend against a small fake gateway on loopback, and
the file and memory backends."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lvzhi.core import sms
from lvzhi.core.errors import Refusal


class FakeGateway(BaseHTTPRequestHandler):
    """Records every POST; answers with the server's `status` after its `delay`."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.server.received.append({  # type: ignore[attr-defined]
            "path": self.path, "auth": self.headers.get("Authorization"),
            "type": self.headers.get("Content-Type"),
            "body": json.loads(self.rfile.read(length).decode("utf-8"))})
        time.sleep(self.server.delay)  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # the timeout test hangs up on purpose: no traceback in the test output


@pytest.fixture
def gateway(settings):
    server = QuietServer(("127.0.0.1", 0), FakeGateway)
    server.received, server.status, server.delay = [], 200, 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "lvzhi.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_USER, settings.SMS_GATEWAY_PASSWORD = "lvzhi", "s3cret"
    settings.SMS_GATEWAY_TEMPLATE = '{"to": "{mobile}", "msg": "{text}", "sign": "政协"}'
    settings.SMS_GATEWAY_TIMEOUT = 1
    yield server
    server.shutdown()
    server.server_close()


def test_the_gateway_gets_the_filled_template_with_basic_auth(gateway):
    sms.send_sms("13900001001", '您的验证码是 "123456"\n五分钟内有效。')
    (got,) = gateway.received
    assert got["path"] == "/send" and got["type"] == "application/json"
    assert got["auth"] == "Basic " + base64.b64encode(b"lvzhi:s3cret").decode()
    # A quote or a newline in the text is escaped, not a broken JSON body.
    assert got["body"] == {"to": "13900001001", "msg": '您的验证码是 "123456"\n五分钟内有效。',
                           "sign": "政协"}


@pytest.mark.parametrize("status", [400, 500, 503])
def test_a_refusing_gateway_is_a_chinese_refusal(gateway, status):
    gateway.status = status
    with pytest.raises(Refusal) as refused:
        sms.send_sms("13900001001", "验证码 123456")
    assert (refused.value.code, refused.value.message) == (
        "sms_failed", "短信发送失败，请稍后再试。")
    assert len(gateway.received) == 1


def test_a_silent_gateway_times_out(gateway):
    gateway.delay = 2  # past SMS_GATEWAY_TIMEOUT
    started = time.monotonic()
    with pytest.raises(Refusal):
        sms.send_sms("13900001001", "验证码 123456")
    assert time.monotonic() - started < 2


def test_no_gateway_at_all_is_a_refusal_too(settings):
    settings.SMS_BACKEND = "lvzhi.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # the discard port: nothing listens
    with pytest.raises(Refusal):
        sms.send_sms("13900001001", "验证码 123456")


def test_the_file_backend_appends_json_lines(settings, tmp_path):
    settings.SMS_BACKEND = "lvzhi.core.sms.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"
    sms.send_sms("13900001001", "第一条")
    sms.send_sms("13900001002", "第二条")
    lines = [json.loads(x) for x in settings.SMS_FILE_PATH.read_text("utf-8").splitlines()]
    assert lines == [{"mobile": "13900001001", "text": "第一条"},
                     {"mobile": "13900001002", "text": "第二条"}]


def test_the_memory_backend_keeps_an_outbox(settings):
    settings.SMS_BACKEND = "lvzhi.core.sms.MemoryBackend"
    sms.outbox.clear()
    sms.send_sms("13900001001", "验证码 654321")
    assert sms.outbox == [("13900001001", "验证码 654321")]


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_the_gateway(gateway, client, world):
    import re
    client.post("/password/code/", {"mobile": "13900001001"})
    (got,) = gateway.received
    assert got["body"]["to"] == "13900001001"
    code = re.search(r"验证码是 (\d{6})", got["body"]["msg"]).group(1)
    done = client.post("/password/set/", {"mobile": "13900001001", "code": code,
                                          "password1": "Xin-Mima-2026",
                                          "password2": "Xin-Mima-2026"})
    assert done.status_code == 302
    world.lin.refresh_from_db()
    assert world.lin.check_password("Xin-Mima-2026")


@pytest.mark.django_db
def test_a_gateway_down_refuses_the_code_request_in_chinese(gateway, client, world):
    gateway.status = 503
    response = client.post("/password/code/", {"mobile": "13900001001"})
    assert response.status_code >= 400 and "短信发送失败" in response.content.decode()
    from lvzhi.core.models import PasswordCode
    assert not PasswordCode.objects.exists()  # no code that was never sent
