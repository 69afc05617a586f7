"""参政议政人才库: staff add members and outside experts by field, search them, and invite
pool members to an activity."""

from __future__ import annotations

import pytest

from lvzhi.duties.models import Expert, ExpertiseField

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(world):
    return [ExpertiseField.objects.create(body=world.city.body, name=n)
            for n in ("先进制造", "乡村振兴")]


def test_staff_add_a_member_and_an_outside_expert_and_search_by_field(login, world, fields):
    client = login(world.zhou)
    lin = world.lin.memberships.get()
    assert client.post("/duties/experts/", {"member": lin.pk, "fields": [fields[0].pk],
                                            "profile": "长期研究装备制造", "available": "on"}
                       ).status_code == 302
    assert client.post("/duties/experts/", {"name": "王教授", "employer": "哈尔滨工业大学",
                                            "fields": [fields[1].pk]}).status_code == 302
    found = client.get("/duties/experts/", {"field": fields[0].pk}).content.decode()
    assert "林晓岚" in found and "王教授" not in found
    assert "王教授" in client.get("/duties/experts/", {"q": "王"}).content.decode()
    available = client.get("/duties/experts/", {"available": "1"}).content.decode()
    assert "林晓岚" in available and "王教授" not in available  # not ticked as available


def test_a_refused_entry_marks_every_field(login, world, fields):
    response = login(world.zhou).post("/duties/experts/", {"name": "", "fields": []})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请选择委员，或填写特邀专家的姓名" in page and "请至少选择一个专业领域" in page
    assert not Expert.objects.exists()


def test_another_bodys_staff_and_members_cannot_add(login, world, fields):
    for who in (world.pan, world.lin):
        client = login(who)
        client.post("/duties/experts/", {"name": "某专家", "fields": [fields[0].pk]})
    assert not Expert.objects.exists()


def test_pool_members_are_invited_to_an_activity(login, world, fields):
    from lvzhi.activities.tests.conftest import make_activity
    gao = world.gao.memberships.get()
    expert = Expert.objects.create(body=world.city.body, member=gao)
    expert.fields.set([fields[0]])
    a = make_activity(world)
    client = login(world.zhou)
    assert "先进制造" in client.get(a.get_absolute_url()).content.decode()
    client.post(f"/activities/{a.pk}/staff/invite/", {"members": [gao.pk]})
    assert a.invitations.filter(member=gao).exists()
