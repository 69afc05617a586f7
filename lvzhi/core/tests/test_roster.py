"""Roster import (checked, all or nothing) and export."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lvzhi.core.models import Event, Member, User
from lvzhi.core.roster import COLUMNS

pytestmark = pytest.mark.django_db


def workbook(*rows, header=COLUMNS) -> io.BytesIO:
    wb = Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "名册.xlsx"
    return out


GOOD = [
    ["赵一鸣", "13911110001", "男", "汉族", "委员", "民盟", "民盟", "提案委员会",
     "哈尔滨工业大学", "教授"],
    ["钱雨桐", 13911110002, "女", "满族", "常委", "经济界", "无党派人士", "",
     "哈药集团", "总经理"],
]


def upload(client, world, data, body=None):
    return client.post("/people/import/", {"body": (body or world.city.body).pk, "file": data})


def test_template_lists_the_columns_and_the_bodys_sectors(login, world):
    response = login(world.zhou).get("/people/import/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["委员名册"][1]] == COLUMNS
    help_text = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row)
    assert "经济界" in help_text and "副主席" in help_text


def test_valid_file_is_previewed_then_saved_on_confirmation(login, world):
    client = login(world.zhou)
    before = Member.objects.count()
    response = upload(client, world, workbook(*GOOD))
    assert response.status_code == 200
    assert response.context["valid"]
    assert Member.objects.count() == before  # preview saves nothing
    response = client.post("/people/import/confirm/")
    assert response.status_code == 302
    assert Member.objects.count() == before + 2
    qian = Member.objects.get(user__mobile="13911110002")
    assert (qian.position, qian.sector, qian.party) == ("standing", world.city.other_sector,
                                                        "none")
    assert qian.user.gender == "female"
    zhao = Member.objects.get(user__mobile="13911110001")
    assert list(zhao.committees.all()) == [world.city.committee]
    assert not zhao.user.has_usable_password()
    assert Event.objects.filter(action="roster_imported", body=world.city.body).exists()


def test_every_problem_is_listed_and_nothing_is_saved(login, world):
    bad = [
        ["", "13911110003", "男", "汉族", "委员", "民盟", "民盟", "", "", ""],
        ["孙二", "1391111", "男", "汉族", "委员", "民盟", "民盟", "", "", ""],
        ["李三", "13911110004", "男", "汉族", "委员", "不存在界", "民盟", "", "", ""],
        ["周四", "13911110004", "男", "汉族", "主任", "民盟", "民盟", "环境委员会", "", ""],
        ["林晓岚", "13900001001", "女", "汉族", "委员", "民盟", "民盟", "", "", ""],
        *GOOD,
    ]
    client = login(world.zhou)
    before = (Member.objects.count(), User.objects.count())
    response = upload(client, world, workbook(*bad))
    assert response.status_code == 400
    problems = {row.number: row.problems for row in response.context["rows"]}
    assert problems[2] == ["缺少姓名"]
    assert problems[3] == ["手机号码“1391111”格式不正确"]
    assert problems[4] == ["未知的界别“不存在界”"]
    assert "手机号码与第 4 行重复" in problems[5]
    assert "未知的职务“主任”" in problems[5]
    assert "未知的专门委员会“环境委员会”" in problems[5]
    assert problems[6] == ["手机号码“13900001001”已是本届委员"]
    assert problems[7] == [] and problems[8] == []
    assert "本次未保存任何数据" in response.content.decode()
    # Confirming after a failed check saves nothing either.
    client.post("/people/import/confirm/")
    assert (Member.objects.count(), User.objects.count()) == before


def test_a_file_that_is_not_a_workbook_is_refused(login, world):
    fake = io.BytesIO(b"%PDF-1.4 not a sheet")
    fake.name = "名册.xlsx"
    response = upload(login(world.zhou), world, fake)
    assert response.status_code == 400
    assert "无法读取该文件" in response.content.decode()


def test_a_workbook_with_the_wrong_columns_is_refused(login, world):
    response = upload(login(world.zhou), world, workbook(["张三"], header=["名字"]))
    assert response.status_code == 400
    assert "表头缺少列" in response.content.decode()


def test_an_empty_roster_is_refused(login, world):
    response = upload(login(world.zhou), world, workbook())
    assert response.status_code == 400
    assert "文件中没有委员数据" in response.content.decode()


def test_members_and_handlers_cannot_import(login, world):
    for person in (world.lin, world.ma, world.qin):
        client = login(person)
        assert client.get("/people/import/").status_code == 404
        assert upload(client, world, workbook(*GOOD)).status_code == 404
    assert not Member.objects.filter(user__mobile="13911110001").exists()


def test_oversight_can_read_districts_but_not_import_into_them(login, world):
    client = login(world.yuan)
    response = upload(client, world, workbook(*GOOD), body=world.daoli.body)
    assert response.status_code == 400  # the district is not a choice for them
    assert not Member.objects.filter(body=world.daoli.body, user__mobile="13911110001").exists()


def test_district_staff_cannot_import_into_the_city(login, world):
    response = upload(login(world.pan), world, workbook(*GOOD), body=world.city.body)
    assert response.status_code == 400
    assert not Member.objects.filter(user__mobile="13911110001").exists()


def test_existing_person_keeps_one_account_when_seated_in_a_second_body(login, world):
    row = ["林晓岚", "13900001001", "女", "汉族", "委员", "民盟", "民盟", "", "", ""]
    client = login(world.pan)
    assert upload(client, world, workbook(row), body=world.daoli.body).status_code == 200
    client.post("/people/import/confirm/")
    assert world.lin.memberships.count() == 2
    assert User.objects.filter(mobile="13900001001").count() == 1


def test_export_contains_the_visible_members_only(login, world, export_file):
    response = export_file(login(world.pan), "/people/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(COLUMNS)
    assert [r[0] for r in rows[1:]] == ["董建国"]


def test_members_cannot_export(login, world, export_file):
    assert export_file(login(world.lin), "/people/export.xlsx").status_code == 404
