"""The busiest lists ask the database the same number of questions however many rows they
show: no query per row (the proposal lists have their own tests in proposals/)."""

from __future__ import annotations

import pytest
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
])
def test_a_list_asks_as_often_for_many_rows_as_for_few(login, world, url, who, grow):
    client = login(getattr(world, who))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(world, 2)
    few = queries()
    grow(world, 6)
    assert queries() == few
