"""The busiest lists ask the database the same number of questions however many rows they
show: no query per row (the proposal lists have their own tests in proposals/)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.conftest import make_person, seat
from lvzhi.opinions.tests.test_cycle import submitted
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft

pytestmark = pytest.mark.django_db


def _reports(world, n):
    for i in range(n):
        submitted(world.lin, world.city.body, title=f"信息{i}")


def _members(world, n):
    for i in range(n):
        seat(make_person(f"m{n}{i}", f"委员{n}{i}", f"1370000{n:02d}{i:02d}"), world.city)


def _notices(world, n):
    from lvzhi.core.notifications import Message, notify
    for i in range(n):
        notify([world.lin], Message(world.city.body.pk, f"通知{n}{i}", "请查收"))


def _failed_logins(world, n):
    from django.test import Client
    for i in range(n):
        Client().post("/login/", {"login": f"nobody{n}{i}", "password": "wrong"})


def _activities(world, n):
    from lvzhi.activities.tests.conftest import make_activity
    for i in range(n):
        make_activity(world, days=10 + i)


def _tasks(world, n):
    from lvzhi.ledgers.models import Ledger, Milestone, Task
    ledger, _ = Ledger.objects.get_or_create(body=world.city.body, year=2026,
                                             defaults={"title": "任务分解"})
    for i in range(n):
        task = Task.objects.create(body=world.city.body, ledger=ledger, number=n * 10 + i,
                                   title=f"专题调研{n}{i}", category="research",
                                   department=world.city.department)
        Milestone.objects.create(task=task, due_on=datetime.date(2026, 12, 20), what="完成")


def _proposals(world, n):
    for i in range(n):
        p = save_draft(world.lin.memberships.get(), world.lin,
                       {**DRAFT, "title": f"关于建议{n}{i}的建议"})
        perform(perform(p, "submit", world.lin), "file", world.zhou)


@pytest.mark.parametrize("url, who, grow", [
    ("/opinions/office/", "zhou", _reports),
    ("/opinions/", "lin", _reports),
    ("/people/", "zhou", _members),
    ("/search/?q=建议", "zhou", _proposals),
    ("/inbox/", "lin", _notices),
    ("/audit/", "shi", _failed_logins),
    ("/activities/", "lin", _activities),
    ("/activities/manage/", "zhou", _activities),
    ("/ledgers/", "zhou", _tasks),
])
def test_a_list_asks_as_often_for_many_rows_as_for_few(login, world, url, who, grow):
    client = login(getattr(world, who))

    def queries() -> int:
        caches["local"].clear()  # counted cold each time: a kept count asks nothing
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(world, 2)
    queries()  # the first visit may create the body's rules row
    few = queries()
    grow(world, 6)
    assert queries() == few
