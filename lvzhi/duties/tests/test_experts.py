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


@pytest.fixture
def outsider(world, fields):
    expert = Expert.objects.create(body=world.city.body, name="王教授", employer="哈尔滨工业大学",
                                   phone="13900008001")
    expert.fields.set([fields[1]])
    return expert


def test_outside_experts_are_invited_marked_and_taken_off(login, world, outsider):
    import datetime

    from django.utils import timezone

    from lvzhi.activities.tests.conftest import make_activity
    from lvzhi.core.models import Event
    a = make_activity(world)
    client = login(world.zhou)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "从人才库邀请特邀专家" in page and "王教授" in page
    assert client.post(f"/activities/{a.pk}/staff/experts/",
                       {"experts": [outsider.pk]}).status_code == 302
    row = a.expert_invitations.get()
    page = client.get(a.get_absolute_url()).content.decode()
    assert "13900008001" in page and "取消邀请王教授" in page
    # Whether they came is recorded once the activity has begun, not before.
    client.post(f"/activities/{a.pk}/staff/expert_came/", {"row": row.pk})
    row.refresh_from_db()
    assert row.attended is None
    a.starts_at = timezone.now() - datetime.timedelta(hours=1)
    a.save(update_fields=["starts_at"])
    client.post(f"/activities/{a.pk}/staff/expert_came/", {"row": row.pk})
    row.refresh_from_db()
    assert row.attended is True
    assert "已到会" in client.get(a.get_absolute_url()).content.decode()
    client.post(f"/activities/{a.pk}/staff/expert_remove/", {"row": row.pk})
    assert not a.expert_invitations.exists()
    actions = list(Event.objects.filter(object_id=a.pk, action__contains="expert")
                   .values_list("action", flat=True))
    assert actions == ["invite_experts", "mark_expert", "remove_expert"]


def test_expert_invitations_are_refused_to_others_and_for_members_or_other_bodies(
        login, world, fields, outsider):
    from lvzhi.activities.tests.conftest import make_activity
    a = make_activity(world)
    member_entry = Expert.objects.create(body=world.city.body, member=world.gao.memberships.get())
    district = Expert.objects.create(body=world.daoli.body, name="李研究员")
    for who in (world.pan, world.lin):
        response = login(who).post(f"/activities/{a.pk}/staff/experts/",
                                   {"experts": [outsider.pk]})
        assert response.status_code in (403, 404)
    client = login(world.zhou)
    for chosen, message in (([member_entry.pk], "只能邀请本政协人才库中的特邀专家"),
                            ([district.pk], "只能邀请本政协人才库中的特邀专家"),
                            ([], "请选择要邀请的特邀专家")):
        response = client.post(f"/activities/{a.pk}/staff/experts/", {"experts": chosen})
        assert response.status_code == 400 and message in response.content.decode()
    assert not a.expert_invitations.exists()
    response = client.post(f"/activities/{a.pk}/staff/expert_remove/", {"row": 999999})
    assert response.status_code == 404 and "不在本次活动的邀请名单中" in response.content.decode()


def test_a_member_keeps_their_own_entry_on_the_page(login, world, fields):
    client = login(world.lin)
    assert "填写专业领域并保存后" in client.get("/duties/expertise/").content.decode()
    refused = client.post("/duties/expertise/", {"profile": "城市规划二十年"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "请至少选择一个专业领域" in page
    assert "城市规划二十年" in page and 'aria-invalid="true"' in page
    assert not Expert.objects.exists()
    saved = client.post("/duties/expertise/", {"fields": [fields[1].pk],
                                                "profile": "城市规划二十年"})
    assert saved.status_code == 302
    entry = Expert.objects.get()
    assert entry.member.user == world.lin and not entry.available  # unticked
    assert [f.name for f in entry.fields.all()] == ["乡村振兴"]
    pool = login(world.zhou).get("/duties/experts/", {"field": fields[1].pk}).content.decode()
    assert "林晓岚" in pool and "城市规划二十年" in pool


def test_a_member_keeps_their_own_entry_from_a_phone(login, world, fields):
    other = ExpertiseField.objects.create(body=world.daoli.body, name="城区更新")
    client = login(world.lin)
    body = client.get("/api/duties/expertise").json()
    assert body["in_pool"] is False and {f["name"] for f in body["fields"]} == {
        "先进制造", "乡村振兴"}
    for ids in ([other.pk], [], [999999]):
        refused = client.put("/api/duties/expertise", {"field_ids": ids},
                             content_type="application/json")
        assert refused.status_code in (400, 422)
    assert not Expert.objects.exists()
    saved = client.put("/api/duties/expertise", {"field_ids": [fields[0].pk],
                                                  "profile": "装备制造", "available": True},
                       content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["in_pool"] and [f["name"] for f in saved.json()["fields"]
                                        if f["chosen"]] == ["先进制造"]
    assert Expert.objects.get().profile == "装备制造"
    # Staff without a seat have no entry of their own to keep.
    assert login(world.zhou).get("/api/duties/expertise").status_code == 404
