"""The HTTP API: schema, token authentication, JSON errors with Chinese messages, scoping."""

import pytest
from django.utils import timezone

from lvzhi.api.models import ApiToken
from lvzhi.conftest import PASSWORD
from lvzhi.core.models import Notification

pytestmark = pytest.mark.django_db


def token_for(client, login="lin", password=PASSWORD):
    response = client.post("/api/auth/token", {"login": login, "password": password,
                                               "device": "iPhone"},
                           content_type="application/json")
    return response


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "lvzhi API"  # ASCII: a generated package installs
    assert "/api/auth/token" in schema["paths"]
    assert "/api/people" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_phone_client_gets_a_token_by_mobile_and_uses_it(client, world):
    response = token_for(client, login="13900001001")
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["full_name"] == "林晓岚"
    assert not ApiToken.objects.filter(key_digest=token).exists()  # only the digest is kept
    me = client.get("/api/me", **bearer(token)).json()
    assert me["username"] == "lin"
    assert {"kind": "member", "kind_label": "委员", "body_id": world.city.body.pk,
            "body": world.city.body.name} in me["roles"]


def test_wrong_password_gives_json_refusal(client, world):
    response = token_for(client, password="wrong")
    assert response.status_code == 401
    assert response.json() == {"code": "login_failed",
                               "message": "用户名（手机号）或密码不正确。"}
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("header", [{}, bearer("not-a-token")])
def test_missing_or_bad_token_is_401_in_chinese(client, world, header):
    response = client.get("/api/me", **header)
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "请先登录。"}


def test_expired_token_is_refused(client, world):
    token = token_for(client).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now())
    assert client.get("/api/me", **bearer(token)).status_code == 401


def test_a_sign_in_notes_its_last_use_at_most_once_a_minute(client, world):
    """Reading with a token writes nothing most of the time; the list of sign-ins still
    shows when each was last used, to the minute."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = token_for(client).json()["token"]
    assert client.get("/api/me", **bearer(token)).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/me", **bearer(token)).status_code == 200
    assert not [q for q in captured if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timezone.timedelta(minutes=2))
    assert client.get("/api/me", **bearer(token)).status_code == 200
    assert ApiToken.objects.get().last_used_at > first


def test_revoked_token_stops_working(client, world):
    token = token_for(client).json()["token"]
    assert client.delete("/api/auth/token", **bearer(token)).status_code == 204
    assert client.get("/api/me", **bearer(token)).status_code == 401


def test_malformed_input_is_422_with_a_chinese_message(client, world):
    response = client.post("/api/auth/token", {"login": "lin"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "password" in body["message"]
    assert body["message"].startswith("提交的数据不完整或格式不正确")


def test_session_login_works_for_the_web_pages(client, world):
    client.force_login(world.zhou)
    assert client.get("/api/me").json()["username"] == "zhou"


def test_people_api_follows_the_directory_rules(client, world):
    district = token_for(client, login="pan").json()["token"]
    rows = client.get("/api/people", **bearer(district)).json()
    assert [r["full_name"] for r in rows["items"]] == ["董建国"]
    assert rows["items"][0]["mobile"] == "13900006002"
    member = token_for(client, login="lin").json()["token"]
    rows = client.get("/api/people", **bearer(member)).json()["items"]
    assert {r["full_name"] for r in rows} == {"林晓岚", "高振东", "秦文远"}
    assert all(r["mobile"] is None for r in rows)  # names only, the default
    handler = token_for(client, login="ma").json()["token"]
    refused = client.get("/api/people", **bearer(handler))  # no directory, as on the page
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"


def test_notifications_api_lists_and_marks_read_only_my_own(client, world):
    mine = Notification.objects.create(body=world.city.body, recipient=world.lin, title="甲")
    theirs = Notification.objects.create(body=world.city.body, recipient=world.gao, title="乙")
    token = token_for(client).json()["token"]
    listed = client.get("/api/notifications?unread=true", **bearer(token)).json()
    assert [n["title"] for n in listed["items"]] == ["甲"]
    assert client.post(f"/api/notifications/{theirs.pk}/read", **bearer(token)).json() == {
        "code": "not_found", "message": "找不到该对象，或您无权查看。"}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"/api/notifications/{mine.pk}/read",
                       **bearer(token)).status_code == 204
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_docs_page_loads_its_scripts_from_this_server_not_a_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_every_schema_name_is_used_once():
    """ninja names a component by its class name: two classes of one name would silently
    share one schema, and one of them would be described wrongly."""
    from ninja import Schema

    import lvzhi.api.site  # noqa: F401  (imports every app's api module)

    seen: dict[str, str] = {}
    clashes = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("lvzhi."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if seen.setdefault(cls.__name__, where) != where:
            clashes.append(f"{seen[cls.__name__]} / {where}")
    assert not clashes


def test_operation_ids_are_short_and_stable(client):
    schema = client.get("/api/openapi.json").json()
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert all(i[0].islower() and i.isalnum() and i.isascii() for i in ids), ids
    assert all(t["name"].isascii() for t in schema["tags"])
    assert "Input" not in schema["components"]["schemas"]  # flattened into parameters
    assert "PeopleFilter" not in schema["components"]["schemas"]


def test_wrong_method_and_unknown_path_answer_json(client, world):
    client.force_login(world.lin)
    wrong = client.delete("/api/me")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    assert wrong["Allow"] == "GET, PATCH"
    assert client.get("/api/nothing-here").json()["code"] == "not_found"


def test_a_locked_login_says_when_to_retry(client, world, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        token_for(client, password="wrong")
    locked = token_for(client)
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked")
    # What is left of the lock, counted from the first failure.
    assert settings.LOGIN_LOCKOUT_SECONDS - 60 < int(locked["Retry-After"]) <= \
        settings.LOGIN_LOCKOUT_SECONDS
    schema = client.get("/api/openapi.json").json()
    assert "Retry-After" in schema["paths"]["/api/auth/token"]["post"]["responses"]["429"][
        "headers"]


def test_notifications_carry_the_object_to_open(client, world):
    Notification.objects.create(body=world.city.body, recipient=world.lin, title="提案已立案",
                                url="/proposals/7/")
    Notification.objects.create(body=world.city.body, recipient=world.lin, title="通知",
                                url="/inbox/")
    client.force_login(world.lin)
    items = client.get("/api/notifications").json()["items"]
    assert {i["title"]: i["target"] for i in items} == {
        "提案已立案": {"type": "proposal", "id": 7}, "通知": None}


def test_a_phone_lists_and_revokes_its_own_sign_ins(client, world):
    phone = token_for(client).json()["token"]
    tablet = token_for(client).json()["token"]
    devices = client.get("/api/auth/tokens", **bearer(phone)).json()["items"]
    assert [d["current"] for d in devices] == [False, True]  # newest first
    other = next(d["id"] for d in devices if not d["current"])
    gao = token_for(client, login="gao").json()["token"]
    assert client.delete(f"/api/auth/tokens/{other}", **bearer(gao)).status_code == 404
    assert client.get("/api/me", **bearer(tablet)).status_code == 200
    assert client.delete(f"/api/auth/tokens/{other}", **bearer(phone)).status_code == 204
    assert client.get("/api/me", **bearer(tablet)).status_code == 401
    assert client.get("/api/me", **bearer(phone)).status_code == 200


def test_a_changed_password_signs_every_phone_out(client, world):
    phone = token_for(client).json()["token"]
    other = token_for(client, login="gao").json()["token"]
    world.lin.last_name = "改"
    world.lin.save()  # an ordinary save keeps the tokens
    assert client.get("/api/me", **bearer(phone)).status_code == 200
    client.force_login(world.lin)
    changed = client.post("/password/", {"old_password": PASSWORD,
                                         "new_password1": "Xin-Mima-2026",
                                         "new_password2": "Xin-Mima-2026"})
    assert changed.status_code == 302
    client.logout()  # the bearer token alone from here
    assert client.get("/api/me", **bearer(phone)).json()["code"] == "unauthenticated"
    assert not ApiToken.objects.filter(user=world.lin).exists()
    assert client.get("/api/me", **bearer(other)).status_code == 200  # others keep theirs


def test_a_phone_activates_an_account_with_a_code(client, world):
    import re

    from django.contrib.auth.hashers import make_password

    from lvzhi.core import sms
    world.lin.password = make_password(None)
    world.lin.save()
    asked = client.post("/api/auth/password-code", {"mobile": "13900001001"},
                        content_type="application/json")
    unknown = client.post("/api/auth/password-code", {"mobile": "13800000000"},
                          content_type="application/json")
    assert asked.status_code == unknown.status_code == 204  # the same answer
    again = client.post("/api/auth/password-code", {"mobile": "13900001001"},
                        content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (429, "code_too_soon")
    code = re.search(r"验证码是 (\d{6})", sms.outbox[-1][1]).group(1)
    body = {"mobile": "13900001001", "code": code, "password1": "abc", "password2": "abd"}
    refused = client.post("/api/auth/password", body, content_type="application/json")
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"password2"}
    body.update(password1="Xin-Mima-2026", password2="Xin-Mima-2026")
    assert client.post("/api/auth/password", body,
                       content_type="application/json").status_code == 204
    token = token_for(client, login="13900001001", password="Xin-Mima-2026")
    assert token.status_code == 200
