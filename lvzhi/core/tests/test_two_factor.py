"""Two-factor sign-in for administrators: enrolment forced, a code after the password,
recovery codes, the phone API, a reset by the security administrator."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.conftest import PASSWORD
from lvzhi.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


@pytest.fixture
def enrolled(world):
    """zheng, the system administrator, with a phone app enrolled."""
    return TOTPDevice.objects.create(user=world.zheng, name="手机", confirmed=True)


def _password(client, login="zheng", next_url=""):
    url = "/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": login, "password": PASSWORD})


def test_an_administrator_must_enrol_before_anything_else(client, world):
    client.force_login(world.zheng)
    page = client.get("/proposals/")
    assert (page.status_code, page["Location"]) == (302, "/account/2fa/?next=%2Fproposals%2F")
    api = client.get("/api/me")
    assert (api.status_code, api.json()["code"]) == (403, "otp_required")
    assert client.get("/account/2fa/").status_code == 200


def test_enrolment_with_a_first_code_gives_recovery_codes(client, world):
    client.force_login(world.zheng)
    page = client.get("/account/2fa/").content.decode()
    assert "<svg" in page and "密钥" in page
    device = TOTPDevice.objects.get(user=world.zheng, confirmed=False)
    assert client.get("/account/2fa/").content.decode().count(  # same secret on a reload
        page[page.index('id="lz-otp-secret">') + 19:][:20]) == 1
    wrong = client.post("/account/2fa/", {"token": "000000" if _code(device) != "000000"
                                          else "111111"})
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1  # slowed down
    device.throttle_reset()  # as if the second had passed
    done = client.post("/account/2fa/?next=/proposals/", {"token": _code(device)})
    codes = re.findall(r'<li class="list-group-item">(\w+)</li>', done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/proposals/").status_code == 200  # this session is verified
    assert AuditRecord.objects.filter(action="otp_enrolled", actor=world.zheng).exists()


def test_sign_in_asks_for_the_code_after_the_password(client, world, enrolled):
    first = _password(client, next_url="/admin/")
    assert first["Location"].startswith("/login/verify/")
    assert client.get("/proposals/")["Location"].startswith("/login/")  # not signed in yet
    wrong = client.post(first["Location"], {"token": "12345"})
    assert wrong.status_code == 400 and "动态验证码不正确" in wrong.content.decode()
    assert AuditRecord.objects.filter(action="otp_failed", actor=world.zheng).exists()
    enrolled.refresh_from_db()
    enrolled.throttle_reset()  # as if the throttle's second had passed
    done = client.post(first["Location"], {"token": _code(enrolled)})
    assert (done.status_code, done["Location"]) == (302, "/admin/")
    assert client.get("/admin/core/sector/").status_code == 200
    assert AuditRecord.objects.filter(action="login", actor=world.zheng).exists()


def test_a_recovery_code_works_once(client, world, enrolled):
    from lvzhi.core import two_factor
    code = two_factor.new_recovery_codes(world.zheng)[0]
    _password(client)
    assert client.post("/login/verify/", {"token": code}).status_code == 302
    client.logout()
    _password(client)
    assert client.post("/login/verify/", {"token": code}).status_code == 400
    assert StaticToken.objects.count() == 9


def test_the_half_signed_in_state_expires_and_wrong_tries_end_it(client, world, enrolled):
    _password(client)
    session = client.session
    session["otp_pending"]["at"] = time.time() - 301
    session.save()
    assert client.post("/login/verify/", {"token": _code(enrolled)})["Location"] == "/login/"
    _password(client)
    for _ in range(5):
        last = client.post("/login/verify/", {"token": "999999x"})
    assert last["Location"] == "/login/"
    assert client.get("/proposals/")["Location"].startswith("/login/")


def test_a_member_signs_in_with_the_password_alone(client, world):
    assert _password(client, "lin")["Location"] == "/"
    assert client.get("/proposals/").status_code == 200


def test_a_phone_gets_no_token_without_the_code(client, world, enrolled):
    def token(**extra):
        return client.post("/api/auth/token", {"login": "zheng", "password": PASSWORD,
                                               **extra}, content_type="application/json")
    missing = token()
    assert (missing.status_code, missing.json()["code"]) == (401, "bad_otp")
    assert token(otp=_code(enrolled)).status_code == 200
    enrolled.delete()
    refused = token()
    assert (refused.status_code, refused.json()["code"]) == (403, "otp_enrolment_required")


def test_the_security_admin_resets_a_lost_phone(login, world, enrolled):
    client = login(world.shen)
    client.post("/admin/core/user/", {"action": "reset_two_factor",
                                      "_selected_action": [world.zheng.pk]})
    # zheng is an administrator of the same body but is_staff: out of shen's reach.
    assert TOTPDevice.objects.filter(user=world.zheng).exists()
    member = TOTPDevice.objects.create(user=world.lin, name="手机", confirmed=True)
    client.post("/admin/core/user/", {"action": "reset_two_factor",
                                      "_selected_action": [world.lin.pk]})
    assert not TOTPDevice.objects.filter(pk=member.pk).exists()
    assert AuditRecord.objects.filter(action="otp_reset", actor=world.shen,
                                      target=f"user:{world.lin.pk}").exists()
