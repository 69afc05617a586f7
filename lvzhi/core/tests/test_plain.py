"""Plain reads (core/plain.py) give the rows, values and related objects the ORM gives —
dates with their time zone, JSON, booleans — on SQLite and on PostgreSQL, and ask nothing
when there is nothing to ask; and a filter bar's ready options (core.forms.options_html)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from lvzhi.core import plain
from lvzhi.core.events import history, history_list, record_event
from lvzhi.core.models import Body, Event, Member, User

pytestmark = pytest.mark.django_db


def _fields(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}


def test_rows_are_what_the_orm_reads_in_the_models_order(world):
    body = world.city.body
    record_event(body, "edited", world.zheng, comment="改了简称", data={"字段": ["简称"], "n": 2})
    record_event(body, "edited", None, from_state="a", to_state="b")
    kind = ContentType.objects.get_for_model(Body).pk
    found = plain.rows(Event, content_type_id=kind, object_id=body.pk)
    expected = list(Event.objects.filter(content_type_id=kind, object_id=body.pk))
    assert [_fields(e) for e in found] == [_fields(e) for e in expected]
    assert found[0].data == {"字段": ["简称"], "n": 2} and found[0].created_at.tzinfo
    newest_first = plain.rows(Event, content_type_id=kind, object_id=body.pk, order=["-id"])
    assert [e.pk for e in newest_first] == [e.pk for e in reversed(expected)]


def test_a_list_of_keys_reads_any_of_them_and_an_empty_one_asks_nothing(
        world, django_assert_num_queries):
    people = [world.lin.pk, world.gao.pk, world.dong.pk]
    found = plain.rows(Member, user_id=people, is_active=True, order=["id"])
    assert [_fields(m) for m in found] == [_fields(m) for m in Member.objects.filter(
        user_id__in=people, is_active=True).order_by("id")]
    assert all(m.is_active is True for m in found) and len(found) == 3
    with django_assert_num_queries(0):
        assert plain.rows(Member, user_id=[]) == []
        assert plain.fill(User, ([], "user")) == {}


def test_an_order_through_a_relation_is_refused():
    # Member's own order runs through its sector and user: its meaning is theirs.
    with pytest.raises(KeyError):
        plain.rows(Member, user_id=1)


def test_fill_sets_each_relation_from_one_read(world, django_assert_num_queries):
    seats = plain.rows(Member, user_id=[world.lin.pk, world.gao.pk], order=["id"])
    record_event(world.city.body, "edited", world.lin)
    record_event(world.city.body, "edited", None)
    events = list(history(world.city.body).select_related(None))
    with django_assert_num_queries(1):
        found = plain.fill(User, (seats, "user"), (events, "actor"))
    assert set(found) == {world.lin.pk, world.gao.pk}
    with django_assert_num_queries(0):
        assert [m.user.full_name for m in seats] == ["林晓岚", "高振东"]
        assert [e.actor for e in events] == [world.lin, None]


def test_history_list_is_history_with_its_actors(world, django_assert_num_queries):
    record_event(world.city.body, "edited", world.zheng)
    record_event(world.city.body, "edited", None)
    with django_assert_num_queries(2):
        events = history_list(world.city.body)
        names = [e.actor.full_name if e.actor else None for e in events]
    assert [e.pk for e in events] == [e.pk for e in history(world.city.body)]
    assert names == ["郑宏伟", None]


def test_ready_options_are_escaped_and_mark_the_chosen_one():
    from lvzhi.core.forms import options_html

    html = options_html([(1, "市教育局"), (12, '<b>"界别"</b>'), ("x&y", "其他")], "12")
    assert html == ('<option value="1">市教育局</option>'
                    '<option value="12" selected>&lt;b&gt;&quot;界别&quot;&lt;/b&gt;</option>'
                    '<option value="x&amp;y">其他</option>')
    assert " selected" not in options_html([(1, "一"), (2, "二")], "")


def test_get_or_create_makes_the_row_once_then_reads_it(world, django_assert_num_queries):
    from lvzhi.ledgers.models import LedgerRules

    body = world.daoli.body
    LedgerRules.objects.filter(body=body).delete()
    made = plain.get_or_create(LedgerRules, body_id=body.pk)
    with django_assert_num_queries(1):
        again = plain.get_or_create(LedgerRules, body_id=body.pk)
    assert again.pk == made.pk and LedgerRules.objects.filter(body=body).count() == 1
