import pytest

from lvzhi.conftest import make_person
from lvzhi.core.models import Role, RoleKind

REPORT = {
    "title": "关于背街小巷积雪清理不及时的反映",
    "category": "urban",
    "situation": "降雪后部分背街小巷积雪多日未清，老人出行易滑倒。",
    "analysis": "清雪力量集中在主干道，背街小巷缺少责任主体。",
    "suggestions": "建议落实门前三包，街道组织志愿者集中清雪。",
}


@pytest.fixture
def xf_staff(world):
    """Xiangfang's research-office staff member, who processes its reports."""
    user = make_person("xfstaff", "冯晓丽", "13900006101")
    Role.objects.create(user=user, body=world.xiangfang.body, kind=RoleKind.STAFF,
                        department=world.xiangfang.department)
    return user
