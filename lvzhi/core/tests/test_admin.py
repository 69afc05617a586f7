"""Body admins configure their own body in the admin site, and nothing else."""

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
