"""The reads every signed-in request makes in plain SQL (core/every_request.py) give what
the ORM gives, and still end a session that has expired or a user who was switched off —
on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from lvzhi.core import every_request
from lvzhi.core.models import Member, Notification, Role
from lvzhi.core.notifications import Message, notify

pytestmark = pytest.mark.django_db


def test_roles_and_seats_are_what_the_orm_reads(world):
    for person in (world.lin, world.qin, world.zhou, world.ma, world.yuan, world.nobody):
        assert sorted(every_request.roles_of(person.pk)) == sorted(
            Role.objects.filter(user=person).values_list(
                "kind", "body_id", "department_id", "handling_unit_id"))
        seats = [(pk, body, directory, bool(active), bool(current)) for
                 pk, body, directory, active, current in every_request.seats_of(person.pk)]
        assert sorted(seats) == sorted(Member.objects.filter(user=person).values_list(
            "pk", "body_id", "body__member_directory", "is_active", "term__is_current"))
    assert every_request.roles_of(world.nobody.pk) == []


def test_the_unread_count_follows_reading(world):
    assert every_request.unread_count(world.lin.pk) == 0
    notify([world.lin, world.gao], Message(world.city.body.pk, "通知", "请查收"))
    notify([world.lin], Message(world.city.body.pk, "再次通知", "请查收"))
    assert every_request.unread_count(world.lin.pk) == 2
    Notification.objects.filter(recipient=world.lin).update(read_at=timezone.now())
    assert (every_request.unread_count(world.lin.pk), every_request.unread_count(
        world.gao.pk)) == (0, 1)


def test_a_signed_in_page_shows_the_person_and_their_unread_count(login, world):
    notify([world.lin], Message(world.city.body.pk, "会议通知", "请查收"))
    page = login(world.lin).get("/inbox/").content.decode()
    assert world.lin.full_name in page and "1 条未读" in page


def test_an_expired_session_signs_nobody_in(login, world):
    client = login(world.lin)
    assert client.get("/inbox/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_unknown_session_key_signs_nobody_in(client, world):
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_switched_off_account_is_signed_out_on_its_next_request(login, world):
    client = login(world.lin)
    world.lin.is_active = False
    world.lin.save(update_fields=["is_active"])
    response = client.get("/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_user_id_of_another_shape_finds_nobody(world):
    assert every_request.user("not-a-number") is None
    assert every_request.user(world.lin.pk + 10_000) is None
    found = every_request.user(str(world.lin.pk))
    assert (found.pk, found.full_name, found.is_active) == (world.lin.pk, "林晓岚", True)
    assert isinstance(found.date_joined, datetime.datetime)  # converted as the ORM does
