"""Each role's home page and navigation show what that person has to do."""

import pytest

pytestmark = pytest.mark.django_db


def page(login, user) -> str:
    response = login(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_member_home_shows_their_seat_and_no_staff_tools(login, world):
    html = page(login, world.lin)
    assert "我的委员身份" in html
    assert "民盟" in html
    assert "名册导入" not in html
    assert "系统配置" not in html


def test_staff_home_offers_the_directory_and_roster(login, world):
    html = page(login, world.zhou)
    assert "委员名录" in html
    assert "导入或导出委员名册" in html
    assert "系统配置" not in html


def test_body_admin_sees_configuration(login, world):
    assert "系统配置" in page(login, world.zheng)


def test_oversight_is_offered_the_districts(login, world):
    assert "查看所辖区县政协的委员" in page(login, world.yuan)


def test_unit_handler_and_info_officer_see_their_identity(login, world):
    assert "承办单位经办人" in page(login, world.ma)
    assert "信息员" in page(login, world.han)


def test_person_without_roles_is_told_to_ask_the_admin(login, world):
    assert "尚未分配身份" in page(login, world.nobody)


def test_an_english_browser_still_gets_chinese(login, world):
    # English is not offered until its catalogue is complete (docs/accessibility.md).
    client = login(world.lin)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "林晓岚，您好" in html and 'lang="zh-hans"' in html
    assert "Hello, 林晓岚" not in html


def test_chinese_is_the_default_language(login, world):
    html = login(world.lin).get("/").content.decode()
    assert "林晓岚，您好" in html
    assert "Member directory" not in html


def test_the_current_section_is_marked_not_by_colour_alone(login, world):
    html = login(world.lin).get("/proposals/").content.decode()
    assert 'href="/proposals/" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1
