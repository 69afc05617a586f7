"""Logging in by username or mobile, Argon2, and throttling of repeated failures."""

import pytest
from django.contrib.auth.hashers import identify_hasher

from lvzhi import settings as project_settings
from lvzhi.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, login, password):
    return client.post("/login/", {"login": login, "password": password})


def test_login_by_username_goes_home(client, world):
    response = post_login(client, "lin", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").context["user"] == world.lin


def test_login_by_mobile_number(client, world):
    response = post_login(client, "13900001001", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").context["user"] == world.lin


def test_wrong_password_is_refused_in_chinese(client, world):
    response = post_login(client, "lin", "wrong")
    assert response.status_code == 401
    assert "用户名（手机号）或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_person_cannot_log_in(client, world):
    world.lin.is_active = False
    world.lin.save()
    assert post_login(client, "lin", PASSWORD).status_code == 401


def test_five_failures_lock_the_name_even_for_the_right_password(client, world):
    for _ in range(5):
        assert post_login(client, "lin", "wrong").status_code == 401
    response = post_login(client, "lin", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_counts_the_mobile_and_username_separately_from_other_people(client, world):
    for _ in range(5):
        post_login(client, "lin", "wrong")
    assert post_login(client, "gao", PASSWORD).status_code == 302


def test_success_before_the_limit_clears_the_count(client, world, settings):
    for _ in range(4):
        post_login(client, "lin", "wrong")
    assert post_login(client, "lin", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        post_login(client, "lin", "wrong")
    assert post_login(client, "lin", PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for i in range(20):  # 20 different names, each below its own limit
        post_login(client, f"guess{i}", "wrong")
    assert post_login(client, "lin", PASSWORD).status_code == 429


def test_api_token_login_shares_the_throttle(client, world):
    for _ in range(5):
        post_login(client, "lin", "wrong")
    response = client.post("/api/auth/token", {"login": "lin", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


def test_passwords_are_hashed_with_argon2(client, world, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    world.lin.set_password("新密码 2022")
    world.lin.save()
    assert identify_hasher(world.lin.password).algorithm == "argon2"
    assert post_login(client, "lin", "新密码 2022").status_code == 302


def test_login_throttle_is_shared_by_every_worker_process():
    # Several gunicorn workers must see one count: a database or Redis cache, never locmem.
    backend = project_settings.CACHES["default"]["BACKEND"]
    assert backend.endswith(("DatabaseCache", "RedisCache"))


def test_logout_needs_post(client, world):
    client.force_login(world.lin)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_login_refuses_a_redirect_to_another_site(client, world):
    response = client.post("/login/?next=https://example.com/",
                           {"login": "lin", "password": PASSWORD})
    assert response.url == "/"


def test_username_and_mobile_lock_one_account(client, world):
    for login in ("lin", "lin", "13900001001", "13900001001", "lin"):
        assert post_login(client, login, "wrong").status_code == 401
    assert post_login(client, "13900001001", PASSWORD).status_code == 429
    assert post_login(client, "lin", PASSWORD).status_code == 429


def _rotating(client, remote: str, settings) -> list[int]:
    settings.LOGIN_FAILURE_LIMIT = 1  # the address then locks after 10 failures
    codes = []
    for i in range(12):
        codes.append(client.post("/login/", {"login": f"guess{i}", "password": "x"},
                                 HTTP_X_FORWARDED_FOR=f"10.9.{i}.1, 203.0.113.7",
                                 REMOTE_ADDR=remote).status_code)
    return codes


def test_a_forged_forwarded_for_does_not_escape_the_address_lock(client, world, settings):
    settings.TRUSTED_PROXIES = 0  # no proxy: the header is the client's own words
    assert _rotating(client, "198.51.100.4", settings)[-1] == 429


def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(client, world, settings):
    settings.TRUSTED_PROXIES = 1  # nginx appends the real peer to whatever came in
    codes = _rotating(client, "127.0.0.1", settings)
    assert codes[-1] == 429  # 203.0.113.7 locked, whatever it put first
    response = client.post("/login/", {"login": "lin", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="203.0.113.8", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 302  # another client behind the same proxy


def test_logins_go_on_when_redis_is_down(client, world, settings, caplog, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from lvzhi.core import throttle
    settings.CACHES = {**settings.CACHES, "fallback": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fallback"}}
    down = RedisCache("redis://127.0.0.1:1/0",  # nothing listens there
                      {"OPTIONS": {"socket_connect_timeout": 0.2}})
    monkeypatch.setattr(throttle, "_shared_cache", lambda: down)
    assert post_login(client, "lin", PASSWORD).status_code == 302
    client.logout()
    for _ in range(5):
        assert post_login(client, "gao", "wrong").status_code == 401
    assert post_login(client, "gao", PASSWORD).status_code == 429  # still throttled
    token = client.post("/api/auth/token", {"login": "lin", "password": PASSWORD},
                        content_type="application/json")
    assert token.status_code == 200
    assert "shared cache failed" in caplog.text


@pytest.mark.parametrize(("new", "message"), [
    ("abc", "密码太短，至少需要 8 个字符。"),
    ("12345678901", "密码只包含数字"),
    ("password123", "太常见"),
    ("abcdefghijk", "密码须包含大写字母、小写字母、数字、其他符号中的至少 3 种。"),
    ("Mima-13900001001", "密码不能包含用户名或手机号。"),
    ("Ok-lin-2026", "密码不能包含用户名或手机号。"),
])
def test_password_rules_speak_chinese(client, world, settings, new, message):
    settings.AUTH_PASSWORD_VALIDATORS = project_settings.AUTH_PASSWORD_VALIDATORS
    client.force_login(world.lin)
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": new,
                                          "new_password2": new})
    html = response.content.decode()
    assert message in html
    assert "This password" not in html and "Your password" not in html
    world.lin.refresh_from_db()
    assert world.lin.check_password(PASSWORD)


def _idle(client, minutes: int) -> None:
    from django.utils import timezone

    session = client.session
    session["seen_at"] = int(timezone.now().timestamp()) - minutes * 60
    session.save()


def test_staff_are_signed_out_after_thirty_idle_minutes(client, world):
    client.force_login(world.zhou)
    assert client.get("/proposals/office/").status_code == 200
    _idle(client, 29)
    assert client.get("/proposals/office/").status_code == 200  # and the clock restarts
    _idle(client, 31)
    out = client.get("/proposals/office/")
    assert (out.status_code, out["Location"]) == (302, "/login/?next=%2Fproposals%2Foffice%2F")
    assert "长时间未操作，已自动退出，请重新登录。" in client.get(out["Location"]).content.decode()
    assert client.get("/").status_code == 302  # the session is gone


def test_a_member_on_a_phone_stays_in_longer(client, world, settings):
    client.force_login(world.lin)
    _idle(client, 31)
    assert client.get("/proposals/").status_code == 200
    _idle(client, settings.IDLE_MINUTES + 1)
    assert client.get("/proposals/").status_code == 302


def test_the_last_seen_time_is_written_at_most_once_a_minute(client, world):
    client.force_login(world.lin)
    client.get("/")
    first = client.session["seen_at"]
    client.get("/")
    assert client.session["seen_at"] == first


def test_signing_out_everywhere_ends_every_session_and_token(client, world):
    from django.test import Client

    from lvzhi.api.models import ApiToken

    laptop, phone = Client(), client
    laptop.force_login(world.lin)
    phone.force_login(world.lin)
    ApiToken.issue(world.lin, "手机客户端")
    page = phone.get("/profile/").content.decode()
    assert "退出所有设备" in page and "data-confirm" in page  # asks first
    out = phone.post("/logout/everywhere/")
    assert (out.status_code, out["Location"]) == (302, "/login/")
    assert "已退出所有设备，请重新登录。" in phone.get("/login/").content.decode()
    assert laptop.get("/").status_code == 302  # the other session has ended too
    assert not ApiToken.objects.filter(user=world.lin).exists()
    assert Client().login(username="lin", password=PASSWORD)  # the password still works
    world.lin.refresh_from_db()  # its session epoch has moved
    phone.force_login(world.lin)
    assert phone.get("/logout/everywhere/").status_code == 405


def test_a_new_password_may_not_be_one_of_the_last_five(client, world, settings):
    settings.AUTH_PASSWORD_VALIDATORS = project_settings.AUTH_PASSWORD_VALIDATORS
    client.force_login(world.lin)
    old, passwords = PASSWORD, [f"Mima-{n}-Xin!" for n in range(5)]
    for new in passwords:
        done = client.post("/password/", {"old_password": old, "new_password1": new,
                                          "new_password2": new})
        assert done.status_code == 302, done.content.decode()[-500:]
        old = new
    again = client.post("/password/", {"old_password": old, "new_password1": passwords[1],
                                       "new_password2": passwords[1]})
    assert "新密码不能与最近 5 次用过的密码相同。" in again.content.decode()
    world.lin.refresh_from_db()
    assert world.lin.check_password(passwords[-1])
    from lvzhi.core.models import PasswordHistory
    assert PasswordHistory.objects.filter(user=world.lin).count() == 5  # no more kept
