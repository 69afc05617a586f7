"""首次登录或忘记密码: a code by SMS to the number on file, then a new password.

An imported member has no password; this is how they get in without an admin setting one."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lvzhi.api.models import ApiToken
from lvzhi.core import password_codes, sms
from lvzhi.core.models import Event, PasswordCode

pytestmark = pytest.mark.django_db
NEW = "Xin-Mima-2026"


def _code() -> str:
    _mobile, text = sms.outbox[-1]
    return re.search(r"验证码是 (\d{6})", text).group(1)


def _ask(client, mobile):
    return client.post("/password/code/", {"mobile": mobile})


def _set(client, mobile, code, p1=NEW, p2=NEW):
    return client.post("/password/set/", {"mobile": mobile, "code": code,
                                          "password1": p1, "password2": p2})


@pytest.fixture
def imported(world):
    """lin as the roster import leaves a member: no usable password."""
    world.lin.password = make_password(None)
    world.lin.save()
    return world.lin


def test_an_imported_member_sets_a_password_by_sms_and_is_in(client, imported):
    assert not client.login(username="lin", password=NEW)
    asked = _ask(client, "13900001001")
    assert asked.status_code == 302 and "mobile=13900001001" in asked["Location"]
    assert sms.outbox[0][0] == "13900001001"
    assert "10 分钟内有效" in sms.outbox[0][1]
    assert not PasswordCode.objects.filter(digest__contains=_code()).exists()  # hashed
    done = _set(client, "13900001001", _code())
    assert (done.status_code, done["Location"]) == (302, "/")
    assert client.get("/").wsgi_request.user == imported  # signed in
    imported.refresh_from_db()
    assert imported.check_password(NEW)
    assert Event.objects.filter(action="password_set_by_code", object_id=imported.pk).exists()


def test_an_unknown_number_gets_the_same_answer_and_no_message(client, world):
    known = _ask(client, "13900001001")
    unknown = _ask(client, "13800000000")
    assert known.status_code == unknown.status_code == 302
    assert [m for m, _t in sms.outbox] == ["13900001001"]
    page = client.get(unknown["Location"]).content.decode()
    assert "如该手机号已登记，验证码已发送" in page


def test_a_code_is_single_use_and_a_used_one_is_refused(client, imported):
    _ask(client, "13900001001")
    code = _code()
    assert _set(client, "13900001001", code).status_code == 302
    client.logout()
    again = _set(client, "13900001001", code, "Zai-Ci-2026A", "Zai-Ci-2026A")
    assert again.status_code == 400
    assert "验证码不正确或已失效" in again.content.decode()
    imported.refresh_from_db()
    assert imported.check_password(NEW)


def test_an_expired_code_is_refused(client, imported):
    _ask(client, "13900001001")
    PasswordCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    refused = _set(client, "13900001001", _code())
    assert refused.status_code == 400
    assert not imported.__class__.objects.get(pk=imported.pk).has_usable_password()


def test_wrong_codes_are_counted_and_the_code_dies_after_five(client, imported):
    _ask(client, "13900001001")
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(password_codes.MAX_ATTEMPTS):
        assert _set(client, "13900001001", wrong).status_code == 400
    locked = _set(client, "13900001001", code)  # even the right one, now
    assert locked.status_code == 429
    assert "验证码错误次数过多，请重新获取。" in locked.content.decode()
    assert not imported.__class__.objects.get(pk=imported.pk).has_usable_password()


def test_asking_again_at_once_is_refused_for_any_number(client, world):
    _ask(client, "13900001001")
    again = _ask(client, "13900001001")
    assert again.status_code == 429
    assert "秒后再重新获取" in again.content.decode()
    assert len(sms.outbox) == 1
    assert _ask(client, "13800000000").status_code == 302  # another number is not held up


def test_a_refused_form_marks_every_field_and_keeps_what_was_typed(client, imported):
    _ask(client, "13900001001")
    refused = _set(client, "1390000100x", "", "abc", "abd")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "请填写 11 位手机号。" in page and "请填写验证码或激活码。" in page
    assert "两次输入的密码不一致。" in page
    assert 'value="1390000100x"' in page  # kept as typed
    assert page.count('aria-invalid="true"') == 3
    assert "abc" not in page  # passwords are never sent back
    weak = _set(client, "13900001001", _code(), "12345678", "12345678")
    assert weak.status_code == 400
    assert "密码" in weak.content.decode() and 'value="13900001001"' in weak.content.decode()
    assert not imported.__class__.objects.get(pk=imported.pk).has_usable_password()


def test_a_malformed_number_is_a_field_error_not_a_message(client, world):
    refused = _ask(client, "139-0000-1001")
    assert refused.status_code == 400
    assert "请填写 11 位手机号。" in refused.content.decode()
    assert sms.outbox == []


def test_a_reset_password_signs_every_phone_out(client, world):
    ApiToken.issue(world.lin, "手机")
    world.lin.__class__.objects.filter(pk=world.lin.pk).update(must_change_password=True)
    _ask(client, "13900001001")
    assert _set(client, "13900001001", _code()).status_code == 302
    assert not ApiToken.objects.filter(user=world.lin).exists()
    world.lin.refresh_from_db()
    assert not world.lin.must_change_password  # chosen by the person: nothing more to do


def test_a_failing_sms_gateway_is_said_and_stores_no_code(client, world, settings):
    settings.SMS_BACKEND = "lvzhi.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"  # nothing listens there
    settings.SMS_GATEWAY_TIMEOUT = 1
    refused = _ask(client, "13900001001")
    assert refused.status_code == 503
    assert "短信发送失败，请稍后再试。" in refused.content.decode()
    assert not PasswordCode.objects.exists()


def test_the_login_page_points_to_it(client):
    assert "/password/code/" in client.get("/login/").content.decode()


def test_staff_see_who_has_not_activated_yet(client, world, imported):
    client.force_login(world.zhou)
    page = client.get("/people/", {"q": "林晓岚"}).content.decode()
    assert "未激活" in page
    client.force_login(world.gao)  # a member sees no contacts, nor this
    assert "林晓岚" in client.get("/people/").content.decode()
    assert "未激活" not in client.get("/people/").content.decode()
    client.logout()
    _ask(client, "13900001001")
    _set(client, "13900001001", _code())
    client.force_login(world.zhou)
    assert "未激活" not in client.get("/people/", {"q": "林晓岚"}).content.decode()


def test_a_forgotten_password_by_e_mail_where_an_address_is_on_file(client, world, mailoutbox):
    world.lin.email = "Lin.Xiaolan@example.cn"
    world.lin.save()
    asked = _ask(client, "lin.xiaolan@example.cn")
    unknown = _ask(client, "nobody@example.cn")
    assert asked.status_code == unknown.status_code == 302  # the same answer
    assert [m.to for m in mailoutbox] == [["lin.xiaolan@example.cn"]] and not sms.outbox
    code = re.search(r"验证码是 (\d{6})", mailoutbox[0].body).group(1)
    assert _set(client, "lin.xiaolan@example.cn", code).status_code == 302
    world.lin.refresh_from_db()
    assert world.lin.check_password(NEW)


def test_an_address_two_accounts_share_gets_nothing(client, world, mailoutbox):
    for user in (world.lin, world.gao):
        user.email = "office@example.cn"
        user.save()
    assert _ask(client, "office@example.cn").status_code == 302
    assert not mailoutbox


def test_a_malformed_address_is_refused(client, world, mailoutbox):
    response = _ask(client, "lin@@example")
    assert response.status_code == 400 and "请填写正确的电子邮箱地址" in response.content.decode()
    assert not mailoutbox
