"""Activation: staff issue codes (printed letters or SMS) to members who have not activated;
a member enters mobile number and code on /activate/, sets a password and is in."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lvzhi.core import sms
from lvzhi.core.models import AuditRecord, Event, PasswordCode

pytestmark = pytest.mark.django_db
NEW = "Xin-Mima-2026"


@pytest.fixture
def imported(world):
    """lin, gao and dong as the roster import leaves them: no usable password."""
    for user in (world.lin, world.gao, world.dong):
        user.password = make_password(None)
        user.save()
    return world


def _seat(user):
    return user.memberships.get().pk


def _issue(client, *users, how="sms"):
    return client.post("/people/activation/", {"how": how,
                                               "member": [_seat(u) for u in users]})


def _sms_code(mobile: str) -> str:
    text = next(t for m, t in reversed(sms.outbox) if m == mobile)
    return re.search(r"激活码是 (\d{4} \d{4})", text).group(1)


def _activate(client, mobile, code, p1=NEW, p2=NEW):
    return client.post("/activate/", {"mobile": mobile, "code": code,
                                      "password1": p1, "password2": p2})


def test_staff_see_who_has_activated(login, imported, world):
    client = login(world.zhou)
    page = client.get("/people/activation/?state=all").content.decode()
    assert "已激活 1 / 3 人" in page  # qin has a password; lin and gao do not
    assert "林晓岚" in page and "秦文远" in page
    assert "董建国" not in page  # a district member: another body
    pending = client.get("/people/activation/").content.decode()
    assert "林晓岚" in pending and "秦文远" not in pending


def test_a_member_activates_with_a_code_sent_by_sms(login, imported, world, client):
    staff = login(world.zhou)
    done = _issue(staff, world.lin)
    assert done.status_code == 302
    assert sms.outbox[-1][0] == "13900001001"
    assert "/activate/" in sms.outbox[-1][1]
    code = _sms_code("13900001001")
    row = PasswordCode.objects.get(user=world.lin, kind="activation")
    assert code.replace(" ", "") not in row.digest and row.issued_by == world.zhou
    assert (row.expires_at - timezone.now()).days == 13  # 14 days, less a moment
    assert "已发放，待激活" in staff.get("/people/activation/").content.decode()
    staff.logout()
    done = _activate(client, "13900001001", code)
    assert (done.status_code, done["Location"]) == (302, "/")
    world.lin.refresh_from_db()
    assert world.lin.check_password(NEW) and not world.lin.must_change_password
    assert Event.objects.filter(action="activated", object_id=world.lin.pk).exists()
    assert AuditRecord.objects.filter(action="activated", actor=world.lin).exists()
    assert AuditRecord.objects.filter(action="activation_issued", actor=world.zhou,
                                      target=f"user:{world.lin.pk}").exists()


def test_an_activation_code_is_single_use_and_reissuing_voids_the_old_one(
        login, imported, world, client):
    staff = login(world.zhou)
    _issue(staff, world.lin)
    first = _sms_code("13900001001")
    _issue(staff, world.lin)
    second = _sms_code("13900001001")
    staff.logout()
    old = _activate(client, "13900001001", first)
    assert old.status_code == 400 and "验证码不正确或已失效" in old.content.decode()
    assert _activate(client, "13900001001", second).status_code == 302
    client.logout()
    again = _activate(client, "13900001001", second, "Zai-Ci-2026A", "Zai-Ci-2026A")
    assert again.status_code == 400
    world.lin.refresh_from_db()
    assert world.lin.check_password(NEW)


def test_an_expired_activation_code_is_refused(login, imported, world, client):
    _issue(login(world.zhou), world.lin)
    code = _sms_code("13900001001")
    PasswordCode.objects.filter(user=world.lin).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()
    refused = _activate(client, "13900001001", code)
    assert refused.status_code == 400
    world.lin.refresh_from_db()
    assert not world.lin.has_usable_password()


def test_wrong_tries_void_the_code(login, imported, world, client):
    _issue(login(world.zhou), world.lin)
    code = _sms_code("13900001001")
    client.logout()
    for _ in range(5):
        assert _activate(client, "13900001001", "0000 0000").status_code == 400
    locked = _activate(client, "13900001001", code)
    assert locked.status_code == 429 and "错误次数过多" in locked.content.decode()


def test_activated_members_and_those_without_a_mobile_are_skipped(login, imported, world):
    world.gao.mobile = None
    world.gao.save()
    staff = login(world.zhou)
    response = _issue(staff, world.qin, world.gao, world.lin)
    page = staff.get(response["Location"]).content.decode()
    assert "秦文远（已激活）" in page and "高振东（未登记手机号）" in page
    assert [m for m, _t in sms.outbox] == ["13900001001"]
    assert not PasswordCode.objects.filter(user__in=[world.qin, world.gao]).exists()


@pytest.mark.parametrize("who", ["lin", "ma", "zheng", "nobody"])
def test_only_staff_of_the_body_issue_codes(login, imported, world, who):
    client = login(getattr(world, who))
    assert client.get("/people/activation/").status_code == 404
    assert _issue(client, world.lin).status_code == 404
    assert not PasswordCode.objects.exists() and not sms.outbox


def test_staff_cannot_issue_for_another_bodys_member(login, imported, world):
    client = login(world.pan)  # daoli staff
    response = _issue(client, world.lin)
    assert response.status_code == 302
    assert "请至少选择一位本政协的未激活委员" in client.get(response["Location"]).content.decode()
    assert not PasswordCode.objects.exists()


@pytest.mark.parametrize("form", [{"how": "letters"}, {"how": "fax", "member": ["1"]},
                                  {"how": "sms", "member": ["abc", "-1", "9" * 30]}])
def test_malformed_requests_are_refused_without_a_change(login, imported, world, form):
    client = login(world.zhou)
    response = client.post("/people/activation/", form)
    assert response.status_code == 302
    assert "请" in client.get(response["Location"]).content.decode()
    assert not PasswordCode.objects.exists() and not sms.outbox


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_letters_are_one_a4_page_per_member_with_the_code(login, imported, world, client):
    staff = login(world.zhou)
    response = _issue(staff, world.lin, world.gao, how="letters")
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content,
                          capture_output=True, check=True).stdout.decode()
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) == 2
    assert "林晓岚委员" in pages[0] and "高振东委员" in pages[1]
    assert "http://testserver/activate/" in pages[0] and "139****1001" in pages[0]
    code = re.search(r"激活码：([\d ]+)", pages[0]).group(1).replace(" ", "")
    assert len(code) == 8
    assert not sms.outbox
    staff.logout()
    assert _activate(client, "13900001001", code).status_code == 302
