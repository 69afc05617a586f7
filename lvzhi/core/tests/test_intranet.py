"""Nothing a page loads comes from outside: CPPCC systems run on government intranets."""

import re

import pytest

pytestmark = pytest.mark.django_db

OUTSIDE = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


@pytest.mark.parametrize("path", ["/", "/people/", "/profile/", "/inbox/", "/people/import/",
                                  "/admin/"])
def test_pages_load_nothing_from_another_host(login, world, path):
    html = login(world.zheng if path == "/admin/" else world.zhou).get(path).content.decode()
    assert OUTSIDE.findall(html) == []


def test_login_page_loads_nothing_from_another_host(client, world):
    assert OUTSIDE.findall(client.get("/login/").content.decode()) == []
