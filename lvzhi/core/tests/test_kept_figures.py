"""Figures a page keeps between changes: a long list's count (stamped with the newest event
of its bodies) and a filter bar's options (until a session, sector or unit changes)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.core.events import last_event, record_event
from lvzhi.core.forms import kept_options
from lvzhi.core.models import HandlingUnit, Notification, Sector
from lvzhi.core.paging import IdsFirstPaginator


def test_the_stamp_is_the_newest_event_of_the_bodies_asked_for(world):
    city, daoli = world.city.body, world.daoli.body
    assert last_event({city.pk, daoli.pk}) == 0
    first = record_event(city, "change")
    assert last_event({city.pk}) == first.pk
    assert last_event({daoli.pk}) == 0  # another body's events are not its changes
    second = record_event(daoli, "change")
    assert last_event({city.pk}) == first.pk
    assert last_event({city.pk, daoli.pk}) == second.pk
    assert last_event(set()) == 0


def _notes(world, n: int) -> None:
    Notification.objects.bulk_create(Notification(recipient=world.lin, body=world.city.body,
                                                  title=f"通知{i}") for i in range(n))


def _count(rows, bodies) -> tuple[int, int]:
    """(the count, how many COUNT queries it took)."""
    with CaptureQueriesContext(connection) as captured:
        found = IdsFirstPaginator(rows, 5, kept_for=bodies).count
    return found, sum("COUNT(" in q["sql"].upper() for q in captured)


def test_a_count_is_kept_for_its_query_until_the_next_event_of_its_bodies(world):
    city, daoli = {world.city.body.pk}, {world.daoli.body.pk}
    _notes(world, 7)
    rows = Notification.objects.filter(recipient=world.lin).order_by("-id")
    assert _count(rows, city) == (7, 1)
    assert _count(rows, city) == (7, 0)  # kept
    assert _count(rows, daoli) == (7, 1)  # kept apart for other bodies
    _notes(world, 2)
    record_event(world.city.body, "change")  # every change leaves one
    assert _count(rows, city) == (9, 1)  # counted again
    assert _count(rows, daoli) == (7, 0)  # kept: its rows change with its own events only
    assert _count(rows.filter(title="通知0"), city) == (2, 1)  # another query
    assert _count(rows, None) == (9, 1)  # not kept: counted every time
    assert _count(rows, None) == (9, 1)
    assert _count(rows.none(), city) == (0, 0)


def test_kept_options_are_built_again_after_a_unit_or_sector_changes(world):
    built = []

    def build():
        built.append(1)
        return sorted(HandlingUnit.objects.filter(body=world.city.body)
                      .values_list("name", flat=True))

    bodies = {world.city.body.pk}
    first = kept_options("test", bodies, build)
    assert kept_options("test", bodies, build) == first and len(built) == 1
    HandlingUnit.objects.create(body=world.city.body, name="市民政局")
    assert "市民政局" in kept_options("test", bodies, build) and len(built) == 2
    kept_options("test", {world.daoli.body.pk}, build)  # other bodies: kept apart
    assert len(built) == 3
    world.city.sector.name = "民进"
    world.city.sector.save()
    kept_options("test", bodies, build)
    assert len(built) == 4
    Sector.objects.create(body=world.city.body, name="特邀").delete()
    kept_options("test", bodies, build)
    assert len(built) == 5  # made and deleted: two changes, built once after them
