"""The demo data loads the Harbin organisation and is idempotent."""

import pytest
from django.core.management import call_command

from lvzhi.core.demo import DEMO_PASSWORD
from lvzhi.core.models import Body, HandlingUnit, Member, Role, RoleKind, Session, User

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Body, Session, Member, User, Role,
                                                     HandlingUnit))


def test_demo_loads_once_however_often_it_runs(capsys):
    call_command("demo")
    first = counts()
    call_command("demo")
    assert counts() == first
    city = Body.objects.get(code="harbin")
    assert city.children.count() == 18
    assert Member.objects.filter(body=city).count() >= 300
    assert HandlingUnit.objects.filter(body=city).count() == 40
    assert {r.kind for r in Role.objects.all()} == set(RoleKind.values) - {RoleKind.MEMBER}
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "weiyuan" in out and "chengban" in out
    assert User.objects.get(username="weiyuan").check_password(DEMO_PASSWORD)
    # A few city members also sit on the Daoli body, under one account.
    assert Member.objects.filter(body__code="daoli", user__memberships__body=city).exists()
