"""pk__any_of: the same rows as pk__in, with the list as one parameter."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from lvzhi.core.models import Body, Member


def test_any_of_finds_what_in_finds_with_one_parameter(world):
    seats = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    assert len(seats) >= 3
    wanted = [seats[0], seats[-1], 10**12]  # one that is no row's
    with CaptureQueriesContext(connection) as queries:
        found = set(Member.objects.filter(pk__any_of=wanted).values_list("pk", flat=True))
    assert found == {seats[0], seats[-1]}
    sql = queries[0]["sql"]
    assert "json_each" in sql or "= ANY(" in sql, sql  # one array, not a list of params
    assert not Member.objects.filter(pk__any_of=[]).exists()
    # inside an OR, and in the subquery of another filter (its table then has an alias)
    either = Member.objects.filter(Q(pk__any_of=[seats[0]]) | Q(body__code="nowhere"))
    assert set(either.values_list("pk", flat=True)) == {seats[0]}
    body = Member.objects.get(pk=seats[0]).body_id
    assert list(Body.objects.filter(pk__in=Member.objects.filter(
        pk__any_of=[seats[0]]).values("body_id")).values_list("pk", flat=True)) == [body]
