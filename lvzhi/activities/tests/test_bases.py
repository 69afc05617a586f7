"""调研基地: staff add them, a research or inspection names one, the base shows its visits."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from lvzhi.activities.models import Activity, ResearchBase

pytestmark = pytest.mark.django_db


def _create(client, base, kind="research"):
    starts = (timezone.localtime() + datetime.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    return client.post("/activities/manage/", {
        "title": "先进制造专题调研", "kind": kind, "starts_at": starts, "place": "厂区",
        "invite": "some", "positions": ["vice_chair"], "research_base": base.pk})


def test_staff_add_a_base_and_a_research_trip_names_it(login, world):
    client = login(world.zhou)
    added = client.post("/activities/bases/", {"name": "哈尔滨电机厂", "kind": "enterprise",
                                               "topics": "先进制造"})
    base = ResearchBase.objects.get()
    assert added["Location"] == f"/activities/bases/{base.pk}/" and base.body == world.city.body
    assert _create(client, base).status_code == 302
    trip = Activity.objects.get()
    assert trip.research_base == base
    page = client.get(f"/activities/bases/{base.pk}/").content.decode()
    assert "先进制造专题调研" in page
    assert "调研基地：" in client.get(trip.get_absolute_url()).content.decode()


def test_a_meeting_cannot_name_a_base_nor_another_bodys_base(login, world):
    client = login(world.zhou)
    other = ResearchBase.objects.create(body=world.daoli.body, name="道里社区", kind="community")
    mine = ResearchBase.objects.create(body=world.city.body, name="电机厂", kind="enterprise")
    _create(client, mine, kind="committee")
    _create(client, other)
    assert not Activity.objects.exists()


def test_a_bad_base_form_is_refused_and_leaders_only_read(login, world):
    bad = login(world.zhou).post("/activities/bases/", {"name": "", "kind": "palace"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()
    leader = login(world.qin)
    assert leader.get("/activities/bases/").status_code == 200
    assert leader.post("/activities/bases/", {"name": "X", "kind": "other"}).status_code == 404
    assert not ResearchBase.objects.exists()
    city_base = ResearchBase.objects.create(body=world.city.body, name="电机厂", kind="other")
    assert login(world.pan).get(f"/activities/bases/{city_base.pk}/").status_code == 404
