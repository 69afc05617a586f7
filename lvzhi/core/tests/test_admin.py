"""Body admins configure their own body in the admin site, and nothing else."""

import re

import pytest

from lvzhi.core.models import Role, RoleKind, Sector

pytestmark = pytest.mark.django_db


def test_admin_site_is_in_chinese(login, world):
    html = login(world.zheng).get("/admin/").content.decode()
    assert "系统配置" in html
    assert "界别" in html and "承办单位" in html and "节假日安排" in html


def test_body_admin_lists_only_their_bodys_sectors(login, world):
    response = login(world.zheng).get("/admin/core/sector/")
    assert response.status_code == 200
    shown = {s.body_id for s in response.context["cl"].result_list}
    assert shown == {world.city.body.pk}


def test_body_admin_cannot_open_or_change_another_bodys_row(login, world):
    client = login(world.zheng)
    other = world.daoli.sector
    url = f"/admin/core/sector/{other.pk}/change/"
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"name": "改名", "kind": "party", "order": 0, "body": other.body_id})
    other.refresh_from_db()
    assert other.name == "民盟"


def test_body_admin_cannot_add_a_row_to_another_body(login, world):
    client = login(world.zheng)
    response = client.post("/admin/core/sector/add/", {
        "body": world.daoli.body.pk, "name": "新界别", "kind": "field", "order": 9})
    assert response.status_code == 200  # the form comes back with an error
    assert "选择一个有效的选项" in response.content.decode()
    assert not Sector.objects.filter(name="新界别").exists()


def test_body_admin_adds_a_sector_to_their_body(login, world):
    client = login(world.zheng)
    response = client.post("/admin/core/sector/add/", {
        "body": world.city.body.pk, "name": "新界别", "kind": "field", "order": 9})
    assert response.status_code == 302
    assert Sector.objects.get(name="新界别").body == world.city.body


def test_staff_and_members_are_kept_out_of_the_admin(login, world):
    for person in (world.zhou, world.lin):
        response = login(person).get("/admin/core/sector/")
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_role_rules_are_checked(world):
    role = Role(user=world.nobody, body=world.city.body, kind=RoleKind.STAFF)
    with pytest.raises(Exception, match="机关干部必须指定部门"):
        role.full_clean()
    oversight = Role(user=world.nobody, body=world.daoli.body, kind=RoleKind.OVERSIGHT)
    with pytest.raises(Exception, match="只有市政协人员可以督导区县政协"):
        oversight.full_clean()


# --- accounts and roles: the security admin's, within their body, no raising of privileges

@pytest.fixture
def root(world):
    from lvzhi.conftest import make_person
    user = make_person("root", "超级管理员")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_security_admin_cannot_see_or_reset_the_superuser(login, world, root):
    client = login(world.shen)
    listed = {u.pk for u in client.get("/admin/core/user/").context["cl"].result_list}
    assert root.pk not in listed
    url = f"/admin/core/user/{root.pk}/password/"
    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"password1": "taken-over-123", "password2": "taken-over-123"})
    root.refresh_from_db()
    assert not root.check_password("taken-over-123")


def test_security_admin_cannot_see_accounts_of_nobody_or_of_another_body(login, world):
    client = login(world.shen)
    listed = {u.pk for u in client.get("/admin/core/user/").context["cl"].result_list}
    assert world.lin.pk in listed and world.zhou.pk in listed
    assert world.nobody.pk not in listed  # no seat, no role: not theirs
    assert world.dong.pk not in listed and world.pan.pk not in listed
    url = f"/admin/core/user/{world.dong.pk}/password/"
    assert client.get(url).status_code in (302, 403, 404)


def test_security_admin_cannot_reset_an_account_that_also_sits_elsewhere(login, world):
    from lvzhi.conftest import seat
    seat(world.lin, world.daoli)  # lin also sits on the Daoli body
    client = login(world.shen)
    client.post(f"/admin/core/user/{world.lin.pk}/password/",
                {"password1": "taken-over-123", "password2": "taken-over-123"})
    world.lin.refresh_from_db()
    assert not world.lin.check_password("taken-over-123")
    # Alone in the city body, gao's password can be set by the city's admin.
    response = client.post(f"/admin/core/user/{world.gao.pk}/password/",
                           {"password1": "fresh-start-123", "password2": "fresh-start-123"})
    assert response.status_code == 302
    world.gao.refresh_from_db()
    assert world.gao.check_password("fresh-start-123")


def test_security_admin_cannot_set_global_flags(login, world):
    client = login(world.shen)
    client.post(f"/admin/core/user/{world.gao.pk}/change/", {
        "username": "gao", "full_name": "高振东", "mobile": "13900001002", "is_active": "on",
        "is_staff": "on", "is_superuser": "on"})
    world.gao.refresh_from_db()
    assert not world.gao.is_superuser and not world.gao.is_staff


def test_security_admin_finishes_an_account_they_created(login, world):
    client = login(world.shen)
    response = client.post("/admin/core/user/add/", {
        "username": "newbie", "full_name": "新同志", "mobile": "13900008001",
        "password1": "a-long-password-1", "password2": "a-long-password-1"})
    assert response.status_code == 302
    from lvzhi.core.models import User
    new = User.objects.get(username="newbie")
    assert client.get(f"/admin/core/user/{new.pk}/change/").status_code == 200


def test_security_admin_cannot_grant_oversight_or_admin_or_to_himself(login, world):
    client = login(world.shen)
    before = Role.objects.count()
    for user, kind in ((world.shen, "oversight"), (world.gao, "oversight"),
                       (world.gao, "body_admin"), (world.gao, "security_admin"),
                       (world.gao, "auditor"), (world.shen, "leader")):
        response = client.post("/admin/core/role/add/", {
            "user": user.pk, "body": world.city.body.pk, "kind": kind})
        assert response.status_code == 200, (user, kind)  # the form comes back refused
        assert "选择一个有效的选项" in response.content.decode()
    assert Role.objects.count() == before
    form = client.get("/admin/core/role/add/").content.decode()
    for kind in ("oversight", "body_admin", "security_admin", "auditor"):
        assert f'value="{kind}"' not in form
    own = Role.objects.get(user=world.shen, kind="security_admin")
    assert client.get(f"/admin/core/role/{own.pk}/change/").status_code in (302, 403, 404)


def test_security_admin_grants_a_leader_role_to_a_person_of_their_body(login, world):
    client = login(world.shen)
    response = client.post("/admin/core/role/add/", {
        "user": world.gao.pk, "body": world.city.body.pk, "kind": "leader"})
    assert response.status_code == 302
    assert Role.objects.filter(user=world.gao, kind="leader").exists()
    refused = client.post("/admin/core/role/add/", {
        "user": world.dong.pk, "body": world.city.body.pk, "kind": "leader"})
    assert refused.status_code == 200
    assert not Role.objects.filter(user=world.dong, kind="leader").exists()


def test_user_autocomplete_lists_only_the_admins_people(login, world, root):
    response = login(world.shen).get("/admin/autocomplete/", {
        "app_label": "core", "model_name": "role", "field_name": "user", "term": ""})
    names = {r["text"] for r in response.json()["results"]}
    assert "林晓岚" in names
    assert not names & {"董建国", "路人甲", "超级管理员"}


def test_superuser_grants_oversight(login, world, root):
    response = login(root).post("/admin/core/role/add/", {
        "user": world.gao.pk, "body": world.city.body.pk, "kind": "oversight"})
    assert response.status_code == 302


def test_a_password_an_admin_set_must_be_changed_first(login, world, client):
    admin = login(world.shen)
    admin.post(f"/admin/core/user/{world.gao.pk}/password/",
               {"password1": "fresh-start-123", "password2": "fresh-start-123"})
    world.gao.refresh_from_db()
    assert world.gao.must_change_password
    client.post("/login/", {"login": "gao", "password": "fresh-start-123"})
    home = client.get("/proposals/")
    assert (home.status_code, home["Location"]) == (302, "/password/")
    page = client.get("/password/")
    assert page.status_code == 200 and "您的密码由管理员设置，请先修改密码。" in \
        page.content.decode()
    api = client.get("/api/me")
    assert (api.status_code, api.json()["code"]) == (403, "password_change_required")
    token = client.post("/api/auth/token", {"login": "gao", "password": "fresh-start-123"},
                        content_type="application/json")
    assert (token.status_code, token.json()["code"]) == (403, "password_change_required")
    changed = client.post("/password/", {"old_password": "fresh-start-123",
                                         "new_password1": "Mine-Alone-2026",
                                         "new_password2": "Mine-Alone-2026"})
    assert changed.status_code == 302
    world.gao.refresh_from_db()
    assert not world.gao.must_change_password
    assert client.get("/proposals/").status_code == 200


def test_an_account_an_admin_creates_starts_with_a_change(login, world):
    client = login(world.shen)
    client.post("/admin/core/user/add/", {
        "username": "newbie2", "full_name": "新同志", "mobile": "13900008002",
        "password1": "a-long-password-1", "password2": "a-long-password-1"})
    from lvzhi.core.models import User
    assert User.objects.get(username="newbie2").must_change_password


def test_ones_own_new_password_asks_for_nothing_more(world):
    world.lin.set_password("Own-Choice-2026")
    world.lin.save()
    world.lin.refresh_from_db()
    assert not world.lin.must_change_password


# --- 三员分立: system administrator, security administrator, security auditor ----------------

@pytest.mark.parametrize(("who", "kind"), [("zheng", "auditor"), ("zheng", "security_admin"),
                                           ("shen", "body_admin"), ("shi", "security_admin")])
def test_no_one_holds_two_of_the_three_admin_duties(world, who, kind):
    role = Role(user=getattr(world, who), body=world.daoli.body, kind=kind)
    with pytest.raises(Exception, match="三员分立"):
        role.full_clean()


def test_the_system_admin_configures_but_does_not_manage_accounts(login, world):
    client = login(world.zheng)
    assert client.get("/admin/core/sector/").status_code == 200
    for path in ("/admin/core/user/", "/admin/core/role/", "/admin/core/member/",
                 f"/admin/core/user/{world.lin.pk}/password/"):
        assert client.get(path).status_code in (302, 403, 404), path


def test_the_security_admin_manages_accounts_but_not_configuration(login, world):
    client = login(world.shen)
    assert client.get("/admin/core/user/").status_code == 200
    assert client.get("/admin/core/sector/").status_code == 403
    assert client.get("/admin/core/body/").status_code == 403


def test_the_auditor_has_no_admin_and_the_admins_no_audit_log(login, world):
    assert login(world.shi).get("/admin/").status_code == 302  # to the admin's login
    for admin in (world.zheng, world.shen):
        client = login(admin)
        assert client.get("/audit/").status_code == 404
        assert client.post("/audit/export.xlsx").status_code == 404


def test_the_security_admin_unlocks_an_account(login, world, client, settings):
    from lvzhi.conftest import PASSWORD
    from lvzhi.core.models import AuditRecord

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/login/", {"login": "lin", "password": "wrong"})
    locked = client.post("/login/", {"login": "lin", "password": PASSWORD})
    assert locked.status_code == 429
    assert re.search(r"请于 \d\d:\d\d 后再试（约 \d+ 分钟）", locked.content.decode())
    admin = login(world.shen)
    done = admin.post("/admin/core/user/", {"action": "unlock",
                                            "_selected_action": [world.lin.pk]})
    assert done.status_code == 302
    assert AuditRecord.objects.filter(action="account_unlocked", actor=world.shen,
                                      target=f"user:{world.lin.pk}").exists()
    admin.logout()
    assert client.post("/login/", {"login": "lin", "password": PASSWORD}).status_code == 302


def test_the_security_admin_cannot_unlock_another_bodys_account(login, world, client,
                                                                settings):
    from lvzhi.conftest import PASSWORD

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/login/", {"login": "dong", "password": "wrong"})
    login(world.shen).post("/admin/core/user/", {"action": "unlock",
                                                 "_selected_action": [world.dong.pk]})
    client.logout()
    assert client.post("/login/", {"login": "dong", "password": PASSWORD}).status_code == 429


def test_a_staff_password_expires_after_90_days_and_a_members_does_not(login, world, client):
    import datetime

    from django.utils import timezone

    from lvzhi.core.models import User
    old = timezone.now() - datetime.timedelta(days=91)
    User.objects.filter(pk__in=[world.zhou.pk, world.lin.pk]).update(password_changed_at=old)
    staff = login(world.zhou)
    page = staff.get("/proposals/office/")
    assert (page.status_code, page["Location"]) == (302, "/password/")
    assert "您的密码已超过有效期" in staff.get("/password/").content.decode()
    api = staff.get("/api/me")
    assert (api.status_code, api.json()["code"]) == (403, "password_change_required")
    assert login(world.lin).get("/proposals/").status_code == 200
    world.zhou.set_password("Fresh-Start-2026")
    world.zhou.save()
    assert login(world.zhou).get("/proposals/office/").status_code == 200


def test_a_bodys_password_policy_applies_to_its_people_the_strictest_winning(login, world):
    import datetime

    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from lvzhi.core.models import PasswordPolicy, User
    from lvzhi.core.passwords import policy_for

    client = login(world.shen)  # the security administrator sets it, in the admin
    response = client.post("/admin/core/passwordpolicy/add/", {
        "body": world.city.body.pk, "min_length": 12, "expiry_days_staff": 30,
        "expiry_days": 180})
    assert response.status_code == 302
    PasswordPolicy.objects.create(body=world.daoli.body, min_length=10, expiry_days_staff=60,
                                  expiry_days=0)
    from lvzhi.conftest import seat
    seat(world.lin, world.daoli)  # lin sits in both bodies
    policy = policy_for(world.lin)
    assert (policy.min_length, policy.expiry_days_staff, policy.expiry_days) == (12, 30, 180)
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        password_validation.validate_password("Abcdef-123", world.lin)
    password_validation.validate_password("Abcdef-123", world.wu)  # xiangfang: the default
    User.objects.filter(pk=world.lin.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=181))
    assert login(world.lin).get("/proposals/")["Location"] == "/password/"


@pytest.mark.parametrize("field", [{"min_length": 6}, {"expiry_days": 99999}])
def test_a_policy_below_the_floor_is_refused(login, world, field):
    from lvzhi.core.models import PasswordPolicy
    client = login(world.shen)
    data = {"body": world.city.body.pk, "min_length": 8, "expiry_days_staff": 90,
            "expiry_days": 0, **field}
    assert client.post("/admin/core/passwordpolicy/add/", data).status_code == 200
    assert not PasswordPolicy.objects.exists()


def test_the_system_admin_does_not_set_password_policy(login, world):
    assert login(world.zheng).get("/admin/core/passwordpolicy/").status_code == 403
