import datetime

import pytest
from django.utils import timezone

from lvzhi.activities import workflow
from lvzhi.conftest import make_person, seat
from lvzhi.core.models import Member, Position


@pytest.fixture
def chair(world):
    user = make_person("chair", "庞志远", "13900001010")
    seat(user, world.city, Position.CHAIR)
    return user


@pytest.fixture
def sg(world):
    user = make_person("sg", "邵立华", "13900001011")
    seat(user, world.city, Position.SECRETARY_GENERAL)
    return user


def make_activity(world, kind="research", days=10, hours=0, capacity=None, members=None):
    starts = timezone.now() + datetime.timedelta(days=days, hours=hours)
    members = members if members is not None else list(
        Member.objects.filter(body=world.city.body))
    return workflow.create(world.zhou, world.city.body, {
        "kind": kind, "title": "关于冰雪运动产业发展的专题调研", "starts_at": starts,
        "place": "市政协四楼会议室", "capacity": capacity}, members)


@pytest.fixture
def activity(world):
    a = make_activity(world)
    workflow.send_notice(world.zhou, a)
    a.refresh_from_db()
    return a
