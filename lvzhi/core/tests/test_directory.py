"""The people directory: who sees whom, with what detail, across bodies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.conftest import make_person, seat
from lvzhi.core.models import Body, Member, Position

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {m.user.full_name for m in response.context["page"]}


def test_city_staff_see_city_members_with_contacts(login, world):
    response = login(world.zhou).get("/people/")
    assert response.status_code == 200
    assert names(response) == {"林晓岚", "高振东", "秦文远"}
    assert "13900001001" in response.content.decode()


def test_district_staff_cannot_see_another_districts_people(login, world):
    client = login(world.pan)
    assert names(client.get("/people/")) == {"董建国"}
    # Asking for Xiangfang's members by id shows nothing from Xiangfang.
    response = client.get(f"/people/?body={world.xiangfang.body.pk}")
    assert names(response) == set()


def test_city_oversight_reads_district_members(login, world):
    response = login(world.yuan).get("/people/")
    assert names(response) == {"林晓岚", "高振东", "秦文远", "董建国", "吴思远"}
    # the same sector in several bodies: each option says whose it is
    html = login(world.yuan).get(f"/people/?sector={world.daoli.sector.pk}").content.decode()
    assert f'<option value="{world.daoli.sector.pk}" selected>民盟（道里区政协）</option>' in html
    assert f'<option value="{world.city.sector.pk}">民盟（' in html
    assert "民盟（" not in login(world.zhou).get("/people/").content.decode()  # one body


def test_members_see_names_but_not_contacts_by_default(login, world):
    response = login(world.lin).get("/people/")
    assert response.status_code == 200
    assert names(response) == {"林晓岚", "高振东", "秦文远"}
    assert "13900001002" not in response.content.decode()


def test_body_may_show_contacts_to_members(login, world):
    Body.objects.filter(pk=world.city.body.pk).update(member_directory=Body.Directory.CONTACTS)
    response = login(world.lin).get("/people/")
    assert "13900001002" in response.content.decode()


def test_body_may_hide_the_directory_from_members(login, world):
    Body.objects.filter(pk=world.city.body.pk).update(member_directory=Body.Directory.HIDDEN)
    assert login(world.lin).get("/people/").status_code == 404


@pytest.mark.parametrize("person", ["ma", "nobody"])
def test_people_without_a_directory_role_get_404(login, world, person):
    assert login(getattr(world, person)).get("/people/").status_code == 404


def test_filters_by_sector_committee_position_and_search(login, world):
    client = login(world.zhou)
    assert names(client.get(f"/people/?sector={world.city.other_sector.pk}")) == {"高振东"}
    assert names(client.get(f"/people/?position={Position.VICE_CHAIR}")) == {"秦文远"}
    assert names(client.get("/people/?q=晓岚")) == {"林晓岚"}
    assert names(client.get("/people/?q=13900001003")) == {"秦文远"}
    assert len(names(client.get(f"/people/?committee={world.city.committee.pk}"))) == 3


def test_directory_query_count_does_not_grow_with_rows(login, world):
    client = login(world.yuan)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/people/").status_code == 200
        return len(captured)

    few = queries()
    for i in range(12):
        seat(make_person(f"extra{i}", f"新委员{i}"), world.daoli)
    assert queries() == few


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_profile_shows_each_seat(login, world):
    seat(world.lin, world.daoli)  # a city member who also sits on the Daoli body
    page = login(world.lin).get("/profile/").content.decode()
    assert "中国人民政治协商会议哈尔滨市委员会" in page
    assert "政协哈尔滨市道里区委员会" in page


def test_the_directory_lists_by_sector_order_then_name_and_follows_changes(login, world):
    """The order lives in one indexed column (Member.directory_key); renaming a person,
    reordering a sector or a body moves the seats with it."""
    client = login(world.zhou)

    def listed() -> list[str]:
        return [m.user.full_name for m in client.get("/people/").context["page"]]

    def expected() -> list[str]:
        seats = Member.objects.filter(body=world.city.body, is_active=True).select_related(
            "user", "sector")
        return [m.user.full_name for m in sorted(seats, key=lambda m: (
            m.sector.order, m.user.full_name, m.pk))]

    assert listed() == expected()
    other = world.city.other_sector
    other.order, world.city.sector.order = 0, 5
    other.save()
    world.city.sector.save()
    assert listed() == expected() and listed()[0] == "高振东"  # the other sector first now
    world.lin.full_name = "丁晓岚"  # 丁 (U+4E01) sorts before every other name
    world.lin.save()
    mine = [name for name in listed() if name in {
        m.user.full_name for m in Member.objects.filter(sector=world.city.sector)}]
    assert mine[0] == "丁晓岚" and listed() == expected()
    world.lin.last_login = None
    world.lin.save(update_fields=["last_login"])  # a sign-in touches no seat
    assert listed() == expected()
