"""An object's address worked out once per URL name is the address reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix

from lvzhi.core.paths import object_url


@pytest.mark.parametrize("name", ["proposals:detail", "opinions:detail", "ledgers:task",
                                  "activities:detail", "supervision:problem"])
@pytest.mark.parametrize("pk", [1, 42, 987654320, 12345678901])
def test_object_url_is_reverse(name, pk):
    assert object_url(name, pk) == reverse(name, args=[pk])


def test_object_url_follows_the_script_prefix():
    try:
        set_script_prefix("/lvzhi/")
        assert object_url("proposals:detail", 7) == reverse("proposals:detail", args=[7]) \
            == "/lvzhi/proposals/7/"
    finally:
        set_script_prefix("/")
    assert object_url("proposals:detail", 7) == "/proposals/7/"


def test_object_url_takes_only_an_integer_id():
    with pytest.raises(ValueError):
        object_url("proposals:detail", "7/../../admin")
